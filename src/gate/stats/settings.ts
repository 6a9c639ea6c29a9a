/**
 * The gate's settings as typed objects: which metrics are gated, with what tolerance and absolute limit, and the
 * statistical knobs. The config layer maps the user's YAML onto {@link GateSettings}; {@link DEFAULT_GATE_SETTINGS}
 * holds the defaults, chosen with the simulation study in test/gate/study.test.ts (see the README section on the
 * gate for its numbers).
 */
import { metricDefinition, type MetricId } from '../../metrics/definitions.js';
import { SAMPLE_STATISTICS, type SampleStatistic } from './bootstrap.js';

/** Gate a statistic of a per-request metric (e.g. TTFT p95) on its ratio to the baseline. */
export interface RequestMetricGate {
  readonly kind: 'request';
  readonly metric: MetricId;
  readonly statistic: SampleStatistic;
  /** Largest tolerated regression as a fraction: 0.10 = 10% slower (or, for higher-is-better metrics, 10% lower). */
  readonly tolerance: number;
  /** Absolute limit in the metric's unit: a maximum (an SLO in ms) for lower-is-better metrics, else a minimum. */
  readonly limit?: number;
}

/** Gate the run's output throughput (tokens/s) on its ratio to the baseline. */
export interface ThroughputGate {
  readonly kind: 'throughput';
  readonly metric: 'output_tokens_per_s';
  /** Largest tolerated drop as a fraction: 0.10 = throughput 10% below the baseline. */
  readonly tolerance: number;
  /** Absolute minimum in tokens/s. */
  readonly limit?: number;
}

/** Gate the run's error rate on its difference from the baseline rate and on an absolute maximum. */
export interface ErrorRateGate {
  readonly kind: 'error_rate';
  readonly metric: 'error_rate';
  /** Largest tolerated increase of the rate, in absolute terms: 0.01 = one percentage point. */
  readonly tolerance: number;
  /** Absolute maximum rate (0.01 = 1% of measured requests). */
  readonly limit?: number;
}

export type MetricGate = RequestMetricGate | ThroughputGate | ErrorRateGate;

export interface GateSettings {
  /** Gated metrics of each scenario, in report order. The first ratio-scale one is the scenario's headline metric. */
  readonly metrics: readonly MetricGate[];
  /**
   * Familywise one-sided significance level: a regression beyond tolerance FAILs only when its Holm-adjusted p-value
   * is at most alpha; the chance that any gated metric of an unchanged scenario FAILs is then at most alpha (as long
   * as the drift is measured, or no larger than noiseFloor while it is assumed).
   */
  readonly alpha: number;
  /** Two-sided level of the confidence intervals shown (descriptive, not Holm-adjusted). */
  readonly confidence: number;
  /** Baseline runs needed before their run-to-run spread is measured; below it the noise is only assumed. */
  readonly minHistoryRuns: number;
  /**
   * Assumed run-to-run drift while the history has fewer than minHistoryRuns runs: the standard deviation of the log
   * of a statistic between runs, beyond each run's own sampling noise (0.05 ≈ 5% run-to-run variation).
   */
  readonly noiseFloor: number;
  /**
   * Pseudo-runs' worth of degrees of freedom the assumed drift (noiseFloor) adds, as a weak prior, to the k − 1 of a
   * measured k-run history's spread; its weight fades as the history grows. 0 lets the history alone decide.
   */
  readonly noiseFloorRuns: number;
  /** Bootstrap resamples per statistic of the current run (the baseline runs share as many, at least 50 each). */
  readonly bootstrapReplicates: number;
  /** Seed of every random stream, so that the same inputs give the same verdicts. */
  readonly seed: number;
  /** Power at which the smallest detectable regression is reported (0.8 = detected four times in five). */
  readonly power: number;
}

/**
 * Defaults, chosen with the simulation study (src/gate/stats/study.ts: 200-request runs; 500–1500 pairs per
 * configuration; "quiet" = a dedicated endpoint, 1–2% run-to-run drift and TTFT sigma 0.3; "noisy" = 3–5% drift,
 * sigma 0.4–0.5; the README has the grid):
 * - tolerances: TTFT p50 10%, p95 15% (tails move more from run to run), output throughput 10% — the smallest
 *   regressions worth failing a pull request for. Whether one that large can be told from noise is for alpha to
 *   decide, and each verdict's smallest detectable regression says how large a regression the data can catch;
 * - error rate: at most 1% of requests, and at most one percentage point above the baseline rate;
 * - alpha 0.01, the false-FAIL rate promised. At 5% drift the difference from the baseline has a standard deviation
 *   of 6–8%, so exceeding a 10% tolerance filters out few unchanged runs and the false-FAIL rate is close to what
 *   Holm's procedure allows: with 0.02 it was 1.1–1.7% for 3- to 10-run histories (1500 pairs each); with 0.01
 *   and the defaults below, 0.2–0.9%. The price: FAILs at +15% with 5 quiet runs fall from about 60% to about 35%;
 * - 95% intervals (the lower bound of the ratio is above 1 about when the unadjusted one-sided p is below 0.025);
 * - the run-to-run spread is measured from 3 runs on; below that the drift is assumed to be noiseFloor, 5%, the high
 *   end of what is expected (unchanged runs then FAILed ≤ 0.8% at up to 5% true drift; at 8%, 5–6%: raise
 *   noiseFloor then);
 * - noiseFloorRuns 0.25: a quarter of a run's worth of the floor pooled with a measured spread. With none, a 3-run
 *   history (2 degrees of freedom) whose runs happened to agree FAILed 1.1% of unchanged runs at 5% drift; with a
 *   quarter, 0.2–0.3%, for 10 points of power at +15% with 5 quiet runs (48% → 37%). A prior at a lower drift (2%,
 *   one run's worth) gained power with 5 runs but understated drift-dominated metrics (throughput, whose within-run
 *   noise is ≈ 1%) at 5% drift: their false FAILs doubled;
 * - 500 bootstrap resamples for the current run, shared among the baseline runs (at least 50 each): the standard
 *   errors' own relative error is then about 3%, negligible beside the history's.
 */
