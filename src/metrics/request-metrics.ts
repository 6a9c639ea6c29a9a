/**
 * Per-request metrics: pure functions of one RequestRecord, in milliseconds or tokens per second. Each returns
 * undefined where the metric does not exist for the request (no content chunk, a single output token, …).
 * Definitions: src/metrics/definitions.ts. The functions do not look at `outcome`; callers keep to ok requests.
 */
import type { RequestRecord } from '../load/record.js';
import type { MetricId } from './definitions.js';

/** Time to first token: firstTokenMs − sentMs (ms); undefined when no content chunk arrived. */
export function ttftMs(record: RequestRecord): number | undefined {
  return record.firstTokenMs === undefined ? undefined : record.firstTokenMs - record.sentMs;
}

/** Time to first answer token: firstAnswerMs − sentMs (ms); undefined unless reasoning came before the answer. */
export function ttfatMs(record: RequestRecord): number | undefined {
  return record.firstAnswerMs === undefined ? undefined : record.firstAnswerMs - record.sentMs;
}

/** End-to-end latency: endMs − sentMs (ms). */
export function e2elMs(record: RequestRecord): number {
  return record.endMs - record.sentMs;
}

/**
 * Time per output token after the first: (E2EL − TTFT) ÷ (outputTokens − 1) (ms), as vLLM's tpot_ms;
 * undefined when outputTokens ≤ 1 or no content chunk arrived.
 */
export function tpotMs(record: RequestRecord): number | undefined {
  const ttft = ttftMs(record);
  if (ttft === undefined || record.outputTokens <= 1) return undefined;
  return (e2elMs(record) - ttft) / (record.outputTokens - 1);
}

/**
 * Output tokens per second of the whole request, TTFT included: outputTokens ÷ (E2EL ÷ 1000), as LLMPerf's
 * request_output_throughput_token_per_s; undefined when E2EL is not positive.
 */
export function requestOutputTokensPerS(record: RequestRecord): number | undefined {
  const e2el = e2elMs(record);
  return e2el > 0 ? record.outputTokens / (e2el / 1000) : undefined;
}

/** Load-generator lag: sentMs − scheduledMs (ms), how long after its due time the request was sent. */
export function dispatchLagMs(record: RequestRecord): number {
  return record.sentMs - record.scheduledMs;
}

/**
 * Per-token inter-token latencies (ms). Walking the chunks that carry tokens (chunkTokens > 0) in order, each one
 * after the first contributes its gap since the previous token-bearing chunk divided by its token count, once per
 * token it carries: a 3-token chunk arriving 30 ms after the previous one gives [10, 10, 10]. The first chunk's
 * tokens get no value (TTFT covers them); a chunk with no tokens gives none and its time folds into the next gap.
 * So the result has outputTokens − (first chunk's tokens) values, and their sum is last chunk − first chunk.
 *
 * Throws when chunkMs and chunkTokens differ in length or a token count is not a non-negative integer.
 */
export function itlMs(record: RequestRecord): number[] {
  const { chunkMs, chunkTokens } = record;
  if (chunkMs.length !== chunkTokens.length) {
    throw new Error(
      `request ${record.requestId}: chunkMs has ${chunkMs.length} entries but chunkTokens has ${chunkTokens.length}`,
    );
  }
  const values: number[] = [];
  let previousMs: number | undefined;
  for (let i = 0; i < chunkMs.length; i++) {
    const tokens = chunkTokens[i] as number;
    if (!Number.isInteger(tokens) || tokens < 0) {
      throw new Error(
        `request ${record.requestId}: chunkTokens[${i}] is ${tokens}, not a non-negative integer`,
      );
    }
    if (tokens === 0) continue;
    const arrivedMs = chunkMs[i] as number;
    if (previousMs !== undefined) {
      const perToken = (arrivedMs - previousMs) / tokens;
      for (let t = 0; t < tokens; t++) values.push(perToken);
    }
    previousMs = arrivedMs;
  }
  return values;
}

/**
 * Every per-request metric of one record, as lists: `itl_ms` holds one value per token, the others hold the one
 * value of the request or nothing when it does not exist. Concatenating these over requests gives the samples the
 * distributions are built from, so a resampling of requests (the gate's bootstrap) can rebuild them exactly.
 */
export function requestSamples(record: RequestRecord): Record<MetricId, number[]> {
  const one = (value: number | undefined): number[] => (value === undefined ? [] : [value]);
  return {
    ttft_ms: one(ttftMs(record)),
    ttfat_ms: one(ttfatMs(record)),
    tpot_ms: one(tpotMs(record)),
    itl_ms: itlMs(record),
    e2el_ms: [e2elMs(record)],
    request_output_tokens_per_s: one(requestOutputTokensPerS(record)),
    output_tokens: [record.outputTokens],
    dispatch_lag_ms: [dispatchLagMs(record)],
  };
}
