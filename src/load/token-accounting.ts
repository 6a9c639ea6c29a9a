/**
 * Decides how many output tokens a request produced and how they are spread over its streamed chunks.
 *
 * Source of the total, in order of trust: the server's usage report, else the workload tokenizer's count of the
 * streamed text, else the number of content chunks. Per-chunk counts come from the server when it reports cumulative
 * usage in every chunk; otherwise every chunk gets one token when the total equals the chunk count (the usual case),
 * and when it does not (speculative decoding, servers that batch deltas) the total is apportioned by the characters
 * each chunk carried, every chunk keeping at least one token while there are enough to go round.
 */
import type { TokenSource } from './record.js';

export interface TokenEvidence {
  /** Characters of generated text in each content chunk. */
  readonly chunkChars: ArrayLike<number>;
  /** Tokens the server reported for each chunk, when it reported them for every chunk. */
  readonly chunkTokensReported?: ArrayLike<number>;
  /** completion_tokens from the server's usage report. */
  readonly usage?: number;
  /** The tokenizer's count of the whole streamed text. */
  readonly tokenizer?: number;
}

export interface TokenAttribution {
  readonly outputTokens: number;
  readonly source: TokenSource;
  /** Sums to outputTokens; same length as chunkChars. */
  readonly chunkTokens: number[];
}

export function attributeTokens(e: TokenEvidence): TokenAttribution {
  const chunks = e.chunkChars.length;
  const source: TokenSource =
    e.usage !== undefined ? 'usage' : e.tokenizer !== undefined ? 'tokenizer' : 'chunks';
  const reported = e.chunkTokensReported;
  if (reported !== undefined && reported.length === chunks && chunks > 0) {
    const chunkTokens = Array.from(reported);
    const sum = chunkTokens.reduce((a, b) => a + b, 0);
    if (e.usage === undefined || e.usage === sum) return { outputTokens: sum, source: 'usage', chunkTokens };
  }
  const total = e.usage ?? e.tokenizer ?? chunks;
  return { outputTokens: total, source, chunkTokens: apportion(total, e.chunkChars) };
}

/**
 * Spread `total` tokens over chunks: one each when they match; otherwise in proportion to the characters each chunk
 * carried (largest remainder, ties to the earlier chunk), then every empty chunk takes one token from the fullest chunk
 * while there are at least as many tokens as chunks.
 */
export function apportion(total: number, chars: ArrayLike<number>): number[] {
  const n = chars.length;
  if (n === 0) return [];
  if (total === n) return new Array<number>(n).fill(1);
  let charSum = 0;
  for (let i = 0; i < n; i++) charSum += chars[i] ?? 0;
  const out = new Array<number>(n);
  const order: { i: number; r: number }[] = [];
  let given = 0;
  for (let i = 0; i < n; i++) {
    const share = charSum > 0 ? (total * (chars[i] ?? 0)) / charSum : total / n;
    const whole = Math.floor(share);
    out[i] = whole;
    given += whole;
    order.push({ i, r: share - whole });
  }
  order.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < total - given; k++) out[order[k]!.i]! += 1;
  if (total >= n) {
    for (let i = 0; i < n; i++) {
      if (out[i]! > 0) continue;
      let fullest = 0;
      for (let j = 1; j < n; j++) if (out[j]! > out[fullest]!) fullest = j;
      out[fullest]! -= 1;
      out[i] = 1;
    }
  }
  return out;
}
