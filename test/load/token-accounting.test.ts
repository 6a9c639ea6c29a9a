import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { apportion, attributeTokens } from '../../src/load/token-accounting.js';

describe('attributeTokens', () => {
  it('prefers usage, then the tokenizer, then the chunk count', () => {
    expect(attributeTokens({ chunkChars: [3, 3], usage: 2, tokenizer: 5 })).toEqual({
      outputTokens: 2,
      source: 'usage',
      chunkTokens: [1, 1],
    });
    expect(attributeTokens({ chunkChars: [3, 3], tokenizer: 2 }).source).toBe('tokenizer');
    expect(attributeTokens({ chunkChars: [3, 3, 4] })).toEqual({
      outputTokens: 3,
      source: 'chunks',
      chunkTokens: [1, 1, 1],
    });
  });

  it('uses per-chunk counts reported by the server when they agree with usage', () => {
    expect(attributeTokens({ chunkChars: [5, 9], chunkTokensReported: [1, 3], usage: 4 })).toEqual({
      outputTokens: 4,
      source: 'usage',
      chunkTokens: [1, 3],
    });
    // Disagreement with the final usage: trust the total, apportion by characters.
    const r = attributeTokens({ chunkChars: [5, 5], chunkTokensReported: [1, 1], usage: 4 });
    expect(r.outputTokens).toBe(4);
    expect(r.chunkTokens).toEqual([2, 2]);
  });

  it('spreads extra tokens of multi-token chunks by characters (speculative decoding)', () => {
    // 3 chunks, 6 tokens: the long chunk carries most of them.
    expect(attributeTokens({ chunkChars: [4, 16, 4], usage: 6 }).chunkTokens).toEqual([1, 4, 1]);
  });

  it('handles no chunks', () => {
    expect(attributeTokens({ chunkChars: [], usage: 0 })).toEqual({
      outputTokens: 0,
      source: 'usage',
      chunkTokens: [],
    });
    expect(attributeTokens({ chunkChars: [] })).toEqual({
      outputTokens: 0,
      source: 'chunks',
      chunkTokens: [],
    });
  });
});

describe('apportion', () => {
  it('always sums to the total, keeps every chunk ≥ 1 when possible, and is deterministic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 400 }),
        (chars, total) => {
          const out = apportion(total, chars);
          expect(out).toHaveLength(chars.length);
          expect(out.reduce((a, b) => a + b, 0)).toBe(total);
          expect(out.every((t) => Number.isInteger(t) && t >= 0)).toBe(true);
          if (total >= chars.length) expect(Math.min(...out)).toBeGreaterThanOrEqual(1);
          expect(apportion(total, chars)).toEqual(out);
        },
      ),
    );
  });

  it('gives fewer tokens than chunks to the longest chunks', () => {
    expect(apportion(1, [1, 10, 1])).toEqual([0, 1, 0]);
  });
});
