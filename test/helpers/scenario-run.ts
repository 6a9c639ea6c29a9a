/** Runs one scenario of the real engine and OpenAI provider against a simulator on loopback. */
import { performance } from 'node:perf_hooks';
import { configSchema, type Config } from '../../src/config/schema.js';
import { runScenario, type ScenarioRun } from '../../src/load/engine.js';
import { expandScenario } from '../../src/load/points.js';
import { createProvider } from '../../src/providers/index.js';
import type { SimKnobs } from '../../src/sim/knobs.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import type { SimTruth } from '../../src/sim/truth.js';
import { countTokens } from '../../src/workload/tokenizer.js';
import { createWorkload } from '../../src/workload/workload.js';

export const clock = (): number => performance.now();

export function testConfig(
  baseUrl: string,
  scenario: Record<string, unknown> = {},
  target: Record<string, unknown> = {},
): Config {
  return configSchema.parse({
    target: { provider: 'openai', base_url: baseUrl, model: 'sim', ...target },
    readiness: { timeout_s: 5, initial_interval_s: 0.05, max_interval_s: 0.2 },
    scenarios: [
      {
        name: 'engine-test',
        concurrency: 4,
        requests: 20,
        input_tokens: { mean: 64, stddev: 8 },
        output_tokens: { mean: 16, stddev: 4, min: 4 },
        timeout_s: 10,
        ...scenario,
      },
    ],
  });
}

export interface SimRun {
  readonly run: ScenarioRun;
  readonly truth: SimTruth[];
  readonly sim: SimHandle;
  readonly config: Config;
}

/** Starts a simulator with `knobs`, runs the scenario against it, stops the simulator. */
export async function runAgainstSim(
  knobs: Partial<SimKnobs>,
  scenario: Record<string, unknown> = {},
  options: { signal?: AbortSignal; onRecord?: Parameters<typeof runScenario>[0]['onRecord'] } = {},
): Promise<SimRun> {
  const sim = await startSimulator({ log_truth: true, ...knobs });
  try {
    const config = testConfig(sim.url, scenario);
    const s = config.scenarios[0]!;
    const point = expandScenario(s)[0]!;
    const provider = createProvider(config.target, {
      clock,
      concurrency: point.load.mode === 'closed' ? point.load.concurrency : 64,
    });
    try {
      const running = runScenario({
        point,
        workload: createWorkload(s, config.target),
        provider,
        clock,
        countTokens,
        signal: options.signal,
        onRecord: options.onRecord,
      });
      const run = await running.done;
      return { run, truth: await sim.truth(), sim, config };
    } finally {
      await provider.close();
    }
  } finally {
    await sim.close();
  }
}

/** Most intervals [start, end) open at once. */
export function maxOverlap(intervals: readonly (readonly [number, number])[]): number {
  const events = intervals.flatMap(([a, b]) => [
    [a, 1],
    [b, -1],
  ]) as [number, number][];
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let most = 0;
  for (const [, d] of events) {
    open += d;
    most = Math.max(most, open);
  }
  return most;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
