/** Assembles results.json from a finished profile run. Pure: the caller supplies times, environment and version. */
import type { Config, TargetConfig } from '../config/schema.js';
import type { ScenarioPoint } from '../load/points.js';
import type { ProfileRun } from '../load/profile.js';
import type { RequestRecord } from '../load/record.js';
import { METRIC_DEFINITIONS, METRIC_DEFINITIONS_VERSION, METRIC_IDS } from '../metrics/definitions.js';
import { samples } from '../metrics/samples.js';
import { summarizeScenario } from '../metrics/summary.js';
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
    scenarios: profile.scenarios.map((s): ScenarioResult => ({
      name: s.point.name,
      fingerprint: s.fingerprint,
      load: pointLoad(s.point),
      ...(s.point.sweep ? { sweep: s.point.sweep } : {}),
      validity: s.validity,
      aborted: s.run.aborted,
      summary: summarizeScenario(s.run.records),
      samples: scenarioSamples(s.run.records),
      throughputSample: throughputSample(s.run.records),
      selfCheck: s.run.selfCheck,
    })),
  };
}

export function pointLoad(point: ScenarioPoint): PointLoad {
  const s = point.scenario;
  return {
    ...point.load,
    ...(s.requests !== undefined ? { requests: s.requests } : {}),
    ...(s.duration_s !== undefined ? { durationS: s.duration_s } : {}),
    warmupRequests: s.warmup_requests,
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

function throughputSample(records: readonly RequestRecord[]): ThroughputSample {
  const measured = records.filter((r) => !r.warmup);
  return {
    outputTokens: measured.map((r) => (r.outcome === 'ok' ? r.outputTokens : 0)),
    busyMs: measured.map((r) => round3(r.endMs - r.sentMs)),
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
