/** `llm-perf-gate run --config perf.yml [--scenario NAME ...] [--out DIR] [--quiet]` */
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { loadConfig } from '../config/load.js';
import { selectScenarios } from '../load/profile.js';
import type { ExitCode } from './exit-codes.js';
import { executeRun } from './execute-run.js';
import type { CliIO } from './io.js';
import { UsageError } from './usage-error.js';

export const DEFAULT_OUT_DIR = 'perf-results';

export const RUN_OPTIONS = {
  config: { type: 'string', short: 'c' },
  scenario: { type: 'string', short: 's', multiple: true },
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export async function runCommand(io: CliIO, values: Record<string, unknown>): Promise<ExitCode> {
  const configPath = values.config as string | undefined;
  if (configPath === undefined)
    throw new UsageError('--config is required (the YAML or JSON profile to run)');
  const absolute = path.resolve(io.cwd, configPath);
  // Messages name the file as the user would write it (perf.yml:14), relative to where they are.
  const shown = path.isAbsolute(configPath) ? configPath : path.relative(process.cwd(), absolute) || absolute;
  const loaded = await loadConfig(shown, io.env);
  io.addSecrets(loaded.secrets);
  const only = values.scenario as string[] | undefined;
  try {
    selectScenarios(loaded.config, only);
  } catch (err) {
    throw new UsageError(`--scenario: ${(err as Error).message}`);
  }
  const outcome = await executeRun(io, {
    config: loaded.config,
    secrets: loaded.secrets,
    outDir: path.resolve(io.cwd, (values.out as string | undefined) ?? DEFAULT_OUT_DIR),
    only,
    progress: values.quiet !== true,
  });
  return outcome.exitCode;
}
