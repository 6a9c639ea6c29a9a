/**
 * results.json: what one run measured, self-describing and schema-versioned. It carries the configuration it ran
 * with (secrets redacted), the environment, each scenario's workload fingerprint, the metric definitions the numbers
 * were computed with, the summaries, the raw per-request values the gate resamples, the load generator's own
 * health figures, and a summary of each sweep (knee, capacity).
 */
import type { ReadinessReport } from '../load/readiness.js';
import type { LoadShape, SweepPosition } from '../load/points.js';
import type { SelfCheckFigures } from '../load/self-check.js';
import type { Validity } from '../load/validity.js';
import type { MetricDefinition, MetricId } from '../metrics/definitions.js';
import type { ScenarioSummary } from '../metrics/summary.js';
import type { SweepSummary } from '../metrics/sweep.js';

/** Bump when the shape of results.json changes incompatibly; readers refuse versions they do not know. */
export const RESULTS_SCHEMA_VERSION = 1;

export type RunStatus = 'complete' | 'aborted' | 'not_ready';

export interface Environment {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryBytes: number;
  /** GitHub Actions runner details when running in Actions. */
  readonly ci?: {
    readonly provider: 'github-actions';
    readonly runnerOs?: string;
    readonly runnerName?: string;
  };
}

export interface TargetIdentity {
  readonly provider: string;
  /** Endpoint address with any credentials removed. */
  readonly endpoint: string;
  readonly model?: string;
  readonly api?: string;
  /** The identity the config declares (config `identity`). */
  readonly identity?: string;
}

/** The load a scenario point ran (its shape is part of its fingerprint) and how much of it was measured. */
export type PointLoad = LoadShape & {
  readonly requests?: number;
  readonly durationS?: number;
  readonly warmupRequests: number;
  /** Seconds trimmed from the start and the end of the measured phase (steady window). */
  readonly warmupS: number;
  readonly cooldownS: number;
  readonly timeoutS: number;
};

/**
 * Per-request metric values over the described ok requests (measured, sent inside the steady window; ms rounded to
 * µs). itl_ms is summarised, not listed.
 */
export type ScenarioSamples = Partial<Record<Exclude<MetricId, 'itl_ms'>, number[]>>;

/**
 * Per described request (ok or not): output tokens counted (0 unless ok) and how long it held its slot
 * (endMs − sentMs). The gate's throughput uncertainty is the ratio estimator Σ tokens ÷ Σ busy time over these.
 */
export interface ThroughputSample {
  readonly outputTokens: number[];
  readonly busyMs: number[];
}

export interface ScenarioResult {
  /** The scenario's name, or `name@c8` / `name@r4` for a point of a sweep. */
  readonly name: string;
  readonly fingerprint: string;
  readonly load: PointLoad;
  /** Where this point sits in its sweep, for sweep points. */
  readonly sweep?: SweepPosition;
  /** Whether the client, not the endpoint, limited the measurement (then it is not gated), and its figures. */
  readonly validity: Validity;
  /** The scenario was cancelled before it completed. */
  readonly aborted: boolean;
  readonly summary: ScenarioSummary;
  readonly samples: ScenarioSamples;
  readonly throughputSample: ThroughputSample;
  readonly selfCheck: SelfCheckFigures;
}

export interface RunResult {
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly tool: { readonly name: 'llm-perf-gate'; readonly version: string };
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly target: TargetIdentity;
  readonly tokenizer: string;
  readonly environment: Environment;
  readonly metricDefinitions: { readonly version: string; readonly metrics: readonly MetricDefinition[] };
  readonly readiness: ReadinessReport;
  /** The configuration as run, with every secret replaced by "***". */
  readonly config: unknown;
  readonly scenarios: ScenarioResult[];
  /** One per swept scenario (a scenario with a list of concurrencies or rates), in config order. */
  readonly sweeps: SweepSummary[];
}
