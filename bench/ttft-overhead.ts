/**
 * Section "ttft-overhead": how much the client adds to TTFT. For each request, the client's TTFT (first content chunk
 * minus send time, as recorded by the real engine) minus the simulator's own TTFT (first token sent minus request
 * body received, from its truth log, matched by X-Request-Id). The simulator runs in a worker thread so its CPU is on
 * the other core, with a batch large enough that nothing queues.
 */
import type { RequestRecord } from '../src/load/record.js';
import { formatNumber } from '../src/report/format.js';
import type { SimKnobs } from '../src/sim/knobs.js';
import type { SimHandle } from '../src/sim/server.js';
import type { SimTruth } from '../src/sim/truth.js';
import { startSimulatorInWorker } from '../src/sim/worker.js';
import { benchScenario, openTarget, startRun } from './engine-run.js';
import { target, type BenchSection, type SectionContext, type SectionReport } from './section.js';
import { median, medianOver, quantiles } from './stats.js';

/**
 * One concurrency level: its own simulator (in a worker) and request shape. Steps are long enough for both event loops
 * to stay mostly idle (the simulator must not queue requests before stamping their arrival, or its backlog would
 * count as client overhead), with a batch larger than the concurrency so no request waits for a slot. Output lengths
 * vary so that requests do not all finish, and come back, in the same step.
 */
interface LevelPlan {
  readonly concurrency: number;
  /** Measured requests per repetition. */
  readonly requests: number;
  readonly knobs: Partial<SimKnobs>;
  readonly outputTokens: { readonly mean: number; readonly stddev: number; readonly min: number };
}

const PROMPT_TOKENS = 32;

function level(concurrency: number, requests: number, stepMs: number, outputMean: number): LevelPlan {
  return {
    concurrency,
    requests,
    knobs: { log_truth: true, max_batch: 1024, step_ms: stepMs, per_seq_ms: 0.005, jitter: 0, seed: 7 },
    outputTokens: { mean: outputMean, stddev: outputMean / 4, min: 1 },
  };
}

interface Plan {
  readonly levels: readonly LevelPlan[];
  /** Requests of the untimed run at the middle level that warms the JIT before the first repetition. */
  readonly warmup: number;
}

const PLANS: Readonly<Record<'full' | 'quick', Plan>> = {
  full: {
    levels: [level(1, 300, 1, 4), level(64, 1500, 5, 16), level(512, 1536, 50, 16)],
    warmup: 1000,
  },
  quick: {
    levels: [level(1, 150, 1, 4), level(64, 640, 5, 16), level(512, 1024, 50, 16)],
    warmup: 300,
  },
};

const FIGURES = [
  'p50',
  'p90',
  'p99',
  'requestSideP50',
  'requestSideP99',
  'responseSideP50',
  'responseSideP99',
  'clientTtftP50',
  'serverTtftP50',
  'clientLoopBusy',
  'loopDelayP99',
  'processCpuCores',
] as const;
type Figure = (typeof FIGURES)[number];

/** One repetition at one concurrency. */
interface Rep extends Record<Figure, number> {
  /** Requests whose overhead was computed. */
  readonly matched: number;
  /** Measured requests left out: failed, no first token, no truth record, or a new connection was opened for them. */
  readonly excluded: number;
}

/** Per request: TTFTs on both sides, the overhead, and its split between the way there and back. */
export interface Overheads {
  readonly client: number[];
  readonly server: number[];
  /** client − server: the split below always sums to it. */
  readonly overhead: number[];
  /** Sent by the client → body received by the simulator. */
  readonly requestSide: number[];
  /** First token sent by the simulator → stamped by the client. */
  readonly responseSide: number[];
  readonly excluded: number;
}

/**
 * Client TTFT minus server TTFT for each measured request that reused a connection and has a truth record.
 *
 * The split into request side and response side compares times across the two threads: worker threads share their
 * process's `performance.now()` origin, so the simulator's truth times and the engine's times (relative to the
 * scenario start `originAt`) are on one clock, and each side is exact (to the microsecond the records keep).
 */
