/**
 * `llm-perf-gate calibrate --config perf.yml --runs K [--baseline PATH] [--out DIR]`: runs the profile K times back to
 * back, seeds the baseline history with every run, and prints the run-to-run noise and the smallest regression the
 * gate can then detect. Each run gets its own prompt salt, so a server's prefix cache cannot serve run k from run k−1
 * (which would make the runs look faster and quieter than they are).
 */
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { markdownTable } from 'markdown-table';
import { appendRun, DEFAULT_BASELINE_PATH, emptyBaseline, historyOf } from '../gate/baseline-file.js';
import { readBaselineFile, writeBaselineFile } from '../gate/baseline-disk.js';
import { currentRunOf } from '../gate/current-run.js';
import { gateSettingsFrom } from '../gate/settings-from-config.js';
import { gateScenario } from '../gate/stats/index.js';
import { formatPercent } from '../report/format.js';
import { label } from '../report/metric-label.js';
import type { RunResult } from '../results/schema.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { executeRun } from './execute-run.js';
import type { CliIO } from './io.js';
import { configOption, loadProfileConfig } from './profile-config.js';
import { DEFAULT_OUT_DIR } from './run-command.js';
import { positiveIntOption, UsageError } from './usage-error.js';

export const CALIBRATE_OPTIONS = {
  config: { type: 'string', short: 'c' },
  runs: { type: 'string', short: 'n' },
  baseline: { type: 'string', short: 'b' },
  scenario: { type: 'string', short: 's', multiple: true },
  out: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export async function calibrateCommand(io: CliIO, values: Record<string, unknown>): Promise<ExitCode> {
  const configPath = configOption(values);
  const runs = positiveIntOption('runs', values.runs) ?? 5;
  if (runs < 2) throw new UsageError('--runs: at least 2 runs are needed to see run-to-run noise');
  const baselinePath = path.resolve(io.cwd, (values.baseline as string | undefined) ?? DEFAULT_BASELINE_PATH);
  const { loaded, only } = await loadProfileConfig(io, configPath, values);
  const settings = gateSettingsFrom(loaded.config.gate);
  const outRoot = path.resolve(
    io.cwd,
    (values.out as string | undefined) ?? path.join(DEFAULT_OUT_DIR, 'calibrate'),
  );
  let baseline = (await readBaselineFile(baselinePath)) ?? emptyBaseline();
  const stamp = Date.now().toString(36);
  let last: RunResult | undefined;
  for (let k = 1; k <= runs; k++) {
    io.err(`calibration run ${k} of ${runs}\n`);
    const salt = `${loaded.config.prompt_salt ?? 'calibrate'}-${stamp}-${k}`;
    const outcome = await executeRun(io, {
      config: { ...loaded.config, prompt_salt: salt },
      secrets: loaded.secrets,
      outDir: path.join(outRoot, `run-${k}`),
      only,
      progress: values.quiet !== true,
    });
    if (outcome.exitCode !== EXIT.ok) {
      io.err(
        `calibration stopped: run ${k} did not complete (${outcome.result.status}); the baseline was not changed\n`,
      );
      return outcome.exitCode;
    }
    const appended = appendRun(baseline, outcome.result, {
      id: `calibrate-${stamp}-${k}`,
      recordedAt: outcome.result.finishedAt,
      acceptedBy: 'calibrate',
      history: loaded.config.gate.history,
    });
    baseline = appended.baseline;
    for (const note of appended.notes) io.err(`${note}\n`);
    last = outcome.result;
  }
  await writeBaselineFile(baselinePath, baseline);
  // What was really recorded: invalid points (the load generator limited them) are not.
  const recorded = (last?.scenarios ?? []).map((s) => ({
    name: s.name,
    runs: baseline.scenarios[s.name]?.runs.filter((r) => r.id.startsWith(`calibrate-${stamp}-`)).length ?? 0,
  }));
  io.err(`wrote ${baselinePath}: ${recorded.map((r) => `${r.name} ${r.runs} of ${runs} runs`).join(', ')}\n`);
  if (last) io.out(`${renderNoise(last, baseline, settings)}\n`);
  const short = recorded.filter((r) => r.runs < 2);
  if (short.length > 0) {
    io.err(
      `error: ${short.map((r) => r.name).join(', ')} recorded fewer than 2 valid runs, too few to measure noise; ` +
        'see the notes above for why the others were not recorded\n',
    );
    return EXIT.invalid;
  }
  return EXIT.ok;
}

function renderNoise(
  last: RunResult,
  baseline: Awaited<ReturnType<typeof readBaselineFile>> & object,
  settings: ReturnType<typeof gateSettingsFrom>,
): string {
  const rows = [['scenario', 'metric', 'run-to-run spread', 'smallest detectable regression', 'tolerance']];
  for (const s of last.scenarios) {
    const entry = baseline.scenarios[s.name];
    if (!entry) continue;
    const verdict = gateScenario(currentRunOf(s), historyOf(entry), settings);
    for (const v of verdict.verdicts) {
      rows.push([
        s.name,
        label(v),
        v.spread === null ? '—' : formatPercent(v.spread),
        v.smallestDetectable === null ? '—' : formatPercent(v.smallestDetectable),
        v.scale === 'difference' ? `${(v.tolerance * 100).toFixed(2)} pts` : formatPercent(v.tolerance, 0),
      ]);
    }
  }
  return [
    'Run-to-run noise measured by calibrate (the spread is the relative standard deviation between runs; a regression',
    'smaller than the smallest detectable one is reported as inconclusive rather than failed):',
    '',
    markdownTable(rows, { align: ['l', 'l', 'r', 'r', 'r'] }),
  ].join('\n');
}
