/**
 * Throughput over a time window, counted by arrival: the output tokens whose chunks arrived inside the window and the
 * requests that completed inside it, divided by the window's length. Unlike "Σ tokens of the requests sent in the
 * window ÷ its length", this is exact for any load shape: a request straddling a bound contributes just the tokens
 * that arrived inside, and warmup requests still streaming when measurement starts count for what they delivered in
 * it. Only ok requests count (any phase): a failed or cut-off request's tokens are not useful output.
 */
import type { RequestRecord } from '../load/record.js';

/** Rates over a window; null when the window has no length. */
export interface Throughput {
  /** Output tokens of ok requests whose chunks arrived in the window ÷ window seconds. */
  readonly outputTokensPerS: number | null;
  /** ok requests that ended in the window ÷ window seconds. */
  readonly requestsPerS: number | null;
  /** (input tokens of the ok requests that ended in the window + output tokens as above) ÷ window seconds. */
  readonly totalTokensPerS: number | null;
}

/**
 * Output tokens of ok `records` by arrival time, binned into `bins` equal slices of [startMs, endMs]: a chunk arriving
 * at t lands in slice ⌊(t − startMs) ÷ width⌋, a chunk at exactly endMs in the last slice, chunks outside in none.
 * Throws when `bins` is not a positive integer or the bounds are not finite with startMs ≤ endMs.
 */
export function tokensByArrival(
  records: readonly RequestRecord[],
  startMs: number,
  endMs: number,
  bins = 1,
): number[] {
  if (!(Number.isInteger(bins) && bins >= 1)) {
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  }
  if (!(Number.isFinite(startMs) && Number.isFinite(endMs) && startMs <= endMs)) {
    throw new RangeError(`window must have finite startMs ≤ endMs, got ${startMs}…${endMs}`);
  }
  const counts = new Array<number>(bins).fill(0);
  const width = (endMs - startMs) / bins;
  for (const record of records) {
    if (record.outcome !== 'ok') continue;
    const { chunkMs, chunkTokens } = record;
    for (let i = 0; i < chunkMs.length; i++) {
      const t = chunkMs[i] as number;
      if (t < startMs || t > endMs) continue;
      const bin = width > 0 ? Math.min(bins - 1, Math.floor((t - startMs) / width)) : 0;
      counts[bin] = (counts[bin] as number) + ((chunkTokens[i] as number | undefined) ?? 0);
    }
  }
  return counts;
}

/** Output, request and total token throughput of ok `records` over [startMs, endMs] (both bounds inclusive). */
export function windowThroughput(
  records: readonly RequestRecord[],
  startMs: number,
  endMs: number,
): Throughput {
  const durationS = (endMs - startMs) / 1000;
  const [outputTokens = 0] = tokensByArrival(records, startMs, endMs);
  let completed = 0;
  let inputTokens = 0;
  for (const record of records) {
    if (record.outcome !== 'ok' || record.endMs < startMs || record.endMs > endMs) continue;
    completed += 1;
    inputTokens += record.inputTokens;
  }
  const perSecond = (amount: number): number | null => (durationS > 0 ? amount / durationS : null);
  return {
    outputTokensPerS: perSecond(outputTokens),
    requestsPerS: perSecond(completed),
    totalTokensPerS: perSecond(inputTokens + outputTokens),
  };
}
