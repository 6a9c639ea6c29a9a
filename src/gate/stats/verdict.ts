/**
 * Verdicts: each gated metric of a scenario compared with the baseline history, and the scenario's summary.
 *
 * Rule, per metric (ratio-scale metrics compare logs; the error rate compares rates):
 * - FAIL when the estimated regression exceeds the tolerance AND it is significant: its one-sided p-value (no
 *   regression vs. regression), Holm-adjusted across the scenario's gated metrics, is at most alpha;
 * - WARN when it exceeds the tolerance but is not significant (inconclusive: more requests or `calibrate` help);
 * - PASS otherwise.
 * Absolute limits are checked on the current run alone, whatever the baseline: a value past its limit FAILs when the
 * run's one-sided bound at level 1 − alpha is past it too (so sampling noise alone rarely fails a run sitting at its
 * SLO), and WARNs otherwise. Limits are separate hypotheses about this run, outside the Holm family. A metric's
 * status is the worse of the two checks, and its reason the sentence of that check.
 *
 * The error rate is a proportion: it is compared with the baseline's pooled rate by the difference of rates
 * (Newcombe's interval; Fisher's exact test for significance), never by a ratio, so a baseline with no errors does
 * not turn one error into an infinite regression. Its absolute limit uses the Wilson bound.
 */
import { metricDefinition, type MetricId } from '../../metrics/definitions.js';
import {
  bootstrapLogSE,
  statisticOfSorted,
  statisticProbability,
  type SampleStatistic,
} from './bootstrap.js';
import { normalQuantile, studentTCdf, studentTQuantile } from './distributions.js';
import { holmAdjust } from './holm.js';
import { compareLog, type LogComparison, type NoiseSource } from './noise.js';
import {
  newcombeDifferenceInterval,
  rateIncreasePValue,
  wilsonInterval,
  type ErrorCount,
} from './proportions.js';
import { createRng, deriveSeed } from './rng.js';
import { ratioLogSE, type BaselineRun, type CurrentRun } from './runs.js';
import { gateDirection, validateGateSettings, type GateSettings, type MetricGate } from './settings.js';
import { quantileFromSummary, sampleFromSummary, type DistributionSummary } from './summary.js';

export type GateStatus = 'pass' | 'warn' | 'fail';

/** One gated metric's verdict. */
export interface Verdict {
  readonly metric: MetricId | 'output_tokens_per_s' | 'error_rate';
  /** The statistic compared; `value` for the run's throughput, `rate` for the error rate. */
  readonly statistic: SampleStatistic | 'value' | 'rate';
  /** Which way is better. */
  readonly direction: 'lower' | 'higher';
  /** Baseline value in the metric's unit (the history's centre; the pooled rate for errors); null without history. */
  readonly baseline: number | null;
  /** Current value in the metric's unit; null when the run has no values for the metric. */
  readonly current: number | null;
  /** current ÷ baseline; null when either is missing or the baseline is 0. */
  readonly ratio: number | null;
  /** How `ci` and `tolerance` read: `ratio` (current ÷ baseline) or `difference` (current − baseline, error rate). */
  readonly scale: 'ratio' | 'difference';
  /** Two-sided confidence interval (settings.confidence) of the ratio or the difference; null without a comparison. */
  readonly ci: readonly [number, number] | null;
  /** The gate's tolerance: a fraction (scale ratio) or a rate difference (scale difference). */
  readonly tolerance: number;
  /** The absolute limit, if any (a maximum for lower-is-better metrics, a minimum otherwise). */
  readonly limit: number | null;
  /** One-sided p-value of "no regression"; null without a comparison. */
  readonly pValue: number | null;
  /** Holm-adjusted p-value across the scenario's compared metrics. */
  readonly adjustedP: number | null;
  readonly status: GateStatus;
  /** One short sentence: why this status. */
  readonly reason: string;
  /** Where the noise estimate came from: the history's spread, an assumed floor, the binomial model, or nothing. */
  readonly noiseSource: NoiseSource | 'binomial' | 'none';
  /** Baseline runs compared with (those that had this metric, less outliers). */
  readonly historyRuns: number;
  /** Baseline runs set aside as outliers by the history's median/MAD screen. */
  readonly outlierRuns: number;
  /** Run-to-run spread measured from the history: the relative standard deviation of the statistic (0.04 = 4%). */
  readonly spread: number | null;
  /** Smallest regression (fraction) this comparison FAILs with probability settings.power; null for the error rate. */
  readonly smallestDetectable: number | null;
}