export function overheads(
  records: readonly RequestRecord[],
  truth: readonly SimTruth[],
  originAt: number,
): Overheads {
  const byId = new Map(truth.map((t) => [t.requestId, t]));
  const client: number[] = [];
  const server: number[] = [];
  const overhead: number[] = [];
  const up: number[] = [];
  const down: number[] = [];
  let excluded = 0;
  for (const r of records) {
    if (r.warmup) continue;
    const t = byId.get(r.requestId);
    if (
      r.outcome !== 'ok' ||
      r.firstTokenMs === undefined ||
      r.connectMs !== undefined ||
      t?.firstTokenMs === undefined
    ) {
      excluded++;
      continue;
    }
    const c = r.firstTokenMs - r.sentMs;
    const s = t.firstTokenMs - t.arrivalMs;
    client.push(c);
    server.push(s);
    overhead.push(c - s);
    up.push(t.arrivalMs - (r.sentMs + originAt));
    down.push(r.firstTokenMs + originAt - t.firstTokenMs);
  }
  return {
    client,
    server,
    overhead,
    requestSide: up,
    responseSide: down,
    excluded,
  };
}

async function measure(sim: SimHandle, level: LevelPlan, requests: number, name: string): Promise<Rep> {
  await sim.clearTruth();
  const { concurrency } = level;
  const client = openTarget(sim.url, concurrency);
  try {
    // Warmup requests (excluded by the engine's flag) open every connection of the pool before measuring starts.
    const scenario = benchScenario({
      name,
      concurrency,
      requests,
      warmup_requests: Math.max(concurrency, 16),
      input_tokens: { mean: PROMPT_TOKENS },
      output_tokens: level.outputTokens,
      timeout_s: 30,
    });
    const run = await startRun(client, scenario).done;
    const o = overheads(run.records, await sim.truth(), run.originAt);
    const [p50 = NaN, p90 = NaN, p99 = NaN] = quantiles(o.overhead, [50, 90, 99]);
    const [requestSideP50 = NaN, requestSideP99 = NaN] = quantiles(o.requestSide, [50, 99]);
    const [responseSideP50 = NaN, responseSideP99 = NaN] = quantiles(o.responseSide, [50, 99]);
    return {
      p50,
      p90,
      p99,
      requestSideP50,
      requestSideP99,
      responseSideP50,
      responseSideP99,
      clientTtftP50: median(o.client),
      serverTtftP50: median(o.server),
      clientLoopBusy: run.selfCheck.eventLoopUtilization,
      loopDelayP99: run.selfCheck.eventLoopDelayMs.p99,
      processCpuCores: run.selfCheck.cpuCores,
      matched: o.overhead.length,
      excluded: o.excluded,
    };
  } finally {
    await client.provider.close();
  }
}

interface Level extends LevelPlan {
  readonly median: Record<Figure, number>;
  readonly reps: readonly Rep[];
}

