/** Sweep levels for tests: summaries carrying just the figures a sweep reads, and a curve with a known knee. */
import { describe as distribution } from '../../src/metrics/statistics.js';
import { summarizeScenario, type ScenarioSummary } from '../../src/metrics/summary.js';
import type { SweepLevel } from '../../src/metrics/sweep.js';

const EMPTY = summarizeScenario([]);

/** A level's summary with the figures a sweep reads: throughput, TTFT/TPOT/E2EL values, ok count. */
export function levelSummary(figures: {
  tokensPerS: number | null;
  ttft: number[];
  tpot?: number[];
  e2el?: number[];
  usd?: number;
}): ScenarioSummary {
  const ok = figures.ttft.length;
  return {
    ...EMPTY,
    requests: { ...EMPTY.requests, measured: ok, ok },
    errorRate: ok > 0 ? 0 : null,
    throughput: {
      outputTokensPerS: figures.tokensPerS,
      requestsPerS: figures.tokensPerS === null ? null : figures.tokensPerS / 100,
      totalTokensPerS: null,
    },
    metrics: {
      ...EMPTY.metrics,
      ttft_ms: distribution(figures.ttft),
      tpot_ms: distribution(figures.tpot ?? []),
      e2el_ms: distribution(figures.e2el ?? figures.ttft.map((t) => t + 1000)),
    },
    ...(figures.usd !== undefined
      ? { cost: { basis: 'instance' as const, usdPerMillionOutputTokens: figures.usd } }
      : {}),
  };
}

/** A batching server saturating at concurrency 8: throughput flat after it, TTFT growing with queueing. */
export const LEVELS: SweepLevel[] = [
  { c: 1, t: 250, ttft: 20 },
  { c: 2, t: 500, ttft: 22 },
  { c: 4, t: 1000, ttft: 25 },
  { c: 8, t: 1950, ttft: 40 },
  { c: 16, t: 2000, ttft: 400 },
  { c: 32, t: 2010, ttft: 1200 },
].map(({ c, t, ttft }) => ({
  name: `chat@c${c}`,
  value: c,
  valid: true,
  summary: levelSummary({ tokensPerS: t, ttft: [ttft / 2, ttft], tpot: [20, 30], usd: 3600 / t }),
}));
