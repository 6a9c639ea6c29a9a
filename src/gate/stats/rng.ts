/**
 * The gate's seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator from
 * PractRand), which passes PractRand and BigCrush, needs only 32-bit integer arithmetic (exact in JavaScript) and so
 * gives the same stream on every machine and Node version. Verdicts must be reproducible (same inputs → same interval
 * and status), so nothing in the gate may use Math.random. The generator core is the workload's (one sfc32 in the
 * project); this file seeds it the way PractRand does and adds what the gate draws.
 */
import { Sfc32 } from '../../workload/random.js';

/** A stream of pseudo-random numbers. */
export interface Rng {
  /** The next 32-bit output, an integer in [0, 2³²). */
  nextUint32(): number;
  /** Fills `target` with the next target.length outputs (the same values as that many nextUint32 calls, faster). */
  fillUint32(target: Uint32Array): void;
  /** A uniform number in [0, 1) with 32 bits of resolution. */
  uniform(): number;
  /** A uniform integer in [0, n) for 1 ≤ n ≤ 2³² (multiply-shift; the bias is below n / 2³², nil for n ≤ 10⁶). */
  index(n: number): number;
  /** A standard normal variate (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number;
}

const TWO_POW_32 = 4294967296;

/**
 * A generator seeded with a 32-bit integer, seeded as PractRand seeds sfc32 (a = 0, b = seed, c = 0, counter = 1,
 * then 12 outputs discarded), so its outputs can be checked against the reference C implementation.
 * Throws a RangeError when `seed` is not an integer in [0, 2³²).
 */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_POW_32) {
    throw new RangeError(`rng seed must be an integer in [0, 2^32), got ${seed}`);
  }
  return new Sfc32Rng(seed);
}

/** The gate's view of the shared sfc32 core (src/workload/random.ts), plus Box–Muller normals. */
class Sfc32Rng implements Rng {
  readonly #core: Sfc32;
  #spareNormal = NaN;

  constructor(seed: number) {
    this.#core = new Sfc32(0, seed, 0, 1);
    for (let i = 0; i < 12; i++) this.#core.nextUint32();
  }

  nextUint32(): number {
    return this.#core.nextUint32();
  }

  fillUint32(target: Uint32Array): void {
    this.#core.fillUint32(target);
  }

  uniform(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  index(n: number): number {
    return Math.floor((this.nextUint32() / TWO_POW_32) * n);
  }

  normal(): number {
    if (!Number.isNaN(this.#spareNormal)) {
      const value = this.#spareNormal;
      this.#spareNormal = NaN;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.#spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

/**
 * A 32-bit seed for an independent sub-stream, derived from a base seed and a label (FNV-1a over the label's UTF-16
 * code units, then a murmur3 finaliser): one stream per metric keeps a metric's bootstrap the same when other metrics
 * are added to or removed from the gate.
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
