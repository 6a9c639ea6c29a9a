import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/workload/corpus.js';
import { loadCorpus } from '../../src/workload/corpus.js';
import { synthesisePrompt } from '../../src/workload/prompt.js';
import { rngForKey } from '../../src/workload/random.js';
import { countTokens } from '../../src/workload/tokenizer.js';
import { createWorkload } from '../../src/workload/workload.js';
import { scenario, target } from './helpers.js';

const fixed = (tokens: number, seed = 0) =>
  createWorkload(
    scenario({ seed, requests: 4, warmup_requests: 1, input_tokens: { mean: tokens, stddev: 0 } }),
    target(),
  );

describe('prompt size', () => {
  it('is exactly the sampled token count for every length from 1 to 512', () => {
    for (let tokens = 1; tokens <= 512; tokens++) {
      const workload = fixed(tokens, tokens % 3);
      for (const request of [workload.measured(0), workload.warmup(0)]) {
        expect(request.inputTokens).toBe(tokens);
        expect(countTokens(request.prompt), `${tokens} tokens, ${request.requestId}`).toBe(tokens);
      }
    }
  });

  it('is exact for any seed, request index and length up to 4096', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 1, max: 4096 }),
        fc.nat({ max: 1_000_000 }),
        (seed, tokens, index) => {
          const workload = createWorkload(
            scenario({
              seed,
              duration_s: 60,
              requests: undefined,
              input_tokens: { mean: tokens, stddev: 0 },
            }),
            target(),
          );
          expect(countTokens(workload.measured(index).prompt)).toBe(tokens);
        },
      ),
      { numRuns: 300, seed: 20240611 },
    );
  });

  it('is exact for prompts longer than the whole corpus (the corpus is read as a cycle)', () => {
    const tokens = loadCorpus().tokenCount + 5000;
    const request = fixed(tokens).measured(1);
    expect(countTokens(request.prompt)).toBe(tokens);
  });

  it('is a preamble then corpus text starting at a word', () => {
    const prompt = fixed(300).measured(3).prompt;
    expect(prompt).toMatch(/^Request m3 of workload [0-9a-f]{8}\. .*\n\nPassage: [A-Za-z]/s);
    const body = prompt.slice(prompt.indexOf('Passage:') + 'Passage:'.length);
    expect(loadCorpus().text).toContain(body.slice(0, 200));
  });

  it('reports failure instead of returning a prompt of the wrong size', () => {
    // A hand-made corpus whose "tokens" are each a multi-token word: window lengths jump past the target.
    const word = ' qzxvqzxv';
    expect(countTokens(word)).toBeGreaterThan(1);
    const units = 10;
    const corpus: Corpus = {
      path: 'in-memory',
      text: word.repeat(units),
      sha256: '',
      tokenCount: units,
      offsets: Uint32Array.from({ length: units + 1 }, (_, j) => j * word.length),
      wordStarts: Uint32Array.from({ length: units }, (_, j) => j),
    };
    const preamble = 'Passage:';
    expect(synthesisePrompt(corpus, preamble, countTokens(preamble) + 1, rngForKey([1]))).toBeUndefined();
  });
});
