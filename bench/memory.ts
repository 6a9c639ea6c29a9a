/**
 * Section "memory": what the client holds per in-flight request and per recorded token. The simulators run in worker
 * threads of this process; the client runs in a child process started with --expose-gc (memory-client.ts), once per
 * repetition, so every measurement starts from a fresh heap and its RSS is the client's alone.
 */
import type { SimKnobs } from '../src/sim/knobs.js';
import { startSimulatorInWorker } from '../src/sim/worker.js';
import { CHILD_ROLES, spawnBenchChild } from './child-process.js';
import type {
  InFlightFigures,
  InFlightJob,
  MemoryFigures,
  MemoryJob,
  MemoryJobResult,
  RecordsFigures,
  RecordsJob,
} from './memory-client.js';
import type { BenchSection, SectionContext, SectionReport } from './section.js';
import { median } from './stats.js';

interface Plan {
  readonly inFlight: number;
  /** One in-flight measurement per value (max_tokens): the recorder's chunk arrays start at max_tokens + 2 slots, 64 at most. */
  readonly inFlightOutputTokens: readonly number[];
  readonly holdMs: number;
  readonly recordRequests: number;
  readonly recordOutputTokens: number;
  readonly maxReps: number;
}

const PLANS: Readonly<Record<'full' | 'quick', Plan>> = {
  full: {
    inFlight: 1000,
    inFlightOutputTokens: [256, 4096],
    holdMs: 1500,
    recordRequests: 256,
    recordOutputTokens: 256,
    maxReps: 3,
  },
  quick: {
    inFlight: 300,
    inFlightOutputTokens: [256, 4096],
    holdMs: 1000,
    recordRequests: 128,
    recordOutputTokens: 256,
    maxReps: 1,
  },
};

/** The step of the slow simulator: every request stays open, receiving a chunk per step. */
const SLOW_STEP_MS = 50;

/** Slow steps keep every request open; the batch holds all of them so none waits in a queue. */
function slowKnobs(plan: Plan): Partial<SimKnobs> {
  return {
    max_batch: plan.inFlight,
    step_ms: SLOW_STEP_MS,
    per_seq_ms: 0,
    prefill_ms_per_1k_tokens: 0,
    jitter: 0,
  };
}
const FAST_KNOBS: Partial<SimKnobs> = { max_batch: 64, step_ms: 1, per_seq_ms: 0, jitter: 0 };
const RECORD_CONCURRENCY = 64;

const FIELDS = ['heapUsed', 'external', 'rss'] as const;
type Field = (typeof FIELDS)[number];
type PerField = Record<Field, number>;
const FIELD_NAMES: Record<Field, string> = {
  heapUsed: 'JS heap',
  external: 'external (typed arrays, buffers)',
  rss: 'RSS',
};

const KIB = 1024;
function formatBytes(bytes: number): string {
  return Math.abs(bytes) >= 10 * KIB ? `${(bytes / KIB).toFixed(1)} KiB` : `${Math.round(bytes)} B`;
}

/** Per field, the median over repetitions of figure ÷ divisor. */
function per(figures: readonly MemoryFigures[], divisors: readonly number[]): PerField {
  const out: PerField = { heapUsed: 0, external: 0, rss: 0 };
  for (const field of FIELDS) {
    out[field] = median(figures.map((f, i) => f[field] / (divisors[i] ?? Number.NaN)));
  }
  return out;
}

/** A table row; fields not in `shown` print as a dash. */
function row(label: string, f: PerField, shown: readonly Field[] = FIELDS): string[] {
  return [label, ...FIELDS.map((field) => (shown.includes(field) ? formatBytes(f[field]) : '—'))];
}

/** Run `job` in a fresh client process started with --expose-gc. */
async function runJob<T extends MemoryJobResult>(context: SectionContext, job: MemoryJob): Promise<T> {
  const child = spawnBenchChild<T>(context.benchFile, CHILD_ROLES.memoryClient, job, ['--expose-gc']);
  try {
    return await child.first;
  } finally {
    await child.stop();
  }
}

interface Results {
  /** Per max_tokens of the plan, one result per repetition. */
  readonly inFlight: readonly (readonly InFlightFigures[])[];
  readonly records: readonly RecordsFigures[];
}