/** A figure of the scenario's headline metric (its first ratio-scale gated metric). */
export interface HeadlineFigure {
  readonly metric: Verdict['metric'];
  readonly statistic: Verdict['statistic'];
  readonly value: number;
}

export interface ScenarioVerdict {
  /** The worst status of the verdicts. */
  readonly status: GateStatus;
  readonly verdicts: readonly Verdict[];
  /** Runs in the baseline history. */
  readonly historyRuns: number;
  /** Run-to-run spread of the headline metric; null while it is assumed (short history). */
  readonly runToRunSpread: HeadlineFigure | null;
  /** Smallest regression of the headline metric detected with settings.power ("smallest detectable regression"). */
  readonly smallestDetectableRegression: HeadlineFigure | null;
}

/** What the history says about one gated metric. */
type MetricHistory =
  | { readonly kind: 'log'; readonly logValues: readonly number[]; readonly logSEs: readonly number[] }
  | { readonly kind: 'errors'; readonly pooled: ErrorCount | null; readonly runs: number };

/** A baseline history reduced to what the verdicts need (see {@link analyzeHistory}). */
export interface HistoryAnalysis {
  readonly runs: number;
  /** Aligned with settings.metrics. */
  readonly metrics: readonly MetricHistory[];
}

/** Statistics bootstrapped from a resample of at most this many values; standard errors scale as 1/√n beyond it. */
const MAX_RESAMPLE = 1000;

const STATUS_ORDER: Record<GateStatus, number> = { pass: 0, warn: 1, fail: 2 };

function worse(a: GateStatus, b: GateStatus): GateStatus {
  return STATUS_ORDER[a] >= STATUS_ORDER[b] ? a : b;
}

/** A statistic's value in a summarised run. */
function summaryStatistic(summary: DistributionSummary, statistic: SampleStatistic): number {
  const q = statisticProbability(statistic);
  return q === undefined ? summary.mean : quantileFromSummary(summary, q);
}

/** The request-metric gates' statistics grouped by metric, so that one resample serves them all. */
function statisticsByMetric(settings: GateSettings): Map<MetricId, SampleStatistic[]> {
  const byMetric = new Map<MetricId, SampleStatistic[]>();
  for (const gate of settings.metrics) {
    if (gate.kind !== 'request') continue;
    const list = byMetric.get(gate.metric) ?? [];
    list.push(gate.statistic);
    byMetric.set(gate.metric, list);
  }
  return byMetric;
}

/**
 * Resamples per baseline run: the current run's number shared among the history's runs (at least 50 each). Baseline
 * runs' errors only enter through their mean square, whose precision depends on the resamples in all runs together,
 * so the history's within-run noise is measured as precisely as the current run's, and a 20-run history costs no
 * more than two current runs.
 */
function baselineReplicates(settings: GateSettings, runs: number): number {
  return Math.max(50, Math.round(settings.bootstrapReplicates / Math.max(1, runs)));
}

/**
 * Within-run standard errors of log statistics of a summarised run: a bootstrap of a stratified inverse-CDF sample
 * of the summary ({@link sampleFromSummary}), of the run's size up to {@link MAX_RESAMPLE} and scaled by √(m/n)
 * beyond it. NaN entries for a run of fewer than 2 values.
 */
function summaryLogSEs(
  summary: DistributionSummary,
  statistics: readonly SampleStatistic[],
  settings: GateSettings,
  runs: number,
  label: string,
): number[] {
  if (summary.n < 2) return statistics.map(() => NaN);
  const m = Math.min(summary.n, MAX_RESAMPLE);
  const rng = createRng(deriveSeed(settings.seed, label));
  const sample = sampleFromSummary(summary, m, rng);
  const scale = Math.sqrt(m / summary.n);
  return bootstrapLogSE(sample, statistics, baselineReplicates(settings, runs), rng).map((se) => se * scale);
}

/**
 * Reduces a baseline history (oldest first or newest first: the order does not matter) to the log statistics and
 * within-run standard errors of each gated metric, and the pooled error count. Runs lacking a metric, or whose
 * statistic is not positive, are left out of that metric's comparison.
 */
