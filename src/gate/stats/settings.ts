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
   * is at most alpha; the chance that any gated metric of an unchanged scenario FAILs is then at most alpha.
   */
  readonly alpha: number;
  /** Two-sided level of the confidence intervals shown (descriptive, not Holm-adjusted). */
  readonly confidence: number;
  /** Baseline runs needed before their run-to-run spread is measured; below it the noise is only assumed. */
  readonly minHistoryRuns: number;
  /**
   * Assumed run-to-run drift: the standard deviation of the log of a statistic between runs, beyond each run's own
   * sampling noise (0.05 ≈ 5% run-to-run variation). It stands alone below minHistoryRuns runs and is blended with
   * the measured spread until the history has noiseFloorRuns runs.
   */
  readonly noiseFloor: number;
  /**
   * Runs' worth of evidence the assumed drift carries: a history of k runs contributes k − 1 degrees of freedom and
   * the floor the rest of noiseFloorRuns − 1; from noiseFloorRuns runs on, the history alone decides.
   */
  readonly noiseFloorRuns: number;
  /** Bootstrap resamples per statistic of the current run (baseline runs use a quarter as many). */
  readonly bootstrapReplicates: number;
  /** Seed of every random stream, so that the same inputs give the same verdicts. */
  readonly seed: number;
  /** Power at which the smallest detectable regression is reported (0.8 = detected four times in five). */
  readonly power: number;
}

/**
 * Defaults, chosen with the simulation study (src/gate/stats/study.ts; 1000 pairs per configuration, 200-request
 * runs, TTFT sigma 0.4 and 3% run-to-run drift unless said otherwise):
 * - tolerances: TTFT p50 10%, p95 15% (tails move more from run to run), output throughput 10% — the smallest
 *   regressions worth failing a pull request for. Whether one that large can be told from noise is for alpha to
 *   decide, and each verdict's smallest detectable regression says how large a regression the data can catch;
 * - error rate: at most 1% of requests, and at most one percentage point above the baseline rate;
 * - alpha 0.02: unchanged scenarios FAILed in 0–0.8% of pairs with 1- to 20-run histories, and 0–1.1% at 5% drift
 *   with sigma 0.5 (the tolerance must be exceeded too, which keeps the rate below alpha). In an earlier round, 0.05
 *   let it reach 1–3% with 10–20 runs, and 0.01 cost about 10 points of power at +20% with 20 runs;
 * - 95% intervals (the lower bound of the ratio is above 1 about when the unadjusted one-sided p is below 0.025);
 * - the run-to-run spread is measured from 3 runs on; the assumed drift (noiseFloor) is 5%, the high end of what is
 *   expected, and counts as 10 runs' worth (noiseFloorRuns) until the history has them. Unchanged scenarios then
 *   FAILed 0–0.3% of the time with 1–2 runs at 3–5% true drift, and the FAIL rate at +20% grew steadily with the
 *   history: 10% (1 run), 21% (2), 29% (3), 44% (5), 74% (10), 86% (20). Measured spreads alone, with Student's t
 *   on 2–4 degrees of freedom, caught fewer regressions with 5 runs (29%) than the floor alone did with 2 (52%).
 *   When the true drift exceeds the floor (8% against 5%, 5 runs) false FAILs rose to 2.4%: raise noiseFloor then;
 * - 500 bootstrap resamples: the standard error's own relative error is then 3%, negligible beside the history's.
 */
export const DEFAULT_GATE_SETTINGS: GateSettings = Object.freeze({
  metrics: Object.freeze([
    Object.freeze({ kind: 'request', metric: 'ttft_ms', statistic: 'p50', tolerance: 0.1 }),
    Object.freeze({ kind: 'request', metric: 'ttft_ms', statistic: 'p95', tolerance: 0.15 }),
    Object.freeze({ kind: 'throughput', metric: 'output_tokens_per_s', tolerance: 0.1 }),
    Object.freeze({ kind: 'error_rate', metric: 'error_rate', tolerance: 0.01, limit: 0.01 }),
  ] satisfies MetricGate[]),
  alpha: 0.02,
  confidence: 0.95,
  minHistoryRuns: 3,
  noiseFloor: 0.05,
  noiseFloorRuns: 10,
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
    Number.isInteger(noiseFloorRuns) && noiseFloorRuns >= minHistoryRuns,
    'noiseFloorRuns',
    'an integer ≥ minHistoryRuns',
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