async function measure(context: SectionContext, plan: Plan, reps: number): Promise<Results> {
  const slow = await startSimulatorInWorker(slowKnobs(plan));
  const fast = await startSimulatorInWorker(FAST_KNOBS);
  const inFlight = plan.inFlightOutputTokens.map((): InFlightFigures[] => []);
  const records: RecordsFigures[] = [];
  try {
    for (let r = 0; r < reps; r++) {
      for (const [i, maxTokens] of plan.inFlightOutputTokens.entries()) {
        context.log(
          `memory: repetition ${r + 1}/${reps}, ${plan.inFlight} requests in flight, max_tokens ${maxTokens}`,
        );
        const job: InFlightJob = {
          kind: 'in-flight',
          url: slow.url,
          requests: plan.inFlight,
          maxTokens,
          holdMs: plan.holdMs,
        };
        inFlight[i]?.push(await runJob<InFlightFigures>(context, job));
      }
      context.log(`memory: repetition ${r + 1}/${reps}, records of a finished run`);
      const job: RecordsJob = {
        kind: 'records',
        url: fast.url,
        requests: plan.recordRequests,
        outputTokens: plan.recordOutputTokens,
        concurrency: RECORD_CONCURRENCY,
      };
      records.push(await runJob<RecordsFigures>(context, job));
    }
  } finally {
    await Promise.all([slow.close(), fast.close()]);
  }
  return { inFlight, records };
}

async function run(context: SectionContext): Promise<SectionReport> {
  const plan = context.quick ? PLANS.quick : PLANS.full;
  const reps = Math.min(context.reps, plan.maxReps);
  const results = await measure(context, plan, reps);

  const inFlight = plan.inFlightOutputTokens.map((maxTokens, i) => {
    const phases = results.inFlight[i] ?? [];
    return {
      maxTokens,
      chunksAtFirst: median(phases.map((f) => f.chunksAtFirst)),
      chunksAtSecond: median(phases.map((f) => f.chunksAtSecond)),
      perRequest: per(
        phases.map((f) => f.atFirst),
        phases.map((f) => f.requests),
      ),
      perChunk: per(
        phases.map((f) => f.growth),
        phases.map((f) => (f.chunksAtSecond - f.chunksAtFirst) * f.requests),
      ),
    };
  });
  const records = results.records;
  const perToken = per(
    records.map((r) => r.retained),
    records.map((r) => r.outputTokens),
  );
  const perRecord = per(
    records.map((r) => r.retained),
    records.map((r) => r.records),
  );

  const rows: string[][] = [
    ...inFlight.map((f) =>
      row(
        `in-flight request, max_tokens ${f.maxTokens} (${plan.inFlight} open, ~${Math.round(f.chunksAtFirst)} chunks in)`,
        f.perRequest,
      ),
    ),
    ...inFlight.map((f) =>
      row(
        `chunk received in flight, max_tokens ${f.maxTokens} (${Math.round(f.chunksAtFirst)} → ` +
          `${Math.round(f.chunksAtSecond)} per request)`,
        f.perChunk,
      ),
    ),
    row(
      `recorded output token, records kept after a run (${plan.recordRequests} × ${plan.recordOutputTokens} tokens)`,
      perToken,
      ['heapUsed', 'external'],
    ),
    row('finished record (same run)', perRecord, ['heapUsed', 'external']),
  ];
  return {
    tables: [
      {
        title: `Memory of the client after forced GC (median of ${reps} repetition${reps === 1 ? '' : 's'}, each job in a fresh process)`,
        head: ['per …', ...FIELDS.map((f) => FIELD_NAMES[f])],
        rows,
      },
    ],
    notes: [
      `In-flight requests: forced output length, 32-token prompts, one keep-alive connection each, against a ` +
        `simulator (worker thread of the parent) stepping every ${SLOW_STEP_MS} ms. The figure is the growth over ` +
        'the idle client (provider created, JIT warm) once every stream has its first token; it includes the ' +
        'socket, undici and SSE parser state, the recorder (its chunk arrays start at up to 64 slots and double ' +
        'as chunks arrive) and the request. RSS also counts memory the allocator keeps after GC.',
      'Records: the heap still held by a finished run (its RequestRecord list with per-chunk times and token counts) ' +
        'divided by the output tokens it recorded. RSS is not shown there: after the run, GC returns pages ' +
        'unevenly, so its difference says nothing about the records.',
    ],
    figures: { plan, inFlight, perRecordedToken: perToken, perRecord, results },
    targets: [],
  };
}

export const memorySection: BenchSection = {
  id: 'memory',
  title: 'Memory per in-flight request and per recorded token',
  summary:
    'Heap, external memory and RSS of the client process (a child started with --expose-gc) while N requests stream ' +
    'at once, and the heap the records of a finished run retain per output token.',
  run,
};