export function analyzeHistory(history: readonly BaselineRun[], settings: GateSettings): HistoryAnalysis {
  validateGateSettings(settings);
  const byMetric = statisticsByMetric(settings);
  // Per run and metric, the log standard errors of that metric's gated statistics, computed once.
  const seCache = new Map<string, number[]>();
  const metrics = settings.metrics.map((gate): MetricHistory => {
    if (gate.kind === 'error_rate') {
      const counts = history.flatMap((run) => (run.errors === undefined ? [] : [run.errors]));
      const pooled =
        counts.length === 0
          ? null
          : counts.reduce((a, b) => ({ errors: a.errors + b.errors, total: a.total + b.total }));
      return { kind: 'errors', pooled, runs: counts.length };
    }
    const logValues: number[] = [];
    const logSEs: number[] = [];
    history.forEach((run, j) => {
      let value: number;
      let se: number;
      if (gate.kind === 'throughput') {
        if (run.throughput === undefined) return;
        ({ value, logSe: se } = run.throughput);
      } else {
        const summary = run.distributions[gate.metric];
        if (summary === undefined) return;
        const statistics = byMetric.get(gate.metric) as SampleStatistic[];
        const key = `${j}:${gate.metric}`;
        let ses = seCache.get(key);
        if (ses === undefined) {
          ses = summaryLogSEs(summary, statistics, settings, history.length, `baseline:${key}`);
          seCache.set(key, ses);
        }
        value = summaryStatistic(summary, gate.statistic);
        se = ses[statistics.indexOf(gate.statistic)] as number;
      }
      if (value > 0 && Number.isFinite(value) && Number.isFinite(se)) {
        logValues.push(Math.log(value));
        logSEs.push(se);
      }
    });
    return { kind: 'log', logValues, logSEs };
  });
  return { runs: history.length, metrics };
}

/** Display name of a gated statistic, e.g. "p95 TTFT", "output throughput", "error rate". */
function label(gate: MetricGate): string {
  if (gate.kind === 'throughput') return 'output throughput';
  if (gate.kind === 'error_rate') return 'error rate';
  return `${gate.statistic} ${metricDefinition(gate.metric).name}`;
}

function percent(fraction: number): string {
  const value = Math.abs(fraction * 100);
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}%`;
}

function signedPercent(fraction: number): string {
  return `${fraction >= 0 ? '+' : '−'}${percent(fraction)}`;
}

function formatValue(value: number, unit: string): string {
  return `${Math.abs(value) >= 1000 ? value.toFixed(0) : value.toPrecision(3)} ${unit}`;
}

function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`;
}

/** A comparison before Holm's adjustment decides its status. */
interface Pending {
  readonly gate: MetricGate;
  readonly base: Omit<Verdict, 'adjustedP' | 'status' | 'reason' | 'smallestDetectable'>;
  /** Regression estimate on the comparison's scale (log ratio or rate difference), positive = worse. */
  readonly regression: number | null;
  /** Regression beyond which the tolerance is exceeded, on the same scale. */
  readonly threshold: number;
  readonly comparison: LogComparison | null;
  /** Status and reason of the absolute limit check, when the value is past the limit. */
  readonly limitCheck: { readonly status: GateStatus; readonly reason: string } | null;
  /** Reason to use when there is no relative comparison. */
  readonly note: string | null;
}

/** A per-request metric's gated statistics in the current run and their bootstrap log standard errors. */
interface MeasuredStatistics {
  readonly statistics: readonly SampleStatistic[];
  readonly values: readonly number[];
  readonly logSEs: readonly number[];
}

/**
 * The current run's gated statistics per metric, each metric bootstrapped once (its own seeded stream, so adding a
 * gated metric does not change another's interval). Metrics with fewer than 2 values are left out.
 */
function measureCurrent(current: CurrentRun, settings: GateSettings): Map<MetricId, MeasuredStatistics> {
  const measured = new Map<MetricId, MeasuredStatistics>();
  for (const [metric, statistics] of statisticsByMetric(settings)) {
    const values = current.samples[metric];
    if (values === undefined || values.length < 2) continue;
    const sorted = Float64Array.from(values).sort();
    const rng = createRng(deriveSeed(settings.seed, `current:${metric}`));
    measured.set(metric, {
      statistics,
      values: statistics.map((statistic) => statisticOfSorted(sorted, statistic)),
      logSEs: bootstrapLogSE(sorted, statistics, settings.bootstrapReplicates, rng),
    });
  }
  return measured;
}