async function run(context: SectionContext): Promise<SectionReport> {
  const plan = context.quick ? PLANS.quick : PLANS.full;
  const active: { readonly level: LevelPlan; readonly sim: SimHandle; readonly reps: Rep[] }[] = [];
  try {
    for (const level of plan.levels)
      active.push({ level, sim: await startSimulatorInWorker(level.knobs), reps: [] });
    const warm = active[Math.floor(active.length / 2)];
    if (warm !== undefined) {
      context.log('ttft-overhead: warm-up');
      await measure(warm.sim, warm.level, plan.warmup, 'ttft-warmup');
    }
    for (let r = 0; r < context.reps; r++) {
      // Levels are interleaved within each repetition so slow drifts of a shared machine touch every level alike.
      for (const { level, sim, reps } of active) {
        context.log(`ttft-overhead: concurrency ${level.concurrency}, repetition ${r + 1}/${context.reps}`);
        reps.push(await measure(sim, level, level.requests, `ttft-c${level.concurrency}-r${r}`));
      }
    }
  } finally {
    await Promise.all(active.map(({ sim }) => sim.close()));
  }
  const levels: Level[] = active.map(({ level, reps }) => ({
    ...level,
    median: medianOver(reps, FIGURES),
    reps,
  }));
  const at64 = levels.find((l) => l.concurrency === 64);
  const ms = (x: number): string => formatNumber(x);
  return {
    tables: [
      {
        title: `TTFT overhead = client TTFT − simulator TTFT, in ms (median of ${context.reps} repetitions)`,
        head: ['concurrency', 'requests', 'overhead p50', 'p90', 'p99', 'client TTFT p50', 'sim TTFT p50'],
        rows: levels.map((l) => [
          String(l.concurrency),
          `${l.requests} × ${context.reps}`,
          ms(l.median.p50),
          ms(l.median.p90),
          ms(l.median.p99),
          ms(l.median.clientTtftP50),
          ms(l.median.serverTtftP50),
        ]),
      },
      {
        title:
          'Where the overhead goes: request side (sent → body at the simulator) and response side (first token sent → stamped by the client), in ms, and how busy the client was',
        head: [
          'concurrency',
          'request side p50',
          'p99',
          'response side p50',
          'p99',
          'client event loop busy',
          'client loop delay p99',
        ],
        rows: levels.map((l) => [
          String(l.concurrency),
          ms(l.median.requestSideP50),
          ms(l.median.requestSideP99),
          ms(l.median.responseSideP50),
          ms(l.median.responseSideP99),
          `${Math.round(l.median.clientLoopBusy * 100)}%`,
          ms(l.median.loopDelayP99),
        ]),
      },
    ],
    notes: [
      'The overhead is everything between the client stamping a request as sent and the simulator having the whole ' +
        'body, plus everything between the first token leaving the simulator and the client stamping its arrival: ' +
        'building the request, loopback transfer both ways, HTTP parsing on both sides (undici in the client, ' +
        "node:http in the simulator), the client's SSE/JSON parsing and event-loop scheduling, including waiting " +
        'behind other streams handled on the same loop.',
      "Every step, the simulator writes one chunk to each running stream, a new stream's first token last (in " +
        'batch order, as vLLM emits a step); node:http sends them socket by socket once the step is written, and the ' +
        'simulator stamps a token when its write is flushed. The client stamps each read before parsing any read of ' +
        "the same burst, but the other streams' reads still come first (response side). Requests sent as streams " +
        'finish reach the simulator while it is still sending that step, and undici writes a request on a reused ' +
        'connection one event-loop turn after it is handed over, after the engine has handled the other requests ' +
        'that finished in the same step (request side).',
      "The request and response sides are exact: the simulator's worker thread shares the client's clock origin.",
      'Simulator in a worker thread, one per level, max_batch 1024, no jitter; ' +
        levels
          .map(
            (l) =>
              `concurrency ${l.concurrency}: step ${l.knobs.step_ms} ms, ${l.outputTokens.mean} ± ` +
              `${l.outputTokens.stddev} output tokens`,
          )
          .join('; ') +
        `; prompts of ${PROMPT_TOKENS} tokens. Requests that had to open a connection are left out ` +
        '(warmup requests open every pooled connection first).',
    ],
    figures: { promptTokens: PROMPT_TOKENS, levels },
    targets:
      at64 === undefined
        ? []
        : [
            target('TTFT overhead p50 at concurrency 64', at64.median.p50, 'ms', '<=', 0.5),
            target('TTFT overhead p99 at concurrency 64', at64.median.p99, 'ms', '<=', 2),
          ],
  };
}

export const ttftOverheadSection: BenchSection = {
  id: 'ttft-overhead',
  title: 'TTFT overhead of the client',
  summary:
    'Client TTFT minus the simulator’s server-side TTFT for the same request (matched by X-Request-Id), with the real ' +
    'engine, OpenAI provider and workload against the simulator in a worker thread.',
  run,
};