export const DEFAULT_GATE_SETTINGS: GateSettings = Object.freeze({
  metrics: Object.freeze([
    Object.freeze({ kind: 'request', metric: 'ttft_ms', statistic: 'p50', tolerance: 0.1 }),
    Object.freeze({ kind: 'request', metric: 'ttft_ms', statistic: 'p95', tolerance: 0.15 }),
    Object.freeze({ kind: 'throughput', metric: 'output_tokens_per_s', tolerance: 0.1 }),
    Object.freeze({ kind: 'error_rate', metric: 'error_rate', tolerance: 0.01, limit: 0.01 }),
  ] satisfies MetricGate[]),
  alpha: 0.01,
  confidence: 0.95,
  minHistoryRuns: 3,
  noiseFloor: 0.05,
  noiseFloorRuns: 0.25,
  bootstrapReplicates: 500,
  seed: 20240611,
  power: 0.8,
});

/** Which way is better for a gated metric: latencies and error rate lower, throughputs higher. */
export function gateDirection(gate: MetricGate): 'lower' | 'higher' {
  if (gate.kind !== 'request') return gate.kind === 'throughput' ? 'higher' : 'lower';
  const better = metricDefinition(gate.metric).betterWhen;
  if (better === 'neither')
    throw new RangeError(`metric "${gate.metric}" has no better direction and cannot be gated`);
  return better;
}

function check(ok: boolean, field: string, expected: string, value: unknown): void {
  if (!ok) throw new RangeError(`gate settings: ${field} must be ${expected}, got ${JSON.stringify(value)}`);
}

/** Throws a RangeError naming the first invalid field of `settings` (e.g. "metrics[1].tolerance"). */
export function validateGateSettings(settings: GateSettings): void {
  const { alpha, confidence, minHistoryRuns, noiseFloor, noiseFloorRuns, bootstrapReplicates, seed, power } =
    settings;
  check(alpha > 0 && alpha < 0.5, 'alpha', 'within (0, 0.5)', alpha);
  check(confidence > 0 && confidence < 1, 'confidence', 'within (0, 1)', confidence);
  check(
    Number.isInteger(minHistoryRuns) && minHistoryRuns >= 3,
    'minHistoryRuns',
    'an integer ≥ 3',
    minHistoryRuns,
  );
  check(noiseFloor >= 0 && Number.isFinite(noiseFloor), 'noiseFloor', 'a finite number ≥ 0', noiseFloor);
  check(
    noiseFloorRuns >= 0 && Number.isFinite(noiseFloorRuns),
    'noiseFloorRuns',
    'a finite number ≥ 0',
    noiseFloorRuns,
  );
  check(
    Number.isInteger(bootstrapReplicates) && bootstrapReplicates >= 100,
    'bootstrapReplicates',
    'an integer ≥ 100',
    bootstrapReplicates,
  );
  check(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, 'seed', 'an integer in [0, 2^32)', seed);
  check(power > 0.5 && power < 1, 'power', 'within (0.5, 1)', power);
  const seen = new Set<string>();
  settings.metrics.forEach((gate, i) => {
    const field = `metrics[${i}]`;
    check(gate.tolerance > 0 && gate.tolerance < 1, `${field}.tolerance`, 'within (0, 1)', gate.tolerance);
    if (gate.limit !== undefined) {
      check(
        Number.isFinite(gate.limit) && gate.limit >= 0,
        `${field}.limit`,
        'a finite number ≥ 0',
        gate.limit,
      );
    }
    if (gate.kind === 'request') {
      check(
        SAMPLE_STATISTICS.includes(gate.statistic),
        `${field}.statistic`,
        SAMPLE_STATISTICS.join('|'),
        gate.statistic,
      );
    }
    const key = gate.kind === 'request' ? `${gate.metric} ${gate.statistic}` : gate.metric;
    check(!seen.has(key), field, 'a metric gated once', key);
    seen.add(key);
    gateDirection(gate);
  });
}
