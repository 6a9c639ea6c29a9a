/**
 * The tokenizer that sizes prompts and counts tokens when a server reports no usage.
 *
 * It is OpenAI's cl100k_base BPE, run offline by `gpt-tokenizer`. Why this one for open models: Llama 3's tokenizer is
 * a tiktoken BPE that extends cl100k_base (its first 100,000 tokens are cl100k_base's, with about 28,000 more added,
 * mostly for other languages) and splits text with the same pre-tokenisation pattern, so for English prompts like the
 * shipped corpus its counts equal or come very close to Llama-family models' counts. Other families (Mistral, Qwen,
 * Gemma) differ by a few percent; the server's own count, when it reports usage, is recorded beside ours.
 */
import { countTokens as cl100kCount, decode, encode } from 'gpt-tokenizer/encoding/cl100k_base';

/**
 * Identifies the tokenizer in results and the workload fingerprint. The version is the one pinned in package.json;
 * a test checks it against the installed package so an upgrade cannot slip by unnoticed.
 */
export const TOKENIZER_ID = 'gpt-tokenizer@3.4.0/cl100k_base';

/**
 * Special-token markers such as "<|endoftext|>" are ordinary text here: a model's output or a prompt that happens to
 * contain one is counted, never rejected.
 */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Number of tokens in `text`. */
export function countTokens(text: string): number {
  return cl100kCount(text, PLAIN_TEXT);
}

/** Token ids of `text`. */
export function encodeTokens(text: string): number[] {
  return encode(text, PLAIN_TEXT);
}

/** Text of a token-id sequence. */
export function decodeTokens(tokens: Iterable<number>): string {
  return decode(tokens);
}