/** Log-scale tolerance threshold of a ratio gate: a rise of tol, or a drop of tol for higher-is-better metrics. */
function logThreshold(direction: 'lower' | 'higher', tolerance: number): number {
  return direction === 'lower' ? Math.log1p(tolerance) : -Math.log1p(-tolerance);
}

/** A log-scale regression as a user-facing fraction: a rise for lower-is-better, a drop for higher-is-better. */
function regressionFraction(direction: 'lower' | 'higher', logRegression: number): number {
  return direction === 'lower' ? Math.expm1(logRegression) : -Math.expm1(-logRegression);
}

function limitCheckOfLog(
  gate: MetricGate,
  direction: 'lower' | 'higher',
  current: number,
  currentSE: number,
  settings: GateSettings,
): Pending['limitCheck'] {
  if (gate.limit === undefined) return null;
  const past = direction === 'lower' ? current > gate.limit : current < gate.limit;
  if (!past) return null;
  const unit = gate.kind === 'throughput' ? 'tokens/s' : metricDefinition(gate.metric as MetricId).unit;
  const z = normalQuantile(1 - settings.alpha);
  const bound = Math.exp(Math.log(current) + (direction === 'lower' ? -z : z) * currentSE);
  const sure = direction === 'lower' ? bound > gate.limit : bound < gate.limit;
  const side = direction === 'lower' ? 'over the' : 'under the';
  const what = `${label(gate)} is ${formatValue(current, unit)}, ${side} ${formatValue(gate.limit, unit)} limit`;
  return sure
    ? { status: 'fail', reason: `${what}.` }
    : { status: 'warn', reason: `${what}, but within this run's sampling noise.` };
}

function pendingLog(
  gate: Exclude<MetricGate, { kind: 'error_rate' }>,
  history: Extract<MetricHistory, { kind: 'log' }>,
  current: CurrentRun,
  currentStatistics: ReadonlyMap<MetricId, MeasuredStatistics>,
  settings: GateSettings,
): Pending {
  const direction = gateDirection(gate);
  const statistic: Verdict['statistic'] = gate.kind === 'request' ? gate.statistic : 'value';
  const empty = {
    metric: gate.metric,
    statistic,
    direction,
    baseline: null,
    current: null,
    ratio: null,
    scale: 'ratio' as const,
    ci: null,
    tolerance: gate.tolerance,
    limit: gate.limit ?? null,
    pValue: null,
    noiseSource: 'none' as const,
    historyRuns: history.logValues.length,
    outlierRuns: 0,
    spread: null,
  };
  const threshold = logThreshold(direction, gate.tolerance);
  const nothing = (note: string): Pending => ({
    gate,
    base: empty,
    regression: null,
    threshold,
    comparison: null,
    limitCheck: null,
    note,
  });

  let value: number;
  let se: number;
  if (gate.kind === 'throughput') {
    const sample = current.throughput;
    if (sample === undefined) return nothing(`${label(gate)}: not measured in this run.`);
    value = sample.value;
    se = ratioLogSE(sample.outputTokens, sample.busyMs);
  } else {
    const measured = currentStatistics.get(gate.metric);
    if (measured === undefined)
      return nothing(`${label(gate)}: fewer than 2 values in this run, nothing to compare.`);
    const index = measured.statistics.indexOf(gate.statistic);
    value = measured.values[index] as number;
    se = measured.logSEs[index] as number;
  }
  if (!(value > 0)) {
    return nothing(`${label(gate)} is ${value}; a ratio to the baseline needs a positive value.`);
  }
  if (!Number.isFinite(se)) {
    return nothing(`${label(gate)}: too few positive values in this run to estimate its sampling noise.`);
  }
  const limitCheck = limitCheckOfLog(gate, direction, value, se, settings);
  const withCurrent = { ...empty, current: value };
  if (history.logValues.length === 0) {
    return { ...nothing(`${label(gate)}: no baseline yet.`), base: withCurrent, limitCheck };
  }
  const comparison = compareLog({
    current: Math.log(value),
    currentSE: se,
    history: history.logValues,
    historySE: history.logSEs,
    minHistoryRuns: settings.minHistoryRuns,
    noiseFloor: settings.noiseFloor,
    noiseFloorRuns: settings.noiseFloorRuns,
  });
  const regression = direction === 'lower' ? comparison.difference : -comparison.difference;
  const half = studentTQuantile((1 + settings.confidence) / 2, comparison.df) * comparison.se;
  const baseline = Math.exp(comparison.centre);
  return {
    gate,
    base: {
      ...withCurrent,
      baseline,
      ratio: value / baseline,
      ci: [Math.exp(comparison.difference - half), Math.exp(comparison.difference + half)],
      pValue: 1 - studentTCdf(regression / comparison.se, comparison.df),
      noiseSource: comparison.noiseSource,
      historyRuns: comparison.runs,
      outlierRuns: comparison.outliers,
      spread: comparison.spread === null ? null : Math.expm1(comparison.spread),
    },
    regression,
    threshold,
    comparison,
    limitCheck,
    note: null,
  };
}

