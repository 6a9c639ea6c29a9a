/**
 * The client side of the "memory" section. Each job runs in a fresh process started with --expose-gc, so forced
 * collections are possible, every job starts from the same idle heap and RSS, and the process holds nothing but the
 * client (the simulators run in the parent's worker threads).
 *
 * Jobs, measured after forced GCs:
 * - in-flight: the growth of heap, external memory and RSS while `requests` requests stream at once, at two moments,
 *   to split the cost of an open request from the cost of each chunk it has received so far;
 * - records: the memory the records of a finished run keep (freed when they are dropped), per recorded output token.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScenarioRun } from '../src/load/engine.js';
import type { RequestRecorder } from '../src/load/recorder.js';
import type { Provider } from '../src/providers/types.js';
import { childPayload, sendToParent } from './child-process.js';
import { benchScenario, openTarget, startRun, type BenchTarget } from './engine-run.js';

/** One measurement, run in its own process. */
export type MemoryJob = InFlightJob | RecordsJob;

export interface InFlightJob {
  readonly kind: 'in-flight';
  /** A simulator slow enough that every request stays open, with a batch that holds them all. */
  readonly url: string;
  readonly requests: number;
  /** max_tokens of every request (forced length: they stay open until aborted). */
  readonly maxTokens: number;
  /** Time between the two measurements. */
  readonly holdMs: number;
}

export interface RecordsJob {
  readonly kind: 'records';
  readonly url: string;
  readonly requests: number;
  readonly outputTokens: number;
  readonly concurrency: number;
}

/** process.memoryUsage() figures compared, in bytes. */
export interface MemoryFigures {
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
}

/** Result of an in-flight job. */
export interface InFlightFigures {
  readonly kind: 'in-flight';
  readonly requests: number;
  readonly maxTokens: number;
  /** Growth over the idle client when every request had its first token. */
  readonly atFirst: MemoryFigures;
  /** Mean content chunks received per request at the first and the second measurement. */
  readonly chunksAtFirst: number;
  readonly chunksAtSecond: number;
  /** Growth between the two measurements. */
  readonly growth: MemoryFigures;
}

/** Result of a records job. */
export interface RecordsFigures {
  readonly kind: 'records';
  readonly records: number;
  readonly outputTokens: number;
  /** Memory freed when the finished run's result (its records) is dropped. */
  readonly retained: MemoryFigures;
}

export type MemoryJobResult = InFlightFigures | RecordsFigures;

type Gc = () => void;

function snapshot(): MemoryFigures {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (gc === undefined) throw new Error('memory client: run node with --expose-gc');
  // Two passes: the first may only queue finalizers and weak callbacks whose memory the second frees.
  gc();
  gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

function minus(a: MemoryFigures, b: MemoryFigures): MemoryFigures {
  return {
    heapUsed: a.heapUsed - b.heapUsed,
    external: a.external - b.external,
    arrayBuffers: a.arrayBuffers - b.arrayBuffers,
    rss: a.rss - b.rss,
  };
}

/**
 * A provider that hands every request to `inner` unchanged and keeps a reference to its recorder, so the client can
 * tell when every stream has started and count the chunks received so far (RequestRecorder.chunkCount).
 */
function watched(inner: Provider, recorders: RequestRecorder[]): Provider {
  return {
    id: inner.id,
    send(request, recorder, signal) {
      recorders.push(recorder as RequestRecorder);
      return inner.send(request, recorder, signal);
    },
    probe: (signal) => inner.probe(signal),
    close: () => inner.close(),
  };
}

/** A short run that loads the corpus and tokenizer and lets the JIT compile the request path. */
async function warm(url: string): Promise<void> {
  const target = openTarget(url, 8);
  try {
    const scenario = benchScenario({
      name: 'memory-warm',
      concurrency: 8,
      requests: 32,
      input_tokens: { mean: 32 },
      output_tokens: { mean: 2 },
    });
    await startRun(target, scenario).done;
  } finally {
    await target.provider.close();
  }
}

async function measureInFlight(job: InFlightJob): Promise<InFlightFigures> {
  await warm(job.url);
  const recorders: RequestRecorder[] = [];
  const base = openTarget(job.url, job.requests);
  const target: BenchTarget = { config: base.config, provider: watched(base.provider, recorders) };
  const scenario = benchScenario({
    name: `memory-in-flight-${job.maxTokens}`,
    concurrency: job.requests,
    requests: job.requests,
    input_tokens: { mean: 32 },
    output_tokens: { mean: job.maxTokens },
    force_output_length: true,
    timeout_s: 600,
  });
  const idle = snapshot();
  const cancel = new AbortController();
  const running = startRun(target, scenario, cancel.signal);
  try {
    const deadline = performance.now() + 60_000;
    while (recorders.length < job.requests || !recorders.every((r) => r.started)) {
      if (performance.now() > deadline) {
        const started = recorders.filter((r) => r.started).length;
        throw new Error(`memory client: only ${started} of ${job.requests} requests streaming after 60 s`);
      }
      await sleep(50);
    }
    const chunks = (): number => recorders.reduce((sum, r) => sum + r.chunkCount, 0) / job.requests;
    const first = snapshot();
    const chunksAtFirst = chunks();
    await sleep(job.holdMs);
    const second = snapshot();
    const chunksAtSecond = chunks();
    return {
      kind: 'in-flight',
      requests: job.requests,
      maxTokens: job.maxTokens,
      atFirst: minus(first, idle),
      chunksAtFirst,
      chunksAtSecond,
      growth: minus(second, first),
    };
  } finally {
    cancel.abort();
    await running.done;
    await target.provider.close();
  }
}

async function measureRecords(job: RecordsJob): Promise<RecordsFigures> {
  await warm(job.url);
  const target = openTarget(job.url, job.concurrency);
  let run: ScenarioRun | undefined;
  try {
    run = await startRun(
      target,
      benchScenario({
        name: 'memory-records',
        concurrency: job.concurrency,
        requests: job.requests,
        input_tokens: { mean: 32 },
        output_tokens: { mean: job.outputTokens },
        force_output_length: true,
        timeout_s: 120,
      }),
    ).done;
  } finally {
    await target.provider.close();
  }
  // The run's result is the only difference between the two snapshots (code compiled during the run, pools and
  // caches are in both), so their difference is exactly what the records keep.
  const kept = snapshot();
  const records = run.records;
  const figures = {
    records: records.length,
    outputTokens: records.reduce((sum, r) => sum + r.outputTokens, 0),
  };
  records.length = 0;
  const released = snapshot();
  return { kind: 'records', ...figures, retained: minus(kept, released) };
}

/** Child entry: run the job, report to the parent, exit. */
export async function runMemoryClient(argv: readonly string[]): Promise<void> {
  const job = childPayload<MemoryJob>(argv);
  const result = job.kind === 'in-flight' ? await measureInFlight(job) : await measureRecords(job);
  await sendToParent(result satisfies MemoryJobResult);
  process.disconnect();
}
