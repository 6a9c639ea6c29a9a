/**
 * A RunResult with a sweep, built by the real buildRunResult from seeded synthetic records: scenario `chat` sweeps
 * concurrency 1, 2, 4 with an SLO and an hourly price (TTFT grows with load; the load generator lagged at
 * concurrency 2, so that level is invalid), and scenario `steady` trims 1 s at each end of its measured phase.
 */
import { configSchema, type Config } from '../../src/config/schema.js';
import type { ScenarioRun } from '../../src/load/engine.js';
import { expandScenario, type ScenarioPoint } from '../../src/load/points.js';
import type { ScenarioOutcome } from '../../src/load/profile.js';
import type { RequestRecord } from '../../src/load/record.js';
import { assessValidity } from '../../src/load/validity.js';
import { buildRunResult } from '../../src/results/build.js';
import type { RunResult } from '../../src/results/schema.js';
import { syntheticRecords } from '../helpers/run-result.js';

export const SWEEP_CONFIG: Config = configSchema.parse({
  target: { provider: 'openai', base_url: 'http://127.0.0.1:9/v1', model: 'm' },
  scenarios: [
    {
      name: 'chat',
      concurrency: [1, 2, 4],
      requests: 60,
      input_tokens: { mean: 256 },
      output_tokens: { mean: 64 },
      slo: { ttft_ms: 400, tpot_ms: 20 },
      cost: { usd_per_hour: 4 },
    },
    {
      name: 'steady',
      concurrency: 4,
      requests: 120,
      warmup_s: 1,
      cooldown_s: 1,
      input_tokens: { mean: 256 },
      output_tokens: { mean: 64 },
    },
  ],
});

function outcome(point: ScenarioPoint, records: RequestRecord[], eventLoopP99Ms = 1): ScenarioOutcome {
  const concurrency = point.load.mode === 'closed' ? point.load.concurrency : 1;
  const wallMs = Math.max(...records.map((r) => r.endMs));
  const selfCheck = {
    eventLoopDelayMs: { p50: 1, p99: eventLoopP99Ms, max: eventLoopP99Ms },
    eventLoopUtilization: 0.1,
    cpuCores: 0.1,
    wallMs,
    peakRssBytes: 1,
  };
  const engine = { peakInFlight: concurrency };
  const run: ScenarioRun = {
    scenario: point.name,
    records,
    aborted: false,
    originAt: 0,
    measuredStartMs: 0,
    lastSendMs: Math.max(...records.map((r) => r.sentMs)),
    endMs: wallMs,
    selfCheck,
    engine,
  };
  const validity = assessValidity({
    load: point.load,
    records,
    selfCheck,
    engine,
    connections: concurrency,
    forceOutputLength: false,
  });
  return { point, fingerprint: 'f'.repeat(64), run, validity };
}

export function sweepRunResult(): RunResult {
  const points = SWEEP_CONFIG.scenarios.flatMap(expandScenario);
  const outcomes = points.map((point, i) => {
    const concurrency = point.load.mode === 'closed' ? point.load.concurrency : 1;
    const records = syntheticRecords({
      name: point.name,
      seed: 10 + i,
      requests: point.scenario.requests ?? 0,
      concurrency,
      // TTFT grows with load: 200 ms × concurrency
      ttftScale: concurrency,
    });
    // the load generator lagged at concurrency 2: that level is invalid
    return outcome(point, records, point.name === 'chat@c2' ? 50 : 1);
  });
  return buildRunResult({
    profile: {
      readiness: { ready: true, waitedMs: 1, coldStart: false, probes: 1 },
      scenarios: outcomes,
      aborted: false,
    },
    config: SWEEP_CONFIG,
    redactedConfig: SWEEP_CONFIG,
    toolVersion: '0.0.0-test',
    tokenizer: 't',
    environment: { node: 'v20', platform: 'linux', arch: 'x64', cpus: 1, cpuModel: 'c', totalMemoryBytes: 1 },
    startedAt: new Date(0),
    finishedAt: new Date(1000),
  });
}
