/**
 * Prompt synthesis: a request-unique preamble followed by a window of corpus text, sized so that the tokenizer counts
 * exactly the requested number of tokens.
 *
 * Cutting text at token boundaries and re-encoding it does not always give back the same number of tokens (a word cut
 * in half can encode differently), so the window length is corrected from the measured count until it is exact. The
 * window starts at the beginning of a word and the preamble ends in punctuation, so the seam between them never
 * changes how either side encodes; only the cut at the end needs correcting, which rarely takes more than one step.
 */
import type { Corpus } from './corpus.js';
import { corpusText } from './corpus.js';
import type { Sfc32 } from './random.js';
import { countTokens, decodeTokens, encodeTokens } from './tokenizer.js';

/** Corrections tried for one window start before moving on to the next word. */
const MAX_STEPS = 8;
/** Window starts tried (consecutive words from the seeded one) before giving up. */
const MAX_STARTS = 16;

/**
 * A prompt of exactly `tokens` tokens: `preamble` then corpus text from a word start chosen by `rng`. Prompts no longer
 * than the preamble are a prefix of the preamble. Returns undefined if no exact fit was found (not seen in practice:
 * the tests size tens of thousands of prompts from 1 to 4096 tokens).
 */
export function synthesisePrompt(
  corpus: Corpus,
  preamble: string,
  tokens: number,
  rng: Sfc32,
): string | undefined {
  const preambleTokens = encodeTokens(preamble);
  if (tokens <= preambleTokens.length) {
    return fitTokenCount(tokens, tokens, (k) => decodeTokens(preambleTokens.slice(0, k)));
  }
  const { wordStarts } = corpus;
  const first = rng.nextInt(wordStarts.length);
  const bodyTokens = tokens - preambleTokens.length;
  for (let attempt = 0; attempt < MAX_STARTS; attempt++) {
    const start = wordStarts[(first + attempt) % wordStarts.length] ?? 0;
    const prompt = fitTokenCount(tokens, bodyTokens, (k) => preamble + corpusText(corpus, start, k));
    if (prompt !== undefined) return prompt;
  }
  return undefined;
}

/**
 * Finds k near `initial` with countTokens(build(k)) === target by stepping k by the miss, stopping when a step
 * revisits a k (the count jumps over the target there) or after {@link MAX_STEPS} steps.
 */
function fitTokenCount(target: number, initial: number, build: (k: number) => string): string | undefined {
  const tried = new Set<number>();
  let k = initial;
  for (let step = 0; step < MAX_STEPS && k >= 0 && !tried.has(k); step++) {
    tried.add(k);
    const text = build(k);
    const count = countTokens(text);
    if (count === target) return text;
    k += target - count;
  }
  return undefined;
}
