import fc from 'fast-check';
import { countTokens, encode } from 'gpt-tokenizer/encoding/cl100k_base';
import { describe, expect, it } from 'vitest';
import { tokensText, tokenText, VOCABULARY } from '../../src/sim/vocab.js';

describe('sim vocabulary', () => {
  it('has only words that are exactly one cl100k_base token', () => {
    expect(VOCABULARY.length).toBe(64);
    for (const word of VOCABULARY) expect(encode(word), JSON.stringify(word)).toHaveLength(1);
  });

  it('never merges words: any sequence of n words is n tokens', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: VOCABULARY.length - 1 }), { maxLength: 200 }),
        (indices) => {
          const text = indices.map((i) => VOCABULARY[i]).join('');
          expect(countTokens(text)).toBe(indices.length);
        },
      ),
    );
  });

  it('streams text whose token count equals the generated count, however it is split', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 1, max: 300 }), fc.nat(300), (offset, length, cut) => {
        const at = Math.min(cut, length);
        const head = tokensText(offset, 0, at);
        const tail = tokensText(offset, at, length - at);
        expect(head + tail).toBe(tokensText(offset, 0, length));
        expect(countTokens(head + tail)).toBe(length);
      }),
      { numRuns: 50 },
    );
    expect(tokenText(0, 1)).not.toBe(tokenText(0, 0));
  });
});
