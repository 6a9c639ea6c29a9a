/**
 * Goodput: the requests that met every latency objective of the scenario's `slo` (any subset of TTFT, TPOT and
 * E2EL, each met when the request's value is at most the objective), as a share of all described requests and as a
 * rate. Failed and cut-off requests stay in the denominator and never meet. TPOT follows vLLM: a request with fewer
 * than 2 output tokens has no TPOT and counts as TPOT 0, so it meets any TPOT objective; a request with no content
 * chunk has no TTFT and never meets a TTFT objective.
 */
import type { SloConfig } from '../config/schema.js';
import type { RequestRecord } from '../load/record.js';
import { e2elMs, tpotMs, ttftMs } from './request-metrics.js';

/** The metrics an SLO can bound, by their metric ids. */
export const SLO_METRICS = ['ttft_ms', 'tpot_ms', 'e2el_ms'] as const;
export type SloMetric = (typeof SLO_METRICS)[number];

/** The objectives of an SLO config, by metric id (only those it sets). */
export function sloObjectives(slo: SloConfig): Partial<Record<SloMetric, number>> {
  return {
    ...(slo.ttft_ms !== undefined ? { ttft_ms: slo.ttft_ms } : {}),
    ...(slo.tpot_ms !== undefined ? { tpot_ms: slo.tpot_ms } : {}),
    ...(slo.e2el_ms !== undefined ? { e2el_ms: slo.e2el_ms } : {}),
  };
}

export interface Goodput {
  /** The objectives applied (ms). */
  readonly slo: Partial<Record<SloMetric, number>>;
  /** Described requests, whatever their outcome: the denominator. */
  readonly requests: number;
  /** Requests that ended ok and met every objective. */
  readonly met: number;
  /** met ÷ requests; null when there are no requests. */
  readonly share: number | null;
  /** met ÷ steady window seconds; null when the window has no length. */
  readonly requestsPerS: number | null;
  /** Requests that failed or were cut off (they meet nothing). */
  readonly failed: number;
  /** Per objective: ok requests that missed it (a request missing two counts under both). */
  readonly missedBy: Partial<Record<SloMetric, number>>;
}

/** TPOT as goodput judges it: tpot_ms, or 0 when the request has fewer than 2 output tokens (vLLM's convention). */
export function goodputTpotMs(record: RequestRecord): number {
  return tpotMs(record) ?? 0;
}

/** The objectives an ok request misses (empty when it meets them all). The record's outcome is not looked at. */
export function missedObjectives(
  record: RequestRecord,
  objectives: Partial<Record<SloMetric, number>>,
): SloMetric[] {
  const value: Record<SloMetric, () => number | undefined> = {
    ttft_ms: () => ttftMs(record),
    tpot_ms: () => goodputTpotMs(record),
    e2el_ms: () => e2elMs(record),
  };
  return SLO_METRICS.filter((id) => {
    const limit = objectives[id];
    if (limit === undefined) return false;
    const v = value[id]();
    return v === undefined || v > limit;
  });
}

/**
 * Goodput of the described `records` (the measured requests of the steady window, every outcome) against `slo`,
 * with `durationS` the steady window's length.
 */
export function goodput(records: readonly RequestRecord[], slo: SloConfig, durationS: number): Goodput {
  const objectives = sloObjectives(slo);
  const missedBy: Partial<Record<SloMetric, number>> = {};
  for (const id of SLO_METRICS) if (objectives[id] !== undefined) missedBy[id] = 0;
  let met = 0;
  let failed = 0;
  for (const record of records) {
    if (record.outcome !== 'ok') {
      failed += 1;
      continue;
    }
    const missed = missedObjectives(record, objectives);
    if (missed.length === 0) met += 1;
    for (const id of missed) missedBy[id] = (missedBy[id] ?? 0) + 1;
  }
  return {
    slo: objectives,
    requests: records.length,
    met,
    share: records.length === 0 ? null : met / records.length,
    requestsPerS: durationS > 0 ? met / durationS : null,
    failed,
    missedBy,
  };
}
