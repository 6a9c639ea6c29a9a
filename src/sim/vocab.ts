/**
 * Generated text: one short word per token from a fixed vocabulary. Every word, with its leading space, is exactly
 * one cl100k_base token and words never merge across the space, so a tokenizer counting the streamed text counts
 * exactly the tokens the simulator generated.
 */
const WORDS = [
  'the', 'of', 'and', 'to', 'in', 'is', 'that', 'for', 'it', 'as', 'with', 'on', 'was', 'be', 'at', 'by',
  'this', 'from', 'or', 'are', 'an', 'but', 'not', 'have', 'they', 'which', 'one', 'you', 'all', 'were', 'her', 'she',
  'there', 'would', 'their', 'we', 'him', 'been', 'has', 'when', 'who', 'will', 'more', 'no', 'if', 'out',
  'so', 'said', 'what', 'up', 'its', 'about', 'into', 'than', 'them', 'can', 'only', 'other', 'new', 'some', 'could',
  'time', 'these', 'two',
]; // prettier-ignore

/** The vocabulary as streamed: every entry is " word", a single cl100k_base token. */
export const VOCABULARY: readonly string[] = WORDS.map((word) => ` ${word}`);

/** Odd stride: coprime with the vocabulary size (64), so consecutive tokens cycle through every word. */
const STRIDE = 7;

/** Text of token `index` of a response whose text starts at vocabulary position `offset`. */
export function tokenText(offset: number, index: number): string {
  return VOCABULARY[(offset + index * STRIDE) % VOCABULARY.length] as string;
}

/** Text of tokens [first, first + count) of a response, concatenated. */
export function tokensText(offset: number, first: number, count: number): string {
  let text = '';
  for (let i = first; i < first + count; i++) text += tokenText(offset, i);
  return text;
}
