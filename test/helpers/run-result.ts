/**
 * Realistic results.json contents without a server: seeded closed-loop request records (lognormal TTFT, one chunk per
 * token, optional failures) assembled by the real buildRunResult, with validity from the real assessValidity. The same
 * seed gives the same RunResult, byte for byte; nothing uses Math.random.
 */
import { createHash } from 'node:crypto';
import { appendRun, emptyBaseline, type BaselineFile } from '../../src/gate/baseline-file.js';
import { createRng } from '../../src/gate/stats/rng.js';
import { configSchema } from '../../src/config/schema.js';
import type { ScenarioRun } from '../../src/load/engine.js';
import { expandScenario } from '../../src/load/points.js';
import type { ScenarioOutcome } from '../../src/load/profile.js';
import type { ReadinessReport } from '../../src/load/readiness.js';
import type { RequestRecord } from '../../src/load/record.js';
import type { SelfCheckFigures } from '../../src/load/self-check.js';
import { assessValidity } from '../../src/load/validity.js';
import { buildRunResult } from '../../src/results/build.js';
import type { Environment, RunResult, RunStatus } from '../../src/results/schema.js';
import { TOOL_VERSION } from '../../src/version.js';

/** One scenario of a synthetic run. */
export interface ScenarioShape {
  readonly name: string;
  readonly seed: number;
  /** Measured requests (default 200). */
  readonly requests?: number;
  /** Closed-loop concurrency (default 8). */
  readonly concurrency?: number;
  /** Multiplies every TTFT (median 200 ms at 1). */
  readonly ttftScale?: number;
  /** Multiplies every per-token decode time (median 10 ms at 1). */
  readonly decodeScale?: number;
  /** Log-scale spread of TTFT (default 0.3). */
  readonly sigma?: number;
  /** Measured requests that fail with HTTP 500, spread evenly over the run (default 0). */
  readonly errors?: number;
  /** Workload fingerprint (default {@link fingerprintOf}(name)). */
  readonly fingerprint?: string;
  /** The load generator's event-loop delay p99 in ms (default 1.5); above 20 the point is marked invalid. */
  readonly eventLoopDelayP99Ms?: number;
  /** The scenario was cancelled before it completed (default false). */
  readonly aborted?: boolean;
}

export interface RunShape {
  readonly scenarios: readonly ScenarioShape[];
  /**
   * complete (default), aborted (the profile was cancelled) or not_ready (the endpoint never answered; `run` then
   * measures no scenario, so pass none to be realistic).
   */
  readonly status?: RunStatus;
  /** Start time (ISO); the default is derived from the first scenario's seed so that runs get distinct times. */
  readonly startedAt?: string;
}

/** A stable 64-hex workload fingerprint for a scenario name (and a variant, to model a changed workload). */
export function fingerprintOf(name: string, variant = ''): string {
  return createHash('sha256').update(`synthetic-workload:${name}:${variant}`).digest('hex');
}

const ENVIRONMENT: Environment = {
  node: 'v20.19.0',
  platform: 'linux',
  arch: 'x64',
  cpus: 4,
  cpuModel: 'Synthetic CPU @ 2.40GHz',
  totalMemoryBytes: 16 * 1024 ** 3,
};

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The records of a closed loop at `concurrency`: each slot sends its next request 0.2 ms after its previous one
 * ended. TTFT is lognormal around 200 ms × ttftScale; output lengths are about 64 ± 16 tokens, streamed one token per
 * chunk at about 10 ms × decodeScale each. Failed requests end after ~40 ms with no content.
 */
export function syntheticRecords(shape: ScenarioShape): RequestRecord[] {
  const {
    name,
    seed,
    requests = 200,
    concurrency = 8,
    ttftScale = 1,
    decodeScale = 1,
    sigma = 0.3,
    errors = 0,
  } = shape;
  const rng = createRng(seed);
  const free = new Array<number>(concurrency).fill(0);
  const records: RequestRecord[] = [];
  for (let i = 0; i < requests; i++) {
    const slot = free.indexOf(Math.min(...free));
    const sentMs = round3((free[slot] as number) + 0.2);
    const inputTokens = Math.max(16, Math.round(256 + 32 * rng.normal()));
    const requestedOutputTokens = Math.max(4, Math.round(64 + 16 * rng.normal()));
    const failed = Math.floor(((i + 1) * errors) / requests) > Math.floor((i * errors) / requests);
    const base = {
      scenario: name,
      index: i,
      warmup: false,
      requestId: `lpg-${name}-m${i}`,
      scheduledMs: sentMs,
      sentMs,
      inputTokens,
      requestedOutputTokens,
      outputTokensSource: 'usage' as const,
    };
    let record: RequestRecord;
    if (failed) {
      record = {
        ...base,
        responseMs: round3(sentMs + 30),
        endMs: round3(sentMs + 40 * Math.exp(0.2 * rng.normal())),
        chunkMs: [],
        chunkTokens: [],
        outputTokens: 0,
        outcome: 'error',
        error: { category: 'http_5xx', detail: '500 Internal Server Error', status: 500 },
      };
    } else {
      const ttft = 200 * ttftScale * Math.exp(sigma * rng.normal());
      const perToken = 10 * decodeScale * Math.exp(0.1 * rng.normal());
      const chunkMs = Array.from({ length: requestedOutputTokens }, (_, k) =>
        round3(sentMs + ttft + k * perToken),
      );
      const last = chunkMs[chunkMs.length - 1] as number;
      record = {
        ...base,
        responseMs: round3(sentMs + Math.min(ttft, 5)),
        firstTokenMs: chunkMs[0] as number,
        endMs: round3(last + 0.5),
        chunkMs,
        chunkTokens: chunkMs.map(() => 1),
        outputTokens: requestedOutputTokens,
        outputTokensUsage: requestedOutputTokens,
        outcome: 'ok',
      };
    }
    free[slot] = record.endMs;
    records.push(record);
  }
  return records;
}

