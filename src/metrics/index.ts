/**
 * The metrics module: request records → metric definitions → per-request values → load point summaries (steady
 * window, throughput by arrival, stability, goodput, cost) → sweep summaries (knee, capacity).
 */
export {
  METRIC_DEFINITIONS,
  METRIC_DEFINITIONS_VERSION,
  METRIC_IDS,
  RUN_METRIC_IDS,
  metricDefinition,
  renderMetricDefinitionsMarkdown,
  type BetterWhen,
  type MetricDefinition,
  type MetricId,
  type MetricUnit,
  type RunMetricId,
} from './definitions.js';
export {
  dispatchLagMs,
  e2elMs,
  itlMs,
  requestOutputTokensPerS,
  requestSamples,
  tpotMs,
  ttfatMs,
  ttftMs,
} from './request-metrics.js';
export { isMeasuredOk, samples } from './samples.js';
export {
  EMPTY_DISTRIBUTION,
  describe,
  percentile,
  type Distribution,
  type EmptyDistribution,
  type FilledDistribution,
} from './statistics.js';
export {
  NO_TRIMMING,
  isSteady,
  steadyRecords,
  steadyWindow,
  type SteadyStateSettings,
  type SteadyWindow,
} from './steady-window.js';
export { tokensByArrival, windowThroughput, type Throughput } from './window-throughput.js';
export {
  LONG_SLICE_S,
  LONG_SPAN_S,
  STABILITY_SLICES,
  sliceCount,
  throughputStability,
  type Stability,
} from './stability.js';
export {
  SLO_METRICS,
  goodput,
  goodputTpotMs,
  missedObjectives,
  sloObjectives,
  type Goodput,
  type SloMetric,
} from './goodput.js';
export { outputTokenCost, type Cost } from './cost.js';
export {
  KNEE_MAX_GAIN_PER_DOUBLING,
  KNEE_SHARE_OF_BEST,
  findKnee,
  gainPerDoubling,
  type CurvePoint,
  type KneeFinding,
} from './knee.js';
export {
  levelName,
  sloBreaches,
  summarizeSweep,
  type SweepLevel,
  type SweepMark,
  type SweepPoint,
  type SweepSummary,
} from './sweep.js';
export {
  summarizeScenario,
  type RequestCounts,
  type ScenarioSummary,
  type SummarizeOptions,
} from './summary.js';
export {
  accountTokens,
  type ChunkAccounting,
  type TokenAccounting,
  type UsageVsTokenizer,
} from './token-accounting.js';
