/**
 * Section "chunk-rate": the highest streamed-chunk rate the client sustains. The server is the firehose
 * (firehose-server.ts) in another process, so every CPU-second counted here is the client's own: undici's HTTP
 * parser, the SSE parser, JSON.parse, the OpenAI stream logic, the recorder, the engine's per-request work (request
 * body, workload prompt, token accounting at the end of each request).
 */
import { formatNumber } from '../src/report/format.js';
import { CHILD_ROLES, spawnBenchChild, type BenchChild } from './child-process.js';
import { benchScenario, openTarget, startRun } from './engine-run.js';
import type { FirehoseReady, FirehoseSettings } from './firehose-server.js';
import {
  target,
  type BenchSection,
  type ReportTable,
  type SectionContext,
  type SectionReport,
} from './section.js';
import { benchParse } from './sse-parse.js';
import { median } from './stats.js';

/** The target: chunks per CPU-second of the client process. */
const CHUNK_RATE_TARGET = 50_000;

/** Content chunks per response (max_tokens). */
const CHUNKS_PER_RESPONSE = 1024;

/** One measured configuration. */
interface LevelPlan {
  readonly concurrency: number;
  /** Chunks per firehose write: 1 is how real servers stream; 64 makes the client read many events per socket read. */
  readonly chunksPerWrite: number;
  /** About this many chunks per repetition. */
  readonly chunksPerRep: number;
}

interface Plan {
  readonly levels: readonly LevelPlan[];
  /** SSE events per case of the parser micro-benchmark. */
  readonly parseChunks: number;
}

const PLANS: Readonly<Record<'full' | 'quick', Plan>> = {
  full: {
    levels: [
      { concurrency: 1, chunksPerWrite: 64, chunksPerRep: 160 * 1024 },
      { concurrency: 16, chunksPerWrite: 64, chunksPerRep: 160 * 1024 },
      { concurrency: 256, chunksPerWrite: 64, chunksPerRep: 160 * 1024 },
      { concurrency: 64, chunksPerWrite: 1, chunksPerRep: 96 * 1024 },
    ],
    parseChunks: 500_000,
  },
  quick: {
    levels: [
      { concurrency: 16, chunksPerWrite: 64, chunksPerRep: 96 * 1024 },
      { concurrency: 64, chunksPerWrite: 1, chunksPerRep: 64 * 1024 },
    ],
    parseChunks: 100_000,
  },
};

/** One repetition at one level. */
interface Rep {
  readonly chunks: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly chunksPerWallS: number;
  readonly chunksPerCpuS: number;
  readonly cpuCores: number;
  readonly eventLoopUtilization: number;
  readonly failed: number;
}

async function measure(baseUrl: string, level: LevelPlan, rep: number): Promise<Rep> {
  const { concurrency } = level;
  const client = openTarget(baseUrl, concurrency);
  try {
    const requests = Math.max(concurrency, Math.ceil(level.chunksPerRep / CHUNKS_PER_RESPONSE));
    const shape = {
      concurrency,
      input_tokens: { mean: 16 },
      output_tokens: { mean: CHUNKS_PER_RESPONSE },
      timeout_s: 60,
    };
    const tag = `${concurrency}x${level.chunksPerWrite}-${rep}`;
    // Warm-up: opens the pool's connections and lets the JIT compile the hot path before anything is counted.
    await startRun(client, benchScenario({ ...shape, name: `warm-${tag}`, requests: concurrency })).done;
    const scenario = benchScenario({ ...shape, name: `rate-${tag}`, requests });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const run = await startRun(client, scenario).done;
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    let chunks = 0;
    let failed = 0;
    for (const record of run.records) {
      chunks += record.chunkMs.length;
      if (record.outcome !== 'ok') failed++;
    }
    return {
      chunks,
      wallS,
      cpuS,
      chunksPerWallS: chunks / wallS,
      chunksPerCpuS: chunks / cpuS,
      cpuCores: cpuS / wallS,
      eventLoopUtilization: run.selfCheck.eventLoopUtilization,
      failed,
    };
  } finally {
    await client.provider.close();
  }
}

interface Level extends LevelPlan {
  readonly reps: readonly Rep[];
  readonly median: {
    readonly chunksPerWallS: number;
    readonly chunksPerCpuS: number;
    readonly cpuCores: number;
    readonly eventLoopUtilization: number;
  };
}

