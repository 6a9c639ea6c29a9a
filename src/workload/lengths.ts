/**
 * Token-length sampling: a normal distribution truncated to [min, max] and rounded to an integer.
 */
import type { TokenDistribution } from '../config/schema.js';
import type { Sfc32 } from './random.js';

/**
 * Draws rejected before giving up on resampling. Only a range that covers a small part of the distribution (e.g. a
 * tight min/max around a large stddev) gets near this; the last draw is then clamped into range.
 */
const MAX_DRAWS = 32;

/** The inclusive integer range lengths are drawn from. */
export interface LengthBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Effective bounds of a distribution: `min` defaults to 1 and `max` to mean + 4·stddev rounded (which is at least the
 * mean rounded, so never below `min`, which the schema keeps at or below the mean).
 */
export function lengthBounds(dist: TokenDistribution): LengthBounds {
  const min = dist.min ?? 1;
  const max = dist.max ?? Math.round(dist.mean + 4 * dist.stddev);
  return { min, max };
}

/**
 * One length from `dist`: round(mean + stddev·z) for a standard normal z, redrawn while it falls outside the bounds
 * (so the shape inside [min, max] is the truncated normal's, not a pile-up at the edges), clamped after
 * {@link MAX_DRAWS} draws.
 */
export function sampleLength(dist: TokenDistribution, bounds: LengthBounds, rng: Sfc32): number {
  let length = 0;
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    length = Math.round(dist.mean + dist.stddev * rng.nextNormal());
    if (length >= bounds.min && length <= bounds.max) return length;
  }
  return Math.min(bounds.max, Math.max(bounds.min, length));
}
