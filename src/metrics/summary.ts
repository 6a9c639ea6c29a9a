/**
 * One scenario's records → its summary: latency distributions, throughput over the measured window, errors and
 * token accounting. Warmup records are excluded here; latency distributions use the measured ok requests only,
 * because failed and cut-off requests have no comparable latencies (they count in the error rate).
 */
import type { RequestRecord } from '../load/record.js';
import { ERROR_CATEGORIES, type ErrorCategory } from '../providers/types.js';
import { METRIC_IDS, type MetricId } from './definitions.js';
import { isMeasuredOk, samples } from './samples.js';
import { describe, type Distribution } from './statistics.js';
import { accountTokens, type TokenAccounting } from './token-accounting.js';

/**
 * The measured window: from the first measured request's sentMs to the last measured request's endMs, whatever
 * their outcome (a cut-off request ends at the cut-off time). Warmup requests are outside it. Times are on the
 * records' clock (ms).
 */
export interface MeasuredWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly durationS: number;
}

export interface RequestCounts {
  /** Records with warmup = false; the rest of the counts split these. */
  readonly measured: number;
  readonly ok: number;
  readonly errors: number;
  readonly cutOff: number;
  /** Warmup records that were passed in and left out of everything else. */
  readonly warmupExcluded: number;
}

/** Rates over the measured window; null when there is no window or it has no length. */
export interface Throughput {
  /** Σ outputTokens of ok measured requests ÷ window seconds. */
  readonly outputTokensPerS: number | null;
  /** ok measured requests ÷ window seconds. */
  readonly requestsPerS: number | null;
  /** Σ (inputTokens + outputTokens) of ok measured requests ÷ window seconds. */
  readonly totalTokensPerS: number | null;
}

export interface ScenarioSummary {
  /** null when there are no measured requests. */
  readonly window: MeasuredWindow | null;
  readonly requests: RequestCounts;
  /** (errors + cut-offs) ÷ measured requests; null when there are no measured requests. */
  readonly errorRate: number | null;
  /** Measured requests with outcome 'error', per category (every category present, 0 when none). */
  readonly errorsByCategory: Record<ErrorCategory, number>;
  /** Each per-request metric's distribution over the measured ok requests (count 0, nulls, when it has no values). */
  readonly metrics: Record<MetricId, Distribution>;
  readonly throughput: Throughput;
  /** Token accounting over the measured ok requests. */
  readonly tokens: TokenAccounting;
}

export interface SummarizeOptions {
  /**
   * Use these bounds (ms, the records' clock) as the measured window instead of deriving it from the records,
   * e.g. when the engine knows exactly when its measured phase began and ended.
   */
  readonly window?: { readonly startMs: number; readonly endMs: number };
}

function measuredWindow(
  measured: readonly RequestRecord[],
  options: SummarizeOptions,
): MeasuredWindow | null {
  if (options.window !== undefined) {
    const { startMs, endMs } = options.window;
    if (!(Number.isFinite(startMs) && Number.isFinite(endMs) && endMs >= startMs)) {
      throw new RangeError(`options.window must have finite startMs ≤ endMs, got ${startMs}…${endMs}`);
    }
    return { startMs, endMs, durationS: (endMs - startMs) / 1000 };
  }
  if (measured.length === 0) return null;
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const record of measured) {
    startMs = Math.min(startMs, record.sentMs);
    endMs = Math.max(endMs, record.endMs);
  }
  return { startMs, endMs, durationS: (endMs - startMs) / 1000 };
}

function perSecond(amount: number, window: MeasuredWindow | null): number | null {
  return window === null || window.durationS <= 0 ? null : amount / window.durationS;
}

/**
 * Summarises one scenario's request records (any order; warmup records may be included and are left out).
 * Throws when the records belong to several scenarios or an error record has no error category.
 */
export function summarizeScenario(
  records: readonly RequestRecord[],
  options: SummarizeOptions = {},
): ScenarioSummary {
  const scenarios = new Set(records.map((r) => r.scenario));
  if (scenarios.size > 1) {
    throw new Error(`summarizeScenario got records of several scenarios: ${[...scenarios].join(', ')}`);
  }
  const measured = records.filter((r) => !r.warmup);
  const ok = measured.filter(isMeasuredOk);
  const errorsByCategory = Object.fromEntries(ERROR_CATEGORIES.map((c) => [c, 0])) as Record<
    ErrorCategory,
    number
  >;
  let errors = 0;
  let cutOff = 0;
  for (const record of measured) {
    if (record.outcome === 'cut_off') cutOff += 1;
    if (record.outcome !== 'error') continue;
    if (record.error === undefined) {
      throw new Error(
        `request ${record.requestId} (scenario ${record.scenario}) failed but has no error category`,
      );
    }
    errors += 1;
    errorsByCategory[record.error.category] += 1;
  }

  const pooled = samples(ok);
  const metrics = Object.fromEntries(METRIC_IDS.map((id) => [id, describe(pooled[id])])) as Record<
    MetricId,
    Distribution
  >;
  const tokens = accountTokens(ok);
  const window = measuredWindow(measured, options);
  return {
    window,
    requests: {
      measured: measured.length,
      ok: ok.length,
      errors,
      cutOff,
      warmupExcluded: records.length - measured.length,
    },
    errorRate: measured.length === 0 ? null : (errors + cutOff) / measured.length,
    errorsByCategory,
    metrics,
    throughput: {
      outputTokensPerS: perSecond(tokens.outputTokens, window),
      requestsPerS: perSecond(ok.length, window),
      totalTokensPerS: perSecond(tokens.inputTokens + tokens.outputTokens, window),
    },
    tokens,
  };
}
