/**
 * Runs a whole profile: waits for the endpoint once, then runs every load point of the selected scenarios in order
 * (a sweep's points one after another), each with its own workload and a connection pool sized to its load.
 * Used by the CLI and the action alike.
 */
import type { Config, ScenarioConfig } from '../config/schema.js';
import { createProvider, effectiveConnections } from '../providers/index.js';
import type { Clock } from '../providers/types.js';
import type { Workload } from '../workload/types.js';
import { createWorkload } from '../workload/workload.js';
import { runScenario, type LiveStats, type ScenarioRun } from './engine.js';
import { expandScenario, inFlightLimit, type ScenarioPoint } from './points.js';
import type { RequestRecord } from './record.js';
import { waitUntilReady, type ReadinessReport } from './readiness.js';
import { assessValidity, type Validity } from './validity.js';

/** Connections an uncapped open loop may open (it has no concurrency to size the pool by). */
export const OPEN_LOOP_CONNECTIONS = 2048;

export interface ProfileOptions {
  readonly clock: Clock;
  readonly countTokens: (text: string) => number;
  /** Run only these scenarios (by name), in config order. */
  readonly only?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onRecord?: (record: RequestRecord) => void;
  /** Progress hooks for the terminal / CI log. */
  readonly onReadinessRetry?: (reason: string, nextProbeInMs: number, waitedMs: number) => void;
  readonly onScenarioStart?: (point: ScenarioPoint, workload: Workload, live: LiveStats) => void;
  readonly onScenarioEnd?: (run: ScenarioRun) => void;
}

export interface ScenarioOutcome {
  readonly point: ScenarioPoint;
  readonly fingerprint: string;
  readonly run: ScenarioRun;
  readonly validity: Validity;
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

/** The workload of one point: same prompts at every point of a sweep, a point label in each prompt's first line. */
export function pointWorkload(config: Config, point: ScenarioPoint): Workload {
  return createWorkload(point.scenario, config.target, {
    salt: [point.name, config.prompt_salt].filter(Boolean).join(', '),
    fingerprintExtra: { load: point.load },
  });
}

export async function runProfile(config: Config, options: ProfileOptions): Promise<ProfileRun> {
  const points = selectScenarios(config, options.only).flatMap(expandScenario);
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

  for (const point of points) {
    if (signal?.aborted) break;
    const workload = pointWorkload(config, point);
    const connections = inFlightLimit(point.load) ?? OPEN_LOOP_CONNECTIONS;
    const provider = createProvider(config.target, { clock, concurrency: connections });
    try {
      const running = runScenario({
        point,
        workload,
        provider,
        clock,
        countTokens: options.countTokens,
        signal,
        onRecord: options.onRecord,
      });
      options.onScenarioStart?.(point, workload, running.live);
      const run = await running.done;
      options.onScenarioEnd?.(run);
      const validity = assessValidity({
        load: point.load,
        records: run.records,
        selfCheck: run.selfCheck,
        engine: run.engine,
        connections: effectiveConnections(config.target, connections),
        forceOutputLength: point.scenario.force_output_length,
      });
      outcomes.push({ point, fingerprint: workload.fingerprint, run, validity });
    } finally {
      await provider.close();
    }
  }
  return { readiness, scenarios: outcomes, aborted: signal?.aborted ?? false };
}
