/**
 * `llm-perf-gate demo`: a real run, over real HTTP on loopback, against the built-in simulated endpoint started in a
 * worker thread (so its CPU work never shares the client's event loop), through any provider (`--provider bedrock`
 * speaks AWS event-stream over HTTP/2 to the simulator's Bedrock face). Simulator knobs can be passed as flags, e.g.
 * `--slowdown 1.3` to see what a 30% regression looks like.
 */
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { configSchema, type Config, type ConfigInput } from '../config/schema.js';
import { bedrockDemoTarget, useSimulatorCredentials } from '../sim/bedrock-demo.js';
import { sagemakerDemoTarget } from '../sim/sagemaker-face.js';
import type { SimAddresses } from '../sim/server.js';
import { tgiDemoTarget } from '../sim/tgi-face.js';
import { knobArgOptions, knobsFromFlags } from '../sim/knobs.js';
import { startSimulatorInWorker } from '../sim/worker.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { executeRun } from './execute-run.js';
import type { CliIO } from './io.js';
import { DEFAULT_OUT_DIR } from './run-command.js';
import { positiveIntOption, UsageError } from './usage-error.js';

export const DEMO_OPTIONS = {
  provider: { type: 'string' },
  api: { type: 'string' },
  requests: { type: 'string' },
  concurrency: { type: 'string' },
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  ...knobArgOptions(),
} satisfies NonNullable<ParseArgsConfig['options']>;

export const DEMO_PROVIDERS = ['openai', 'bedrock', 'sagemaker', 'tgi'] as const;
export type DemoProvider = (typeof DEMO_PROVIDERS)[number];

/** The variants each provider's demo can exercise (--api); the first is the default. */
const DEMO_APIS: Readonly<Record<DemoProvider, readonly string[]>> = {
  openai: ['chat', 'completions'],
  bedrock: ['converse', 'invoke'],
  sagemaker: ['tgi', 'messages'],
  tgi: ['generate_stream'],
};

/** The target of the demo: the chosen provider's face of the simulator. */
export function demoTarget(
  addresses: SimAddresses,
  provider: DemoProvider,
  api?: string,
): ConfigInput['target'] {
  const apis = DEMO_APIS[provider];
  const chosen = api ?? apis[0]!;
  if (!apis.includes(chosen)) {
    throw new UsageError(
      `--api: ${provider} takes ${apis.map((a) => `"${a}"`).join(' or ')}, got "${chosen}"`,
    );
  }
  switch (provider) {
    case 'openai':
      return {
        provider,
        base_url: addresses.url,
        model: 'sim-llama-8b',
        api: chosen as 'chat' | 'completions',
      };
    case 'bedrock':
      return bedrockDemoTarget(addresses, chosen as 'converse' | 'invoke');
    case 'sagemaker':
      return sagemakerDemoTarget(addresses, chosen as 'tgi' | 'messages');
    case 'tgi':
      return tgiDemoTarget(addresses);
  }
}

/** The demo profile: a short chat workload, about ten seconds against the simulator's default timing. */
export function demoConfig(target: ConfigInput['target'], requests = 160, concurrency = 16): Config {
  return configSchema.parse({
    target,
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
  const provider = (values.provider as string | undefined) ?? 'openai';
  if (!(DEMO_PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`--provider: expected one of ${DEMO_PROVIDERS.join(', ')}, got "${provider}"`);
  }
  const knobs = knobsFromFlags(values);
  const requests = positiveIntOption('requests', values.requests);
  const concurrency = positiveIntOption('concurrency', values.concurrency);
  const sim = await startSimulatorInWorker(knobs);
  io.err(`simulated endpoint listening at ${sim.origin} (OpenAI ${sim.url}, HTTP/2 ${sim.h2Origin})\n`);
  // The AWS SDK signs every request; the simulator accepts any signature, so dummy credentials do when none are set.
  if (provider === 'bedrock' || provider === 'sagemaker') useSimulatorCredentials();
  try {
    const outcome = await executeRun(io, {
      config: demoConfig(
        demoTarget(sim, provider as DemoProvider, values.api as string | undefined),
        requests,
        concurrency,
      ),
      secrets: [],
      outDir: path.resolve(io.cwd, (values.out as string | undefined) ?? path.join(DEFAULT_OUT_DIR, 'demo')),
      progress: values.quiet !== true,
    });
    return outcome.exitCode === EXIT.ok ? EXIT.ok : outcome.exitCode;
  } finally {
    await sim.close();
  }
}
