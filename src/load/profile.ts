/**
 * Runs a whole profile: waits for the endpoint once, then runs the selected scenarios in order, each with its own
 * workload and a connection pool sized to its concurrency. Used by the CLI and the action alike.
 */
import type { Config, ScenarioConfig } from '../config/schema.js';
import { createProvider } from '../providers/index.js';
import type { Clock } from '../providers/types.js';
import { createWorkload } from '../workload/workload.js';
import type { Workload } from '../workload/types.js';
import { runScenario, type LiveStats, type ScenarioRun } from './engine.js';
import type { RequestRecord } from './record.js';
import { waitUntilReady, type ReadinessReport } from './readiness.js';

export interface ProfileOptions {
  readonly clock: Clock;
  readonly countTokens: (text: string) => number;
  /** Run only these scenarios (by name), in config order. */
  readonly only?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onRecord?: (record: RequestRecord) => void;
  /** Progress hooks for the terminal / CI log. */
  readonly onReadinessRetry?: (reason: string, nextProbeInMs: number, waitedMs: number) => void;
  readonly onScenarioStart?: (scenario: ScenarioConfig, workload: Workload, live: LiveStats) => void;
  readonly onScenarioEnd?: (run: ScenarioRun) => void;
}

export interface ScenarioOutcome {
  readonly config: ScenarioConfig;
  readonly fingerprint: string;
  readonly run: ScenarioRun;
}

export interface ProfileRun {
  readonly readiness: ReadinessReport;
  readonly scenarios: ScenarioOutcome[];
  readonly aborted: boolean;
}

/** Picks the scenarios to run, or throws naming the unknown ones and listing what exists. */
export function selectScenarios(config: Config, only?: readonly string[]): ScenarioConfig[] {
  if (only === undefined || only.length === 0) return config.scenarios;
  const names = new Set(config.scenarios.map((s) => s.name));
  const unknown = only.filter((n) => !names.has(n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario ${unknown.map((n) => `"${n}"`).join(', ')}; the config has ${[...names].map((n) => `"${n}"`).join(', ')}`,
    );
  }
  return config.scenarios.filter((s) => only.includes(s.name));
}

export async function runProfile(config: Config, options: ProfileOptions): Promise<ProfileRun> {
  const scenarios = selectScenarios(config, options.only);
  const { clock, signal } = options;

  const probeProvider = createProvider(config.target, { clock, concurrency: 1 });
  let readiness: ReadinessReport;
  try {
    readiness = await waitUntilReady(probeProvider, config.readiness, {
      clock,
      signal,
      onRetry: options.onReadinessRetry,
    });
  } finally {
    await probeProvider.close();
  }
  const outcomes: ScenarioOutcome[] = [];
  if (!readiness.ready) return { readiness, scenarios: outcomes, aborted: signal?.aborted ?? false };

  for (const scenario of scenarios) {
    if (signal?.aborted) break;
    const workload = createWorkload(scenario, config.target, { salt: config.prompt_salt });
    const provider = createProvider(config.target, { clock, concurrency: scenario.concurrency });
    try {
      const running = runScenario({
        scenario,
        workload,
        provider,
        clock,
        countTokens: options.countTokens,
        signal,
        onRecord: options.onRecord,
      });
      options.onScenarioStart?.(scenario, workload, running.live);
      const run = await running.done;
      options.onScenarioEnd?.(run);
      outcomes.push({ config: scenario, fingerprint: workload.fingerprint, run });
    } finally {
      await provider.close();
    }
  }
  return { readiness, scenarios: outcomes, aborted: signal?.aborted ?? false };
}
