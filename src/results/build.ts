/** Assembles results.json from a finished profile run. Pure: the caller supplies times, environment and version. */
import type { Config, SloConfig, TargetConfig } from '../config/schema.js';
import type { ScenarioPoint, SweepPosition } from '../load/points.js';
import type { ProfileRun, ScenarioOutcome } from '../load/profile.js';
import type { RequestRecord } from '../load/record.js';
import { METRIC_DEFINITIONS, METRIC_DEFINITIONS_VERSION, METRIC_IDS } from '../metrics/definitions.js';
import { samples } from '../metrics/samples.js';
import { steadyRecords, steadyWindow, type SteadyStateSettings } from '../metrics/steady-window.js';
import { summarizeScenario } from '../metrics/summary.js';
import { summarizeSweep, type SweepLevel, type SweepSummary } from '../metrics/sweep.js';
import {
  RESULTS_SCHEMA_VERSION,
  type Environment,
  type PointLoad,
  type RunResult,
  type RunStatus,
  type ScenarioResult,
  type ScenarioSamples,
  type TargetIdentity,
  type ThroughputSample,
} from './schema.js';

export interface BuildInput {
  readonly profile: ProfileRun;
  readonly config: Config;
  /** The configuration with secrets replaced (config/redact.ts). */
  readonly redactedConfig: unknown;
  readonly toolVersion: string;
  readonly tokenizer: string;
  readonly environment: Environment;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

export function buildRunResult(input: BuildInput): RunResult {
  const { profile } = input;
  const scenarios = profile.scenarios.map(scenarioResult);
  const status: RunStatus = !profile.readiness.ready ? 'not_ready' : profile.aborted ? 'aborted' : 'complete';
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'llm-perf-gate', version: input.toolVersion },
    status,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    target: {
      ...targetIdentity(input.config.target),
      ...(input.config.identity ? { identity: input.config.identity } : {}),
    },
    tokenizer: input.tokenizer,
    environment: input.environment,
    metricDefinitions: { version: METRIC_DEFINITIONS_VERSION, metrics: METRIC_DEFINITIONS },
    readiness: profile.readiness,
    config: input.redactedConfig,
    scenarios,
    sweeps: sweepSummaries(profile.scenarios, scenarios),
  };
}

/** The steady-state trims a point's scenario asks for. */
/** An open loop's ramp-up is not steady state: the window starts after it (and after warmup_s). */
function steadyState(point: ScenarioPoint): SteadyStateSettings {
  const ramp = point.load.mode === 'open' ? point.load.rampUpS : 0;
  return { warmupS: point.scenario.warmup_s + ramp, cooldownS: point.scenario.cooldown_s };
}

function scenarioResult(s: ScenarioOutcome): ScenarioResult {
  const { point } = s;
  const settings = steadyState(point);
  const described = steadyRecords(s.run.records, steadyWindow(s.run.records, settings));
  return {
    name: point.name,
    fingerprint: s.fingerprint,
    load: pointLoad(point),
    ...(point.sweep ? { sweep: point.sweep } : {}),
    validity: s.validity,
    aborted: s.run.aborted,
    summary: summarizeScenario(s.run.records, {
      steadyState: settings,
      ...(point.scenario.slo ? { slo: point.scenario.slo } : {}),
      ...(point.scenario.cost ? { cost: point.scenario.cost } : {}),
    }),
    samples: scenarioSamples(described),
    throughputSample: throughputSample(described),
    selfCheck: s.run.selfCheck,
  };
}

/**
 * One summary per swept scenario, from the results of its points (outcomes and results in the same order). A level
 * counts as valid for the knee and capacity when the load generator did not limit it and it was not cancelled.
 */
export function sweepSummaries(
  outcomes: readonly ScenarioOutcome[],
  results: readonly ScenarioResult[],
): SweepSummary[] {
  const groups = new Map<
    string,
    { slo?: SloConfig; parameter: SweepPosition['parameter']; levels: SweepLevel[] }
  >();
  outcomes.forEach(({ point }, i) => {
    const result = results[i];
    if (point.sweep === undefined || result === undefined) return;
    const group = groups.get(point.sweep.scenario) ?? {
      ...(point.scenario.slo ? { slo: point.scenario.slo } : {}),
      parameter: point.sweep.parameter,
      levels: [],
    };
    group.levels.push({
      name: result.name,
      value: point.sweep.value,
      valid: result.validity.valid && !result.aborted,
      summary: result.summary,
    });
    groups.set(point.sweep.scenario, group);
  });
  return [...groups].map(([scenario, group]) => summarizeSweep({ scenario, ...group }));
}

export function pointLoad(point: ScenarioPoint): PointLoad {
  const s = point.scenario;
  return {
    ...point.load,
    ...(s.requests !== undefined ? { requests: s.requests } : {}),
    ...(s.duration_s !== undefined ? { durationS: s.duration_s } : {}),
    warmupRequests: s.warmup_requests,
    warmupS: s.warmup_s + (point.load.mode === 'open' ? point.load.rampUpS : 0),
    cooldownS: s.cooldown_s,
    timeoutS: s.timeout_s,
  };
}

/** Who was measured, without credentials: URLs lose any user:password and query string. */
export function targetIdentity(target: TargetConfig): TargetIdentity {
  switch (target.provider) {
    case 'openai':
      return {
        provider: target.provider,
        endpoint: cleanUrl(target.base_url),
        model: target.model,
        api: target.api,
      };
    case 'tgi':
      return { provider: target.provider, endpoint: cleanUrl(target.base_url), api: 'generate_stream' };
    case 'bedrock':
      return {
        provider: target.provider,
        endpoint: target.endpoint_url ? cleanUrl(target.endpoint_url) : `bedrock-runtime.${target.region}`,
        model: target.model_id,
        api: target.api,
      };
    case 'sagemaker':
      return {
        provider: target.provider,
        endpoint: target.endpoint_url ? cleanUrl(target.endpoint_url) : `sagemaker-runtime.${target.region}`,
        model: target.inference_component
          ? `${target.endpoint_name}/${target.inference_component}`
          : target.endpoint_name,
        api: target.payload,
      };
  }
}

function cleanUrl(text: string): string {
  const url = new URL(text);
  url.username = '';
  url.password = '';
  url.search = '';
  return url.toString().replace(/\/$/, '');
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Per described request: output tokens (0 unless ok) and busy time. */
function throughputSample(described: readonly RequestRecord[]): ThroughputSample {
  return {
    outputTokens: described.map((r) => (r.outcome === 'ok' ? r.outputTokens : 0)),
    busyMs: described.map((r) => round3(r.endMs - r.sentMs)),
  };
}

function scenarioSamples(records: readonly RequestRecord[]): ScenarioSamples {
  const pooled = samples(records);
  const out: Record<string, number[]> = {};
  for (const id of METRIC_IDS) {
    if (id === 'itl_ms') continue;
    out[id] = pooled[id].map(round3);
  }
  return out as ScenarioSamples;
}
