/**
 * `llm-perf-gate <command>`: the command-line entry. Parses arguments, installs signal handling, dispatches to a
 * command and turns errors into clear messages and documented exit codes.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/errors.js';
import { BaselineFileError } from '../gate/baseline-file.js';
import { ResultsFileError } from '../results/read.js';
import { baselineCommand, BASELINE_OPTIONS } from './baseline-command.js';
import { calibrateCommand, CALIBRATE_OPTIONS } from './calibrate-command.js';
import { compareCommand, COMPARE_OPTIONS } from './compare-command.js';
import { knobArgOptions, SimKnobError } from '../sim/knobs.js';
import { TOOL_VERSION } from '../version.js';
import { demoCommand, DEMO_OPTIONS } from './demo-command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { processIO, type CliIO } from './io.js';
import { runCommand, RUN_OPTIONS } from './run-command.js';
import { SIM_HELP, simCommand, SIM_OPTIONS } from './sim-command.js';
import { UsageError } from './usage-error.js';

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Whether the command takes positional words (e.g. `baseline update`). */
  readonly positionals?: boolean;
  /** Shown after the option list by `--help`. */
  readonly help?: string;
  readonly run: (io: CliIO, values: Record<string, unknown>, positionals: string[]) => Promise<ExitCode>;
}

const COMMANDS: Record<string, Command> = {
  run: {
    summary: 'run a config against an endpoint and write results',
    usage: 'llm-perf-gate run --config perf.yml [--scenario NAME ...] [--out DIR] [--quiet]',
    options: RUN_OPTIONS,
    run: runCommand,
  },
  demo: {
    summary: 'run a short profile against the built-in simulated endpoint',
    usage:
      'llm-perf-gate demo [--provider openai|bedrock|sagemaker|tgi] [--api NAME] [--requests N] [--concurrency N] [--out DIR] [simulator knobs]',
    options: DEMO_OPTIONS,
    help: SIM_HELP,
    run: demoCommand,
  },
  compare: {
    summary: "compare a results.json with a baseline: the gate's verdicts and table",
    usage:
      'llm-perf-gate compare --results results.json [--baseline PATH] [--config perf.yml] [--format text|markdown|json] [--fail-on fail|warn|never]',
    options: COMPARE_OPTIONS,
    run: compareCommand,
  },
  baseline: {
    summary: 'append a results.json to the baseline history on disk',
    usage:
      'llm-perf-gate baseline update --results results.json [--baseline PATH] [--config perf.yml] [--id ID] [--commit SHA]',
    options: BASELINE_OPTIONS,
    positionals: true,
    run: baselineCommand,
  },
  calibrate: {
    summary: 'run the profile K times, seed the baseline and print the run-to-run noise',
    usage:
      'llm-perf-gate calibrate --config perf.yml [--runs K] [--baseline PATH] [--scenario NAME ...] [--out DIR]',
    options: CALIBRATE_OPTIONS,
    run: calibrateCommand,
  },
  sim: {
    summary: 'serve the simulated OpenAI-compatible endpoint for manual use',
    usage: 'llm-perf-gate sim [--port N] [--host ADDR] [simulator knobs]',
    options: SIM_OPTIONS,
    help: SIM_HELP,
    run: simCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `llm-perf-gate ${TOOL_VERSION} — load-test an LLM endpoint and gate regressions`,
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `llm-perf-gate <command> --help` for its options.',
    'Exit codes: 0 ok, 1 regression, 2 bad config or arguments, 3 endpoint never ready, 4 cancelled, 5 internal error,',
    '6 calibrate recorded too few valid runs.',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${usage()}\n`);
    return name === undefined ? EXIT.config : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`error: unknown command "${name}"\n\n${usage()}\n`);
    return EXIT.config;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${command.usage}\n${helpFor(command)}\n`);
    return EXIT.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: command.options,
      allowPositionals: command.positionals === true,
      strict: true,
    });
  } catch (err) {
    io.err(`error: ${(err as Error).message}\nusage: ${command.usage}\n`);
    return EXIT.config;
  }
  try {
    return await command.run(io, parsed.values as Record<string, unknown>, parsed.positionals);
  } catch (err) {
    if (
      err instanceof ConfigError ||
      err instanceof SimKnobError ||
      err instanceof UsageError ||
      err instanceof BaselineFileError ||
      err instanceof ResultsFileError
    ) {
      io.err(`error: ${err.message}\n`);
      return EXIT.config;
    }
    io.err(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.internal;
  }
}

function helpFor(command: Command): string {
  // Simulator knob flags are listed, with their meaning, in the command's own help text.
  const knobFlags = new Set(command.help === SIM_HELP ? Object.keys(knobArgOptions()) : []);
  const own = Object.entries(command.options)
    .filter(([flag]) => !knobFlags.has(flag))
    .map(
      ([flag, spec]) =>
        `  --${flag}${spec.short ? `, -${spec.short}` : ''}${spec.type === 'string' ? ' VALUE' : ''}`,
    );
  return [...own, ...(command.help ? ['', command.help] : [])].join('\n');
}

/** Process entry: wires signals, runs, exits. A second SIGINT exits at once. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) process.exit(EXIT.aborted);
    process.stderr.write(
      `\nreceived ${sig}: stopping, aborting in-flight requests, keeping what finished…\n`,
    );
    controller.abort(new Error(sig));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await main(argv, processIO(controller.signal));
  process.exitCode = code;
}
