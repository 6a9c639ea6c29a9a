/**
 * The body of `llm-perf-gate run` (and `demo`): run a validated config, stream records to requests.jsonl, write
 * results.json and a chart per sweep (sweep-<scenario>.svg), print the tables. Returns the results and an exit code;
 * the action calls the same function.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config/schema.js';
import { redactConfig } from '../config/redact.js';
import { runProfile } from '../load/profile.js';
import { buildRunResult } from '../results/build.js';
import { collectEnvironment } from '../results/environment.js';
import type { RunResult } from '../results/schema.js';
import { ResultsFiles } from '../report/results-files.js';
import { sweepSvg } from '../report/sweep-svg.js';
import { renderRun } from '../report/terminal.js';
import { describeLoad, formatDuration } from '../report/format.js';
import { countTokens, TOKENIZER_ID } from '../workload/tokenizer.js';
import { TOOL_VERSION } from '../version.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIO } from './io.js';
import { startProgress } from './progress.js';

export interface ExecuteRunOptions {
  readonly config: Config;
  readonly secrets: readonly string[];
  readonly outDir: string;
  readonly only?: readonly string[];
  /** Progress lines on stderr; default true. */
  readonly progress?: boolean;
}

export interface ExecuteRunResult {
  readonly exitCode: ExitCode;
  readonly result: RunResult;
  readonly resultsPath: string;
  readonly requestsPath: string;
  /** The sweep charts written (sweep-<scenario>.svg), one per sweep with at least two charted levels. */
  readonly chartPaths: readonly string[];
}

export async function executeRun(io: CliIO, options: ExecuteRunOptions): Promise<ExecuteRunResult> {
  const clock = (): number => performance.now();
  const files = await ResultsFiles.open(options.outDir);
  const startedAt = new Date();
  const showProgress = options.progress ?? true;
  let stopProgress: (() => void) | undefined;
  let profile;
  try {
    profile = await runProfile(options.config, {
      clock,
      countTokens,
      only: options.only,
      signal: io.signal,
      onRecord: (r) => files.appendRecord(r),
      onReadinessRetry: (reason, next, waited) =>
        io.err(
          `endpoint not ready after ${formatDuration(waited)} (${reason}); next probe in ${formatDuration(next)}\n`,
        ),
      onScenarioStart: (point, workload, live) => {
        io.err(
          `running scenario ${point.name} (workload ${workload.fingerprint.slice(0, 12)}, ${describeLoad(point.load)})\n`,
        );
        if (showProgress) {
          stopProgress = startProgress(live, {
            write: io.err,
            tty: io.tty,
            clock,
            scenario: point.name,
          }).stop;
        }
      },
      onScenarioEnd: () => {
        stopProgress?.();
        stopProgress = undefined;
      },
    });
  } finally {
    stopProgress?.();
    await files.closeRecords();
  }
  const result = buildRunResult({
    profile,
    config: options.config,
    redactedConfig: redactConfig(options.config, options.secrets),
    toolVersion: TOOL_VERSION,
    tokenizer: TOKENIZER_ID,
    environment: collectEnvironment(io.env),
    startedAt,
    finishedAt: new Date(),
  });
  await files.writeResults(result);
  const chartPaths = await writeSweepCharts(result, files.paths.dir);

  if (result.scenarios.length > 0) io.out(`${renderRun(result)}\n\n`);
  io.err(`results: ${files.paths.results}\nrequests: ${files.paths.requests}\n`);
  for (const chart of chartPaths) io.err(`sweep chart: ${chart}\n`);

  let exitCode: ExitCode = EXIT.ok;
  if (!profile.readiness.ready) {
    const why = profile.readiness.lastReason ?? 'no answer';
    io.err(
      profile.readiness.fatal
        ? `error: the endpoint rejected the readiness probe: ${why}\n`
        : `error: the endpoint was not ready after ${formatDuration(profile.readiness.waitedMs)} ` +
            `(readiness.timeout_s = ${options.config.readiness.timeout_s}): ${why}\n`,
    );
    exitCode = profile.readiness.fatal ? EXIT.config : EXIT.notReady;
  } else if (profile.aborted) {
    io.err('run cancelled: finished requests were kept in requests.jsonl and summarised in results.json\n');
    exitCode = EXIT.aborted;
  }
  return {
    exitCode,
    result,
    resultsPath: files.paths.results,
    requestsPath: files.paths.requests,
    chartPaths,
  };
}

/** Writes sweep-<scenario>.svg into `dir` for every sweep that has a chart; returns the paths written. */
async function writeSweepCharts(result: RunResult, dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const sweep of result.sweeps) {
    const svg = sweepSvg(sweep);
    if (svg === undefined) continue;
    const file = path.join(dir, `sweep-${sweep.scenario}.svg`);
    try {
      await writeFile(file, svg);
    } catch (err) {
      throw new Error(`cannot write the sweep chart ${file}: ${(err as Error).message}`, { cause: err });
    }
    written.push(file);
  }
  return written;
}