function selfCheckOf(shape: ScenarioShape, records: readonly RequestRecord[]): SelfCheckFigures {
  const p99 = shape.eventLoopDelayP99Ms ?? 1.5;
  const wallMs = Math.max(...records.map((r) => r.endMs));
  return {
    eventLoopDelayMs: { p50: Math.min(p99, 1.1), p99, max: p99 * 1.5 },
    eventLoopUtilization: 0.12,
    cpuCores: 0.2,
    wallMs,
    peakRssBytes: 150 * 1024 ** 2,
  };
}

/** A RunResult as `run` would write it for `shape`, built by the real buildRunResult. */
export function syntheticRunResult(shape: RunShape): RunResult {
  const status = shape.status ?? 'complete';
  const config = configSchema.parse({
    target: { provider: 'openai', base_url: 'http://127.0.0.1:8000/v1', model: 'synthetic-8b' },
    identity: 'synthetic endpoint',
    // A config needs a scenario even when the run measured none (an endpoint that never became ready).
    scenarios: (shape.scenarios.length > 0 ? shape.scenarios : [{ name: 'chat', seed: 1 }]).map((s) => ({
      name: s.name,
      seed: s.seed,
      concurrency: s.concurrency ?? 8,
      requests: s.requests ?? 200,
      input_tokens: { mean: 256, stddev: 32 },
      output_tokens: { mean: 64, stddev: 16, min: 4 },
    })),
  });
  const outcomes = shape.scenarios.map((s, i): ScenarioOutcome => {
    const point = expandScenario(config.scenarios[i]!)[0]!;
    const records = syntheticRecords(s);
    const selfCheck = selfCheckOf(s, records);
    const concurrency = s.concurrency ?? 8;
    const engine = { peakInFlight: concurrency };
    const run: ScenarioRun = {
      scenario: s.name,
      records,
      aborted: s.aborted ?? false,
      originAt: 0,
      measuredStartMs: records[0]?.sentMs ?? 0,
      lastSendMs: Math.max(...records.map((r) => r.sentMs)),
      endMs: selfCheck.wallMs,
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
    return { point, fingerprint: s.fingerprint ?? fingerprintOf(s.name), run, validity };
  });
  const readiness: ReadinessReport =
    status === 'not_ready'
      ? { ready: false, waitedMs: 30_000, coldStart: false, probes: 12, lastReason: 'connect ECONNREFUSED' }
      : { ready: true, waitedMs: 4, coldStart: false, probes: 1 };
  const seed = shape.scenarios[0]?.seed ?? 0;
  const startedAt = new Date(shape.startedAt ?? Date.UTC(2025, 0, 1) + (seed % 100_000) * 60_000);
  return buildRunResult({
    profile: { readiness, scenarios: outcomes, aborted: status === 'aborted' },
    config,
    redactedConfig: config,
    toolVersion: TOOL_VERSION,
    tokenizer: 'cl100k_base',
    environment: ENVIRONMENT,
    startedAt,
    finishedAt: new Date(startedAt.getTime() + 90_000),
  });
}

/**
 * A baseline holding `results` in order, as accepted gate passes with ids `run-1` … and commits `c0ffee1…`,
 * `c0ffee2…`, … (so the chart labels are predictable).
 */
export function baselineOf(results: readonly RunResult[], history = 20): BaselineFile {
  let baseline = emptyBaseline();
  results.forEach((result, k) => {
    ({ baseline } = appendRun(baseline, result, {
      id: `run-${k + 1}`,
      commit: `c0ffee${k + 1}`.padEnd(40, '0'),
      recordedAt: result.finishedAt,
      acceptedBy: 'gate-pass',
      history,
    }));
  });
  return baseline;
}
