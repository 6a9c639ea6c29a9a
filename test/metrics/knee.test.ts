import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/gate/stats/rng.js';
import { findKnee, gainPerDoubling, type CurvePoint } from '../../src/metrics/knee.js';

const curve = (loads: readonly number[], throughput: (load: number) => number | null): CurvePoint[] =>
  loads.map((load) => ({ load, throughput: throughput(load), eligible: true }));

const DOUBLINGS = [1, 2, 4, 8, 16, 32, 64];

/**
 * A continuous-batching server saturating at `batch` concurrent sequences: throughput grows with concurrency up to
 * the batch, then stays flat; every level carries seeded multiplicative noise of up to ±`noise`.
 */
function batchingServer(batch: number, noise: number, seed: number): CurvePoint[] {
  const rng = createRng(seed);
  return curve(DOUBLINGS, (c) => 250 * Math.min(c, batch) * (1 + noise * (2 * rng.uniform() - 1)));
}

describe('gain per doubling of load', () => {
  it('normalises steps of any size to a doubling', () => {
    expect(gainPerDoubling(8, 100, 16, 110)).toBeCloseTo(0.1, 12);
    expect(gainPerDoubling(8, 100, 32, 121)).toBeCloseTo(0.1, 12);
    // throughput in proportion to load gains 100% per doubling, whatever the step
    expect(gainPerDoubling(5, 500, 6, 600)).toBeCloseTo(1, 12);
    expect(() => gainPerDoubling(8, 1, 8, 1)).toThrow(/higher load/);
  });
});

describe('findKnee', () => {
  it('finds the saturation point of a linear-then-flat curve', () => {
    expect(findKnee(curve(DOUBLINGS, (c) => 250 * Math.min(c, 8)))).toEqual({
      found: true,
      index: 3,
      shareOfBest: 1,
      nextIndex: 4,
      nextGainPerDoubling: 0,
    });
  });

  it.each([2, 4, 8, 16])('finds a batch limit of %i under noise of ±3 percent, for any seed', (batch) => {
    for (let seed = 1; seed <= 50; seed++) {
      const finding = findKnee(batchingServer(batch, 0.03, seed));
      expect(finding.found && DOUBLINGS[finding.index], `seed ${seed}`).toBe(batch);
    }
  });

  it('judges non-doubling rate sweeps by the same rule', () => {
    // capacity 4 req/s: served rate = min(offered, 4)
    const finding = findKnee(curve([1, 2, 3, 4, 5, 6], (r) => 100 * Math.min(r, 4)));
    expect(finding).toMatchObject({ found: true, index: 3 });
  });

  it('does not stop at a level still well short of the plateau', () => {
    // 760 is 86% of the best, so not yet the knee although the step after it is small; 800 reaches 91% but the step
    // after it still gains 10% per doubling
    const finding = findKnee(
      curve([1, 2, 4, 8, 16, 32], (c) => ({ 1: 100, 2: 200, 4: 400, 8: 760, 16: 800, 32: 880 })[c] ?? 0),
    );
    expect(finding).toMatchObject({ found: false, reason: 'still_rising' });
    expect(finding.found === false && finding.lastGainPerDoubling).toBeCloseTo(0.1, 12);
  });

  it('stops at the peak of a curve that collapses under overload', () => {
    const finding = findKnee(
      curve([1, 2, 4, 8, 16], (c) => ({ 1: 100, 2: 200, 4: 400, 8: 380, 16: 300 })[c] ?? 0),
    );
    expect(finding).toMatchObject({ found: true, index: 2, shareOfBest: 1 });
  });

  it('says the knee lies beyond a sweep whose throughput still grows with load', () => {
    const finding = findKnee(curve([1, 2, 4, 8], (c) => 100 * c));
    expect(finding).toEqual({ found: false, reason: 'still_rising', lastGainPerDoubling: 1 });
  });

  it('leaves out invalid levels and levels without throughput, and needs two levels', () => {
    const points = curve(DOUBLINGS.slice(0, 5), (c) => 250 * Math.min(c, 4));
    const withHoles: CurvePoint[] = points.map((p) =>
      p.load === 4 ? { ...p, eligible: false } : p.load === 1 ? { ...p, throughput: null } : p,
    );
    // without c4 the plateau starts, for the curve seen, at c8
    expect(findKnee(withHoles)).toMatchObject({ found: true, index: 3 });
    expect(findKnee(points.slice(0, 1))).toEqual({ found: false, reason: 'too_few_levels' });
    expect(findKnee([])).toEqual({ found: false, reason: 'too_few_levels' });
  });

  it('takes levels in load order whatever the input order', () => {
    const points = curve(DOUBLINGS, (c) => 250 * Math.min(c, 8)).reverse();
    expect(findKnee(points)).toMatchObject({ found: true, index: 3, nextIndex: 2 });
  });
});