function pendingErrors(
  gate: Extract<MetricGate, { kind: 'error_rate' }>,
  history: Extract<MetricHistory, { kind: 'errors' }>,
  current: CurrentRun,
  settings: GateSettings,
): Pending {
  const counts = current.errors;
  const empty = {
    metric: gate.metric,
    statistic: 'rate' as const,
    direction: 'lower' as const,
    baseline: null,
    current: null,
    ratio: null,
    scale: 'difference' as const,
    ci: null,
    tolerance: gate.tolerance,
    limit: gate.limit ?? null,
    pValue: null,
    noiseSource: 'none' as const,
    historyRuns: history.runs,
    outlierRuns: 0,
    spread: null,
  };
  const base = { gate, regression: null, threshold: gate.tolerance, comparison: null };
  if (counts === undefined) {
    return { ...base, base: empty, limitCheck: null, note: 'error rate: not counted in this run.' };
  }
  const rate = counts.errors / counts.total;
  const tally = `${counts.errors}/${counts.total}`;
  let limitCheck: Pending['limitCheck'] = null;
  if (gate.limit !== undefined && rate > gate.limit) {
    const [lower] = wilsonInterval(counts, normalQuantile(1 - settings.alpha));
    const what = `error rate is ${percent(rate)} (${tally}), over the ${percent(gate.limit)} limit`;
    limitCheck =
      lower > gate.limit
        ? { status: 'fail', reason: `${what}.` }
        : { status: 'warn', reason: `${what}, but within sampling noise for ${counts.total} requests.` };
  }
  const withCurrent = { ...empty, current: rate };
  if (history.pooled === null) {
    return {
      ...base,
      base: withCurrent,
      limitCheck,
      note: `error rate is ${percent(rate)} (${tally}); no baseline yet.`,
    };
  }
  const baseRate = history.pooled.errors / history.pooled.total;
  const z = normalQuantile((1 + settings.confidence) / 2);
  return {
    ...base,
    base: {
      ...withCurrent,
      baseline: baseRate,
      ratio: baseRate > 0 ? rate / baseRate : null,
      ci: newcombeDifferenceInterval(counts, history.pooled, z),
      pValue: rateIncreasePValue(counts, history.pooled),
      noiseSource: 'binomial',
    },
    regression: rate - baseRate,
    limitCheck,
    note: null,
  };
}

/** The relative comparison's status and reason, given its Holm-adjusted p-value. */
function relativeOutcome(
  pending: Pending,
  adjustedP: number,
  settings: GateSettings,
): { status: GateStatus; reason: string } {
  const { gate, base, regression, threshold } = pending;
  const name = label(gate);
  const beyond = (regression as number) > threshold;
  const significant = adjustedP <= settings.alpha;
  const status: GateStatus = beyond ? (significant ? 'fail' : 'warn') : 'pass';
  let reason: string;
  if (base.scale === 'difference') {
    const change = `${percent(base.baseline as number)} to ${percent(base.current as number)}`;
    const points = `${(gate.tolerance * 100).toFixed(1)} points`;
    if (status === 'fail')
      reason = `${name} rose from ${change}, more than ${points} and significantly (adjusted p ${formatP(adjustedP)}).`;
    else if (status === 'warn') {
      reason = `${name} rose from ${change}, more than ${points} but not significantly (adjusted p ${formatP(adjustedP)}).`;
    } else reason = `${name} went from ${change}, within ${points}.`;
    return { status, reason };
  }
  const direction = base.direction;
  const fraction = regressionFraction(direction, regression as number);
  const verb = direction === 'lower' ? 'rose' : 'fell';
  const tolerance = percent(gate.tolerance);
  if (status === 'fail') {
    reason = `${name} ${verb} ${percent(fraction)}, beyond the ${tolerance} tolerance and significant (adjusted p ${formatP(adjustedP)}).`;
  } else if (status === 'warn') {
    reason =
      `${name} ${verb} ${percent(fraction)}, beyond the ${tolerance} tolerance but not significant ` +
      `(adjusted p ${formatP(adjustedP)}); run more requests or \`calibrate\` to tell it from noise.`;
  } else {
    reason = `${name} changed ${signedPercent((base.ratio as number) - 1)}, within the ${tolerance} tolerance.`;
  }
  if (base.noiseSource === 'within-run+floor') {
    reason = `${reason.slice(0, -1)}; run-to-run noise assumed (${base.historyRuns} of ${settings.minHistoryRuns} baseline runs).`;
  }
  return { status, reason };
}

