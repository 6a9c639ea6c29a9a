/**
 * A sweep's summary: one row per load level (throughput, latency percentiles, goodput, cost, validity), the knee of
 * its throughput curve (src/metrics/knee.ts) and, when the scenario has an SLO, its capacity: the level with the
 * highest output throughput whose p95 TTFT, p95 TPOT and p95 E2EL each stay within the objectives the SLO sets. A
 * level with no ok request breaks every objective; one whose ok requests all had fewer than 2 output tokens has no
 * TPOT and meets a TPOT objective (TPOT 0, as goodput counts it). Only valid levels can be the knee or the capacity.
 */
import type { SloConfig } from '../config/schema.js';
import type { SweepPosition } from '../load/points.js';
import { SLO_METRICS, sloObjectives, type SloMetric } from './goodput.js';
import { findKnee, KNEE_MAX_GAIN_PER_DOUBLING, KNEE_SHARE_OF_BEST } from './knee.js';
import type { ScenarioSummary } from './summary.js';

/** One level of the sweep as the summary is built from. */
export interface SweepLevel {
  /** The point's name (`chat@c8`). */
  readonly name: string;
  /** Its concurrency or rate. */
  readonly value: number;
  /** Not limited by the load generator and run to the end. */
  readonly valid: boolean;
  readonly summary: ScenarioSummary;
}

/** One row of a sweep's table. */
export interface SweepPoint {
  readonly name: string;
  readonly value: number;
  readonly valid: boolean;
  readonly outputTokensPerS: number | null;
  readonly requestsPerS: number | null;
  readonly ttftP50Ms: number | null;
  readonly ttftP95Ms: number | null;
  readonly tpotP50Ms: number | null;
  readonly tpotP95Ms: number | null;
  readonly e2elP95Ms: number | null;
  readonly errorRate: number | null;
  /** With an SLO: share of requests meeting it, and which objectives the level's p95 breaks. */
  readonly goodputShare?: number | null;
  readonly sloBreaches?: SloMetric[];
  /** With a price: USD per 1M output tokens. */
  readonly usdPerMillionOutputTokens?: number | null;
}

/** A marked level: the knee or the capacity. */
export interface SweepMark {
  readonly index: number;
  readonly name: string;
  readonly value: number;
  readonly outputTokensPerS: number;
}

export interface SweepSummary {
  /** The scenario swept. */
  readonly scenario: string;
  readonly parameter: SweepPosition['parameter'];
  /** By increasing load. */
  readonly points: SweepPoint[];
  readonly knee: SweepMark | null;
  /** Where the knee is and why, or why there is none ("concurrency 8: it reaches …"; "none: …"). */
  readonly kneeNote: string;
  /** With an SLO: the highest-throughput level within it at p95; null when no valid level is. */
  readonly capacity?: SweepMark | null;
  /** The objectives capacity was judged against (ms). */
  readonly slo?: Partial<Record<SloMetric, number>>;
}

/** "concurrency 8", "rate 2.5 req/s". */
export function levelName(parameter: SweepPosition['parameter'], value: number): string {
  return parameter === 'concurrency' ? `concurrency ${value}` : `rate ${value} req/s`;
}

/** The objectives a level's p95 latencies break (see the module comment). */
export function sloBreaches(
  summary: ScenarioSummary,
  objectives: Partial<Record<SloMetric, number>>,
): SloMetric[] {
  const noOk = summary.requests.ok === 0;
  return SLO_METRICS.filter((id) => {
    const limit = objectives[id];
    if (limit === undefined) return false;
    if (noOk) return true;
    const p95 = summary.metrics[id].p95;
    if (p95 === null) return id !== 'tpot_ms';
    return p95 > limit;
  });
}

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
const signedPercent = (x: number): string => `${x >= 0 ? '+' : '−'}${percent(Math.abs(x))}`;

function pointOf(level: SweepLevel, objectives: Partial<Record<SloMetric, number>> | undefined): SweepPoint {
  const s = level.summary;
  return {
    name: level.name,
    value: level.value,
    valid: level.valid,
    outputTokensPerS: s.throughput.outputTokensPerS,
    requestsPerS: s.throughput.requestsPerS,
    ttftP50Ms: s.metrics.ttft_ms.p50,
    ttftP95Ms: s.metrics.ttft_ms.p95,
    tpotP50Ms: s.metrics.tpot_ms.p50,
    tpotP95Ms: s.metrics.tpot_ms.p95,
    e2elP95Ms: s.metrics.e2el_ms.p95,
    errorRate: s.errorRate,
    ...(objectives
      ? { goodputShare: s.goodput?.share ?? null, sloBreaches: sloBreaches(s, objectives) }
      : {}),
    ...(s.cost ? { usdPerMillionOutputTokens: s.cost.usdPerMillionOutputTokens } : {}),
  };
}

function markOf(points: readonly SweepPoint[], index: number): SweepMark {
  const p = points[index] as SweepPoint;
  return { index, name: p.name, value: p.value, outputTokensPerS: p.outputTokensPerS ?? 0 };
}

/** Summarises one sweep from its levels (any order). */
export function summarizeSweep(input: {
  readonly scenario: string;
  readonly parameter: SweepPosition['parameter'];
  readonly levels: readonly SweepLevel[];
  readonly slo?: SloConfig;
}): SweepSummary {
  const { parameter } = input;
  const objectives = input.slo ? sloObjectives(input.slo) : undefined;
  const points = [...input.levels].sort((a, b) => a.value - b.value).map((l) => pointOf(l, objectives));
  const finding = findKnee(
    points.map((p) => ({ load: p.value, throughput: p.outputTokensPerS, eligible: p.valid })),
  );
  let knee: SweepMark | null = null;
  let kneeNote: string;
  if (finding.found) {
    knee = markOf(points, finding.index);
    const next = points[finding.nextIndex] as SweepPoint;
    kneeNote =
      `${levelName(parameter, knee.value)}: it reaches ${percent(finding.shareOfBest)} of the best ` +
      `throughput (at least ${percent(KNEE_SHARE_OF_BEST)}), and ${levelName(parameter, next.value)} changes it by ` +
      `${signedPercent(finding.nextGainPerDoubling)} per doubling of load (less than ` +
      `${signedPercent(KNEE_MAX_GAIN_PER_DOUBLING)})`;
  } else if (finding.reason === 'too_few_levels') {
    kneeNote = 'none: finding it needs at least two valid levels with throughput';
  } else {
    kneeNote =
      `none within the sweep: throughput still rises ${signedPercent(finding.lastGainPerDoubling ?? 0)} per ` +
      'doubling of load into the highest level';
  }
  let capacity: SweepMark | null = null;
  for (const [index, p] of points.entries()) {
    const within = p.valid && p.outputTokensPerS !== null && p.sloBreaches?.length === 0;
    if (within && (capacity === null || (p.outputTokensPerS ?? 0) > capacity.outputTokensPerS)) {
      capacity = markOf(points, index);
    }
  }
  return {
    scenario: input.scenario,
    parameter,
    points,
    knee,
    kneeNote,
    ...(objectives ? { capacity, slo: objectives } : {}),
  };
}
