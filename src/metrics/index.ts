/** The metrics module: request records → metric definitions → per-request values → scenario summaries. */
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
  summarizeScenario,
  type MeasuredWindow,
  type RequestCounts,
  type ScenarioSummary,
  type SummarizeOptions,
  type Throughput,
} from './summary.js';
export {
  accountTokens,
  type ChunkAccounting,
  type TokenAccounting,
  type UsageVsTokenizer,
} from './token-accounting.js';