/** Measure every level, each against a firehose writing its number of chunks per write. */
async function measureLevels(context: SectionContext, plan: Plan): Promise<Level[]> {
  const firehoses = new Map<number, { child: BenchChild<FirehoseReady>; baseUrl?: string }>();
  const baseUrlFor = async (chunksPerWrite: number): Promise<string> => {
    let entry = firehoses.get(chunksPerWrite);
    if (entry === undefined) {
      const settings: FirehoseSettings = { chunksPerWrite };
      entry = { child: spawnBenchChild(context.benchFile, CHILD_ROLES.firehoseServer, settings) };
      firehoses.set(chunksPerWrite, entry);
    }
    entry.baseUrl ??= `http://127.0.0.1:${(await entry.child.first).port}/v1`;
    return entry.baseUrl;
  };
  const levels: Level[] = [];
  try {
    for (const level of plan.levels) {
      const baseUrl = await baseUrlFor(level.chunksPerWrite);
      const reps: Rep[] = [];
      for (let r = 0; r < context.reps; r++) {
        context.log(
          `chunk-rate: concurrency ${level.concurrency}, ${level.chunksPerWrite} chunk(s) per write, ` +
            `repetition ${r + 1}/${context.reps}`,
        );
        reps.push(await measure(baseUrl, level, r));
      }
      levels.push({
        ...level,
        reps,
        median: {
          chunksPerWallS: median(reps.map((r) => r.chunksPerWallS)),
          chunksPerCpuS: median(reps.map((r) => r.chunksPerCpuS)),
          cpuCores: median(reps.map((r) => r.cpuCores)),
          eventLoopUtilization: median(reps.map((r) => r.eventLoopUtilization)),
        },
      });
    }
  } finally {
    await Promise.all([...firehoses.values()].map(({ child }) => child.stop()));
  }
  return levels;
}

async function run(context: SectionContext): Promise<SectionReport> {
  const plan = context.quick ? PLANS.quick : PLANS.full;
  const levels = await measureLevels(context, plan);

  context.log('chunk-rate: parser micro-benchmark');
  const parseReps = Array.from({ length: Math.min(context.reps, 3) }, () =>
    benchParse({ chunks: plan.parseChunks }),
  );
  const parseCases = (parseReps[0] ?? []).map((c, i) => ({
    name: c.name,
    chunksPerSecond: median(parseReps.map((rep) => rep[i]?.chunksPerSecond ?? Number.NaN)),
  }));

  const best = levels.reduce<Level | undefined>(
    (a, b) => (a === undefined || b.median.chunksPerCpuS > a.median.chunksPerCpuS ? b : a),
    undefined,
  );
  const realistic = levels.find((l) => l.chunksPerWrite === 1);
  const tables: ReportTable[] = [
    {
      title: `Client chunk rate against the firehose (${CHUNKS_PER_RESPONSE} chunks per response, median of ${context.reps})`,
      head: [
        'concurrency',
        'chunks per write',
        'chunks/s (wall)',
        'chunks/CPU-s (one core)',
        'client CPU cores',
        'event loop busy',
        'failed',
      ],
      rows: levels.map((l) => [
        String(l.concurrency),
        String(l.chunksPerWrite),
        formatNumber(l.median.chunksPerWallS),
        formatNumber(l.median.chunksPerCpuS),
        formatNumber(l.median.cpuCores),
        `${Math.round(l.median.eventLoopUtilization * 100)}%`,
        String(l.reps.reduce((sum, r) => sum + r.failed, 0)),
      ]),
    },
    {
      title: `For reference: the per-chunk path alone, in memory (bench/sse-parse.ts, median of ${parseReps.length})`,
      head: ['case', 'chunks/s'],
      rows: parseCases.map((c) => [c.name, formatNumber(c.chunksPerSecond)]),
    },
  ];
  const targets = [];
  if (best !== undefined) {
    targets.push(
      target(
        `client chunks per CPU-second (best: concurrency ${best.concurrency}, ${best.chunksPerWrite} per write)`,
        best.median.chunksPerCpuS,
        'chunks/s',
        '>=',
        CHUNK_RATE_TARGET,
      ),
    );
  }
  if (realistic !== undefined && realistic !== best) {
    targets.push(
      target(
        `client chunks per CPU-second (concurrency ${realistic.concurrency}, 1 per write)`,
        realistic.median.chunksPerCpuS,
        'chunks/s',
        '>=',
        CHUNK_RATE_TARGET,
      ),
    );
  }
  return {
    tables,
    notes: [
      'The firehose runs in its own process and writes pre-encoded vLLM chat chunks as fast as each socket takes ' +
        'them. With 64 chunks per write the client reads many SSE events per socket read (its best case); with 1 ' +
        'per write, as a real server streams, most reads carry one event and the per-read cost (socket read, ' +
        'HTTP parser, callbacks) is paid per chunk.',
      'chunks/CPU-s divides by the client process CPU time (user + system, all its threads, GC included): ' +
        'the rate one fully used core sustains. It includes undici HTTP parsing, SSE + JSON parsing, the recorder, ' +
        'and per request the body, the workload prompt and the token count at the end. chunks/s (wall) is lower ' +
        'when the firehose, not the client, sets the pace (event loop busy well under 100%).',
    ],
    figures: {
      chunksPerResponse: CHUNKS_PER_RESPONSE,
      levels,
      parseOnly: { chunksPerCase: plan.parseChunks, cases: parseCases },
    },
    targets,
  };
}

export const chunkRateSection: BenchSection = {
  id: 'chunk-rate',
  title: 'Client chunk rate on one core',
  summary:
    'Streamed chunks the real client (engine + OpenAI provider + SSE parser + recorder) processes per second of wall ' +
    'time and per CPU-second, against a firehose SSE server in another process.',
  run,
};
