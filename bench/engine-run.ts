/**
 * Drives the real client the way `llm-perf-gate run` does: validated config, the OpenAI provider (undici pool, SSE
 * parser), the seeded workload and the closed-loop engine with its recorder. Only the scenario shapes are the
 * benchmark's own.
 */
import { performance } from 'node:perf_hooks';
import {
  scenarioSchema,
  targetSchema,
  type ScenarioConfig,
  type TargetConfig,
} from '../src/config/schema.js';
import { expandScenario } from '../src/load/points.js';
import { runScenario, type RunningScenario } from '../src/load/engine.js';
import { createProvider } from '../src/providers/index.js';
import type { Provider } from '../src/providers/types.js';
import { countTokens } from '../src/workload/tokenizer.js';
import { createWorkload } from '../src/workload/workload.js';

/** The monotonic clock the CLI uses. */
const clock = (): number => performance.now();

/** A validated target config and the provider that sends to it. */
export interface BenchTarget {
  readonly config: TargetConfig;
  readonly provider: Provider;
}

/** An OpenAI-compatible chat target at `baseUrl` (…/v1), with a provider whose pool holds `connections` sockets. */
export function openTarget(baseUrl: string, connections: number): BenchTarget {
  const config = targetSchema.parse({ provider: 'openai', base_url: baseUrl, model: 'bench' });
  return { config, provider: createProvider(config, { clock, concurrency: connections }) };
}

/** A validated scenario from its config fields (the same defaults as a config file). */
export function benchScenario(fields: Readonly<Record<string, unknown>>): ScenarioConfig {
  return scenarioSchema.parse(fields);
}

/** Start `scenario` against `target` with the real engine; the caller awaits `done`. */
export function startRun(
  target: BenchTarget,
  scenario: ScenarioConfig,
  signal?: AbortSignal,
): RunningScenario {
  return runScenario({
    point: expandScenario(scenario)[0]!,
    workload: createWorkload(scenario, target.config),
    provider: target.provider,
    clock,
    countTokens,
    signal,
  });
}
