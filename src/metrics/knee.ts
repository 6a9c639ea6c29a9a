/**
 * The knee of a sweep's throughput curve: the load level past which added concurrency (or rate) stops paying.
 *
 * Rule: walking the levels from the lowest, the knee is the first level whose output throughput reaches
 * {@link KNEE_SHARE_OF_BEST} of the sweep's best AND from which the next level gains less than
 * {@link KNEE_MAX_GAIN_PER_DOUBLING} per doubling of load. The gain of a step from load a to load b, throughput
 * Ta → Tb, is (Tb ÷ Ta)^(1 ÷ log2(b ÷ a)) − 1, so sweeps that do not double (rate 2, 3, 4, …) are judged alike: a curve
 * still growing in proportion to load gains 100% per doubling whatever the step. The first condition keeps a
 * temporary flat stretch low on the curve from passing for the knee; the second keeps a level still well short of the
 * plateau from passing for it. When no level qualifies, the best level is the highest one and throughput was still
 * rising into it: the knee lies beyond the sweep. Only valid levels with a positive throughput take part.
 */

/** A level must reach this share of the sweep's best throughput to be the knee. */
export const KNEE_SHARE_OF_BEST = 0.9;
/** … and the next level must add less than this per doubling of load. */
export const KNEE_MAX_GAIN_PER_DOUBLING = 0.1;

/** One level of the curve. */
export interface CurvePoint {
  /** Concurrency or rate (positive). */
  readonly load: number;
  /** Output tokens/s; null when the level has none. */
  readonly throughput: number | null;
  /** False for levels the load generator limited (or that were cut short): they do not take part. */
  readonly eligible: boolean;
}

export type KneeFinding =
  | {
      readonly found: true;
      /** Index of the knee in the input. */
      readonly index: number;
      /** Its throughput ÷ the best. */
      readonly shareOfBest: number;
      /** Index of the next taking-part level, and the gain per doubling of load to it. */
      readonly nextIndex: number;
      readonly nextGainPerDoubling: number;
    }
  | {
      readonly found: false;
      /** too_few_levels: fewer than two levels take part; still_rising: the knee lies beyond the sweep. */
      readonly reason: 'too_few_levels' | 'still_rising';
      /** still_rising: the gain per doubling into the highest level. */
      readonly lastGainPerDoubling?: number;
    };

/** Throughput gain per doubling of load from (fromLoad, fromThroughput) to (toLoad, toThroughput); loads must differ. */
export function gainPerDoubling(
  fromLoad: number,
  fromThroughput: number,
  toLoad: number,
  toThroughput: number,
): number {
  const doublings = Math.log2(toLoad / fromLoad);
  if (!(doublings > 0)) {
    throw new RangeError(`gainPerDoubling needs a higher load to step to, got ${fromLoad} → ${toLoad}`);
  }
  return (toThroughput / fromThroughput) ** (1 / doublings) - 1;
}

/** Finds the knee of `points` (any order; levels are taken by increasing load) by the rule above. */
export function findKnee(points: readonly CurvePoint[]): KneeFinding {
  const curve = points
    .map((p, index) => ({ index, load: p.load, throughput: p.throughput, eligible: p.eligible }))
    .filter(
      (p): p is typeof p & { throughput: number } =>
        p.eligible && p.throughput !== null && p.throughput > 0 && p.load > 0,
    )
    .sort((a, b) => a.load - b.load);
  const distinct = curve.filter((p, i) => i === 0 || p.load > (curve[i - 1] as typeof p).load);
  if (distinct.length < 2) return { found: false, reason: 'too_few_levels' };
  const best = Math.max(...distinct.map((p) => p.throughput));
  for (let i = 0; i + 1 < distinct.length; i++) {
    const here = distinct[i] as (typeof distinct)[number];
    const next = distinct[i + 1] as (typeof distinct)[number];
    if (here.throughput < KNEE_SHARE_OF_BEST * best) continue;
    const gain = gainPerDoubling(here.load, here.throughput, next.load, next.throughput);
    if (gain < KNEE_MAX_GAIN_PER_DOUBLING) {
      return {
        found: true,
        index: here.index,
        shareOfBest: here.throughput / best,
        nextIndex: next.index,
        nextGainPerDoubling: gain,
      };
    }
  }
  const last = distinct[distinct.length - 1] as (typeof distinct)[number];
  const previous = distinct[distinct.length - 2] as (typeof distinct)[number];
  return {
    found: false,
    reason: 'still_rising',
    lastGainPerDoubling: gainPerDoubling(previous.load, previous.throughput, last.load, last.throughput),
  };
}
