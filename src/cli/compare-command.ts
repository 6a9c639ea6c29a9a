/**
 * `llm-perf-gate compare --baseline baseline.json --results results.json [--config perf.yml] [--format ...]`:
 * the gate's verdicts and table locally or in any CI. Exit 1 on a regression (or, with --fail-on warn, on a warning).
 */
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { DEFAULT_BASELINE_PATH } from '../gate/baseline-file.js';
import { readBaselineFile } from '../gate/baseline-disk.js';
import { compareWithBaseline, failsCheck } from '../gate/compare.js';
import { gateSettingsFrom } from '../gate/settings-from-config.js';
import { renderGateMarkdown } from '../report/gate-markdown.js';
import { gateJson } from '../report/gate-json.js';
import { readResults } from '../results/read.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { gateConfigFrom } from './gate-settings.js';
import type { CliIO } from './io.js';
import { UsageError } from './usage-error.js';

export const COMPARE_OPTIONS = {
  baseline: { type: 'string', short: 'b' },
  results: { type: 'string', short: 'r' },
  config: { type: 'string', short: 'c' },
  format: { type: 'string', short: 'f' },
  'fail-on': { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

const FORMATS = ['text', 'markdown', 'json'] as const;
const FAIL_ON = ['fail', 'warn', 'never'] as const;

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw new UsageError(`--${name}: expected one of ${allowed.join(', ')}, got "${String(value)}"`);
}

export async function compareCommand(io: CliIO, values: Record<string, unknown>): Promise<ExitCode> {
  const resultsPath = values.results as string | undefined;
  if (resultsPath === undefined)
    throw new UsageError('--results is required (a results.json written by run)');
  const format = oneOf('format', values.format, FORMATS, 'text');
  const failOn = oneOf('fail-on', values['fail-on'], FAIL_ON, 'fail');
  const at = (p: string): string => path.resolve(io.cwd, p);
  const baselinePath = at((values.baseline as string | undefined) ?? DEFAULT_BASELINE_PATH);
  const configPath = values.config as string | undefined;
  const settings = gateSettingsFrom(
    await gateConfigFrom(configPath === undefined ? undefined : at(configPath)),
  );
  const result = await readResults(at(resultsPath));
  const baseline = await readBaselineFile(baselinePath);
  if (baseline === undefined)
    io.err(`no baseline at ${baselinePath}: every scenario passes as "no baseline yet"\n`);
  const report = compareWithBaseline(result, baseline, settings);
  if (format === 'json') io.out(`${JSON.stringify(gateJson(report), null, 2)}\n`);
  else io.out(renderGateMarkdown(report, result, { variant: format === 'markdown' ? 'summary' : 'text' }));
  return failsCheck(report, failOn) ? EXIT.regression : EXIT.ok;
}
