/**
 * `llm-perf-gate demo`: a real run, over real HTTP on loopback, against the built-in simulated endpoint started in a
 * worker thread (so its CPU work never shares the client's event loop). Simulator knobs can be passed as flags, e.g.
 * `--slowdown 1.3` to see what a 30% regression looks like.
 */
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { configSchema, type Config } from '../config/schema.js';
import { knobArgOptions, knobsFromFlags } from '../sim/knobs.js';
import { startSimulatorInWorker } from '../sim/worker.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { executeRun } from './execute-run.js';
import type { CliIO } from './io.js';
import { DEFAULT_OUT_DIR } from './run-command.js';
import { positiveIntOption } from './usage-error.js';

export const DEMO_OPTIONS = {
  requests: { type: 'string' },
  concurrency: { type: 'string' },
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  ...knobArgOptions(),
} satisfies NonNullable<ParseArgsConfig['options']>;

/** The demo profile: a short chat workload, about ten seconds against the simulator's default timing. */
export function demoConfig(baseUrl: string, requests = 160, concurrency = 16): Config {
  return configSchema.parse({
    target: { provider: 'openai', base_url: baseUrl, model: 'sim-llama-8b', api: 'chat' },
    readiness: { timeout_s: 30 },
    scenarios: [
      {
        name: 'demo-chat',
        concurrency,
        requests,
        warmup_requests: Math.min(concurrency, requests),
        input_tokens: { mean: 512, stddev: 128, min: 64, max: 1024 },
        output_tokens: { mean: 128, stddev: 32, min: 16, max: 256 },
        seed: 42,
      },
    ],
  });
}

export async function demoCommand(io: CliIO, values: Record<string, unknown>): Promise<ExitCode> {
  const knobs = knobsFromFlags(values);
  const requests = positiveIntOption('requests', values.requests);
  const concurrency = positiveIntOption('concurrency', values.concurrency);
  const sim = await startSimulatorInWorker(knobs);
  io.err(`simulated endpoint listening at ${sim.url}\n`);
  try {
    const outcome = await executeRun(io, {
      config: demoConfig(sim.url, requests, concurrency),
      secrets: [],
      outDir: path.resolve(io.cwd, (values.out as string | undefined) ?? path.join(DEFAULT_OUT_DIR, 'demo')),
      progress: values.quiet !== true,
    });
    return outcome.exitCode === EXIT.ok ? EXIT.ok : outcome.exitCode;
  } finally {
    await sim.close();
  }
}
