/**
 * Seeded randomness for the simulator. Every random decision draws from a stream derived from (seed, purpose, index),
 * so a request's faults and length depend only on the seed and its arrival position, never on timing.
 */

/** A uniform random number generator on [0, 1). */
export type Rng = () => number;

/** Streams derived from one seed. */
export const RNG_STREAM = { request: 1, jitter: 2 } as const;

/** The murmur3 32-bit finaliser: a cheap, well-mixing hash step. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Derive a 32-bit seed from a (non-negative, safe-integer) seed, a stream id and an index. */
export function deriveSeed(seed: number, stream: number, index: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
  let h = fmix32(low ^ 0x9e3779b9);
  h = fmix32(h ^ high);
  h = fmix32(h ^ Math.imul(stream, 0x27d4eb2f));
  return fmix32(h ^ (index >>> 0) ^ Math.imul(Math.floor(index / 0x1_0000_0000), 0x165667b1));
}

/** mulberry32: a small, fast, seeded generator with good statistical quality for simulation. */
export function createRng(seed32: number): Rng {
  let state = seed32 >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** A standard normal draw (Box–Muller). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: keeps log finite
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A lognormal multiplicative noise factor with mean 1 and coefficient of variation `cv` (0 gives exactly 1).
 */
export function lognormalFactor(rng: Rng, cv: number): number {
  if (cv <= 0) return 1;
  const sigma = Math.sqrt(Math.log(1 + cv * cv));
  return Math.exp(sigma * standardNormal(rng) - (sigma * sigma) / 2);
}
