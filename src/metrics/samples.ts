/**
 * The raw per-request values behind every distribution, kept so statistics can be recomputed or resampled
 * (the gate bootstraps over requests).
 */
import type { RequestRecord } from '../load/record.js';
import { METRIC_IDS, type MetricId } from './definitions.js';
import { requestSamples } from './request-metrics.js';

/**
 * Whether a record counts towards the latency distributions: measured (not warmup) and ok. Failed and cut-off
 * requests have no comparable latencies; they count in the error rate instead.
 */
export function isMeasuredOk(record: RequestRecord): boolean {
  return !record.warmup && record.outcome === 'ok';
}

/**
 * Every metric's values over the measured ok requests, in record order: one value per request (where the metric
 * exists for it), per token for `itl_ms`. Warmup and failed records are skipped here, so any subset or resample of
 * records can be passed as is.
 */
export function samples(records: readonly RequestRecord[]): Record<MetricId, number[]> {
  const pooled = Object.fromEntries(METRIC_IDS.map((id) => [id, [] as number[]])) as Record<
    MetricId,
    number[]
  >;
  for (const record of records) {
    if (!isMeasuredOk(record)) continue;
    const values = requestSamples(record);
    for (const id of METRIC_IDS) {
      const target = pooled[id];
      for (const value of values[id]) target.push(value);
    }
  }
  return pooled;
}
