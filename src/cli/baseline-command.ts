/**
 * `llm-perf-gate baseline update --results results.json [--baseline PATH] [--config perf.yml] [--id ID] [--commit SHA]`:
 * append a run to the baseline history on disk (the action does the same through the GitHub API on merge).
 */
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { appendRun, DEFAULT_BASELINE_PATH, emptyBaseline } from '../gate/baseline-file.js';
import { readBaselineFile, writeBaselineFile } from '../gate/baseline-disk.js';
import { readResults } from '../results/read.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { gateConfigFrom } from './gate-settings.js';
import type { CliIO } from './io.js';
import { UsageError } from './usage-error.js';

export const BASELINE_OPTIONS = {
  results: { type: 'string', short: 'r' },
  baseline: { type: 'string', short: 'b' },
  config: { type: 'string', short: 'c' },
  id: { type: 'string' },
  commit: { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export async function baselineCommand(
  io: CliIO,
  values: Record<string, unknown>,
  positionals: string[],
): Promise<ExitCode> {
  if (positionals[0] !== 'update' || positionals.length !== 1) {
    throw new UsageError('expected `llm-perf-gate baseline update --results results.json [...]`');
  }
  const resultsPath = values.results as string | undefined;
  if (resultsPath === undefined)
    throw new UsageError('--results is required (a results.json written by run)');
  const at = (p: string): string => path.resolve(io.cwd, p);
  const baselinePath = at((values.baseline as string | undefined) ?? DEFAULT_BASELINE_PATH);
  const configPath = values.config as string | undefined;
  const gate = await gateConfigFrom(configPath === undefined ? undefined : at(configPath));
  const result = await readResults(at(resultsPath));
  const current = (await readBaselineFile(baselinePath)) ?? emptyBaseline();
  const { baseline, notes } = appendRun(current, result, {
    id: (values.id as string | undefined) ?? result.startedAt,
    ...(values.commit ? { commit: values.commit as string } : {}),
    recordedAt: result.finishedAt,
    acceptedBy: 'manual',
    history: gate.history,
  });
  await writeBaselineFile(baselinePath, baseline);
  for (const note of notes) io.err(`${note}\n`);
  io.err(`wrote ${baselinePath}\n`);
  return EXIT.ok;
}
