/** `llm-perf-gate sim --port N [knobs]`: serve the simulated endpoint until interrupted. */
import type { ParseArgsConfig } from 'node:util';
import { formatKnobHelp, knobArgOptions, knobsFromFlags } from '../sim/knobs.js';
import { startSimulator } from '../sim/server.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIO } from './io.js';
import { UsageError } from './usage-error.js';

export const SIM_OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  ...knobArgOptions(),
} satisfies NonNullable<ParseArgsConfig['options']>;

export const SIM_HELP = `Simulator knobs:\n${formatKnobHelp()}`;

export async function simCommand(io: CliIO, values: Record<string, unknown>): Promise<ExitCode> {
  const port = values.port === undefined ? 8000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port: expected a port number 0-65535, got "${String(values.port)}"`);
  }
  const sim = await startSimulator(knobsFromFlags(values), {
    port,
    ...(values.host !== undefined ? { host: values.host as string } : {}),
  });
  io.out(`simulated OpenAI-compatible endpoint at ${sim.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sim.close();
  return EXIT.ok;
}
