/**
 * One load point's records → its summary, over the steady window (src/metrics/steady-window.ts): latency
 * distributions, throughput by arrival inside the window, its stability, errors, token accounting, and — when the
 * scenario sets them — goodput against its SLO and the cost per 1M output tokens. Warmup records and measured requests
 * sent outside the window are left out of everything but throughput; latency distributions use the described ok
 * requests only, because failed and cut-off requests have no comparable latencies (they count in the error rate and
 * against goodput).
 */
import type { CostConfig, SloConfig } from '../config/schema.js';
import type { RequestRecord } from '../load/record.js';
import { ERROR_CATEGORIES, type ErrorCategory } from '../providers/types.js';
import { outputTokenCost, type Cost } from './cost.js';
import { METRIC_IDS, type MetricId } from './definitions.js';
import { goodput, type Goodput } from './goodput.js';
import { samples } from './samples.js';
import { throughputStability, type Stability } from './stability.js';
import { describe, type Distribution } from './statistics.js';
import {
  NO_TRIMMING,
  steadyRecords,
  steadyWindow,
  type SteadyStateSettings,
  type SteadyWindow,
} from './steady-window.js';
import { accountTokens, type TokenAccounting } from './token-accounting.js';
import { windowThroughput, type Throughput } from './window-throughput.js';

export interface RequestCounts {
  /** Measured requests sent inside the steady window (the described ones); the next three counts split these. */
  readonly measured: number;
  readonly ok: number;
  readonly errors: number;
  readonly cutOff: number;
  /** Warmup records that were passed in and left out of everything else. */
  readonly warmupExcluded: number;
  /** Measured requests sent outside the steady window (warmup_s, cooldown_s), left out like warmup ones. */
  readonly trimmed: number;
}

export interface ScenarioSummary {
  /** The steady window; null when there are no measured requests. */
  readonly window: SteadyWindow | null;
  readonly requests: RequestCounts;
  /** (errors + cut-offs) ÷ measured requests; null when there are no measured requests. */
  readonly errorRate: number | null;
  /** Measured requests with outcome 'error', per category (every category present, 0 when none). */
  readonly errorsByCategory: Record<ErrorCategory, number>;
  /** Each per-request metric's distribution over the described ok requests (count 0, nulls, when it has no values). */
  readonly metrics: Record<MetricId, Distribution>;
  /** Rates over the steady window, counted by arrival (src/metrics/window-throughput.ts). */
  readonly throughput: Throughput;
  /** Output tokens/s across time slices of the steady window; null when its loaded part has no length. */
  readonly stability: Stability | null;
  /** Token accounting over the described ok requests. */
  readonly tokens: TokenAccounting;
  /** Requests meeting the scenario's SLO; present when it has one. */
  readonly goodput?: Goodput;
  /** Cost per 1M output tokens; present when the scenario has a price. */
  readonly cost?: Cost;
}

export interface SummarizeOptions {
  /** Trims of the measured phase (scenario warmup_s, cooldown_s); none by default. */
  readonly steadyState?: SteadyStateSettings;
  /** Latency objectives for goodput (scenario slo). */
  readonly slo?: SloConfig;
  /** Price for the cost per 1M output tokens (scenario cost). */
  readonly cost?: CostConfig;
}

/**
 * Summarises one load point's request records (any order; warmup records may be included: they count only for what
 * they delivered inside the window). Throws when the records belong to several scenarios or an error record has no
 * error category.
 */
export function summarizeScenario(
  records: readonly RequestRecord[],
  options: SummarizeOptions = {},
): ScenarioSummary {
  const scenarios = new Set(records.map((r) => r.scenario));
  if (scenarios.size > 1) {
    throw new Error(`summarizeScenario got records of several scenarios: ${[...scenarios].join(', ')}`);
  }
  const window = steadyWindow(records, options.steadyState ?? NO_TRIMMING);
  const measured = steadyRecords(records, window);
  const ok = measured.filter((r) => r.outcome === 'ok');
  const measuredTotal = records.filter((r) => !r.warmup).length;
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
  const throughput =
    window === null
      ? { outputTokensPerS: null, requestsPerS: null, totalTokensPerS: null }
      : windowThroughput(records, window.startMs, window.endMs);
  const durationS = window?.durationS ?? 0;
  return {
    window,
    requests: {
      measured: measured.length,
      ok: ok.length,
      errors,
      cutOff,
      warmupExcluded: records.length - measuredTotal,
      trimmed: measuredTotal - measured.length,
    },
    errorRate: measured.length === 0 ? null : (errors + cutOff) / measured.length,
    errorsByCategory,
    metrics,
    throughput,
    stability: window === null ? null : throughputStability(records, window),
    tokens,
    ...(options.slo ? { goodput: goodput(measured, options.slo, durationS) } : {}),
    ...(options.cost ? { cost: outputTokenCost(options.cost, measured, throughput.outputTokensPerS) } : {}),
  };
}
