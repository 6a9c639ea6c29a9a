/**
 * The gate's statistics core: pure functions on numbers and small typed inputs, no I/O. The baseline-file layer
 * stores {@link BaselineRun}s (made by {@link summarizeRun}) and passes them back with a {@link CurrentRun} to
 * {@link gateScenario}, which returns the verdicts the report prints.
 */
export { SAMPLE_STATISTICS, type SampleStatistic } from './bootstrap.js';
export { holmAdjust } from './holm.js';
export type { NoiseSource } from './noise.js';
export type { ErrorCount } from './proportions.js';
export { createRng, deriveSeed, type Rng } from './rng.js';
export {
  ratioLogSE,
  summarizeRun,
  type BaselineRun,
  type CurrentRun,
  type ThroughputSample,
  type ThroughputSummary,
} from './runs.js';
export {
  DEFAULT_GATE_SETTINGS,
  gateDirection,
  validateGateSettings,
  type ErrorRateGate,
  type GateSettings,
  type MetricGate,
  type RequestMetricGate,
  type ThroughputGate,
} from './settings.js';
export {
  DEFAULT_STUDY_OPTIONS,
  runStudy,
  type StudyOptions,
  type StudyRates,
  type StudyResult,
} from './study.js';
export {
  distributionSummarySchema,
  quantileFromSummary,
  sampleFromSummary,
  summarizeDistribution,
  SUMMARY_PERCENTS,
  type DistributionSummary,
} from './summary.js';
export {
  analyzeHistory,
  compareWithHistory,
  gateScenario,
  type GateStatus,
  type HeadlineFigure,
  type HistoryAnalysis,
  type ScenarioVerdict,
  type Verdict,
} from './verdict.js';