/** Smallest regression (fraction) a ratio comparison FAILs with probability settings.power. */
function smallestDetectable(pending: Pending, familySize: number, settings: GateSettings): number | null {
  const { comparison, threshold } = pending;
  if (comparison === null || pending.base.scale !== 'ratio') return null;
  const critical = studentTQuantile(1 - settings.alpha / familySize, comparison.df) * comparison.se;
  const needed =
    Math.max(threshold, critical) + studentTQuantile(settings.power, comparison.df) * comparison.se;
  return regressionFraction(pending.base.direction, needed);
}

/**
 * The verdicts of a current run against an analysed history ({@link analyzeHistory} with the same settings).
 * Deterministic: the same inputs and settings give the same verdicts.
 */
export function compareWithHistory(
  current: CurrentRun,
  history: HistoryAnalysis,
  settings: GateSettings,
): ScenarioVerdict {
  validateGateSettings(settings);
  if (history.metrics.length !== settings.metrics.length) {
    throw new RangeError(
      `history analysis covers ${history.metrics.length} metrics but settings gate ${settings.metrics.length}; analyse it with the same settings`,
    );
  }
  const currentStatistics = measureCurrent(current, settings);
  const pendings = settings.metrics.map((gate, i) => {
    const metricHistory = history.metrics[i] as MetricHistory;
    if (gate.kind === 'error_rate') {
      if (metricHistory.kind !== 'errors')
        throw new RangeError(`history analysis metric ${i} is not an error rate`);
      return pendingErrors(gate, metricHistory, current, settings);
    }
    if (metricHistory.kind !== 'log')
      throw new RangeError(`history analysis metric ${i} is not a ratio metric`);
    return pendingLog(gate, metricHistory, current, currentStatistics, settings);
  });
  const tested = pendings.flatMap((pending, i) => (pending.base.pValue === null ? [] : [i]));
  const adjusted = holmAdjust(tested.map((i) => (pendings[i] as Pending).base.pValue as number));
  const adjustedByIndex = new Map(tested.map((index, t) => [index, adjusted[t] as number]));

  const verdicts = pendings.map((pending, i): Verdict => {
    const adjustedP = adjustedByIndex.get(i) ?? null;
    let status: GateStatus = 'pass';
    let reason = pending.note ?? '';
    if (adjustedP !== null) ({ status, reason } = relativeOutcome(pending, adjustedP, settings));
    else if (pending.base.current === null) status = 'warn';
    if (pending.limitCheck !== null && STATUS_ORDER[pending.limitCheck.status] >= STATUS_ORDER[status]) {
      ({ status, reason } = pending.limitCheck);
    }
    return {
      ...pending.base,
      adjustedP,
      status,
      reason,
      smallestDetectable: smallestDetectable(pending, Math.max(1, tested.length), settings),
    };
  });

  const headline = verdicts.find((v) => v.scale === 'ratio' && v.pValue !== null);
  return {
    status: verdicts.reduce<GateStatus>((acc, v) => worse(acc, v.status), 'pass'),
    verdicts,
    historyRuns: history.runs,
    runToRunSpread:
      headline?.spread == null
        ? null
        : { metric: headline.metric, statistic: headline.statistic, value: headline.spread },
    smallestDetectableRegression:
      headline?.smallestDetectable == null
        ? null
        : { metric: headline.metric, statistic: headline.statistic, value: headline.smallestDetectable },
  };
}

/** Gates a current run against a baseline history: {@link analyzeHistory} then {@link compareWithHistory}. */
export function gateScenario(
  current: CurrentRun,
  history: readonly BaselineRun[],
  settings: GateSettings,
): ScenarioVerdict {
  return compareWithHistory(current, analyzeHistory(history, settings), settings);
}
