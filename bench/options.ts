/** Command-line options of `npm run bench` (node build/bench.js [options]). */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** CI smoke run: fewer, shorter repetitions (about 40 s in all). */
  readonly quick: boolean;
  /** Repetitions per measurement (default 5, or 2 with --quick). */
  readonly reps: number;
  /** Also write every figure as JSON to this file. */
  readonly jsonPath: string | undefined;
  /** Run only these section ids (default: all). */
  readonly only: readonly string[] | undefined;
  readonly help: boolean;
}

const DEFAULT_REPS = 5;
const QUICK_REPS = 2;

/** Help text for the command line. */
export const USAGE = `usage: node build/bench.js [--quick] [--reps N] [--json PATH] [--only ID[,ID...]]

  --quick        CI smoke run: fewer and shorter repetitions (about 40 s)
  --reps N       repetitions of each measurement; tables show the median over them (default ${DEFAULT_REPS}, quick ${QUICK_REPS})
  --json PATH    also write every figure, with each repetition's values, as JSON
  --only IDS     run only these sections (comma-separated ids, see below)
  --help         this text`;

/** Thrown for an invalid command line; the message names the option. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/** Parse the command line (without the node and script paths). */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        reps: { type: 'string' },
        json: { type: 'string' },
        only: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  let reps = values.quick ? QUICK_REPS : DEFAULT_REPS;
  if (values.reps !== undefined) {
    reps = Number(values.reps);
    if (!Number.isInteger(reps) || reps < 1 || reps > 100) {
      throw new BenchUsageError(`--reps: expected an integer from 1 to 100, got "${values.reps}"`);
    }
  }
  if (values.json === '') throw new BenchUsageError('--json: expected a file path');
  const only = values.only
    ?.split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return {
    quick: values.quick,
    reps,
    jsonPath: values.json,
    only: only === undefined || only.length === 0 ? undefined : only,
    help: values.help,
  };
}
