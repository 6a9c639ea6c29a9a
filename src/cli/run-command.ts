/** `llm-perf-gate run --config perf.yml [--scenario NAME ...] [--out DIR] [--quiet]` */
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { ExitCode } from './exit-codes.js';
import { executeRun } from './execute-run.js';
import type { CliIO } from './io.js';
import { configOption, loadProfileConfig } from './profile-config.js';

export const DEFAULT_OUT_DIR = 'perf-results';

export const RUN_OPTIONS = {
  config: { type: 'string', short: 'c' },
  scenario: { type: 'string', short: 's', multiple: true },
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export async function runCommand(io: CliIO, values: Record<string, unknown>): Promise<ExitCode> {
  const { loaded, only } = await loadProfileConfig(io, configOption(values), values);
  const outcome = await executeRun(io, {
    config: loaded.config,
    secrets: loaded.secrets,
    outDir: path.resolve(io.cwd, (values.out as string | undefined) ?? DEFAULT_OUT_DIR),
    only,
    progress: values.quiet !== true,
  });
  return outcome.exitCode;
}
