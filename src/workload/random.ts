/**
 * Seeded pseudo-random numbers that are bit-identical on every machine.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator from PractRand, 128-bit state), seeded
 * with splitmix32's mixing function. All state arithmetic is 32-bit integer arithmetic (`Math.imul`, `| 0`, `>>> 0`), which
 * JavaScript defines exactly, so a stream depends only on its key, never on the platform.
 */

const TWO_POW_32 = 4294967296;
const GOLDEN_GAMMA = 0x9e3779b9;

/** Outputs discarded after seeding, as sfc32's author recommends, so that similar keys give unrelated streams. */
const SFC32_WARMUP = 12;

/**
 * One splitmix32 step from state `x`: add the golden-ratio increment, then apply splitmix32's bijective 32-bit
 * finaliser (constants from Chris Wellons's hash-prospector). Returns an unsigned 32-bit integer.
 */
function mix32(x: number): number {
  let z = (x + GOLDEN_GAMMA) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** sfc32 with the usual four 32-bit words of state (a, b, c and the counter d). */
export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
  }

  /** Next unsigned 32-bit output. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Fills `target` with the next target.length outputs (the same values as that many nextUint32 calls, faster). */
  fillUint32(target: Uint32Array): void {
    let { a, b, c, d } = this;
    for (let i = 0; i < target.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      target[i] = t;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** Uniform double in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n) for 0 < n ≤ 2^32 (multiply-shift; the bias is below n / 2^32). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /**
   * Standard normal deviate by Marsaglia's polar method. Besides exact arithmetic it needs only `Math.log` and
   * `Math.sqrt`; V8 computes `Math.log` with its own portable fdlibm port, so results do not vary across CPUs or
   * operating systems (a golden-value test pins them).
   */
  nextNormal(): number {
    for (;;) {
      const u = 2 * this.nextFloat() - 1;
      const v = 2 * this.nextFloat() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }
}

/** Starting values of the four seeding chains in {@link rngForKey} (the first fractional hex digits of π). */
const LANE_STARTS = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344] as const;

/**
 * An independent stream for a key of unsigned 32-bit words (e.g. seed, sequence, request index, purpose).
 *
 * Each of sfc32's four state words comes from its own chain `h = mix32(h ^ word)` over the key, started from a
 * different constant, so two keys share a stream only if all four 32-bit chains collide. The stream is a pure function
 * of the key: no generator state is shared between requests, so request i is the same whatever was generated before.
 */
export function rngForKey(key: readonly number[]): Sfc32 {
  const chain = (start: number): number => {
    let h = start;
    for (const word of key) h = mix32(h ^ word);
    return h;
  };
  const rng = new Sfc32(
    chain(LANE_STARTS[0]),
    chain(LANE_STARTS[1]),
    chain(LANE_STARTS[2]),
    chain(LANE_STARTS[3]),
  );
  for (let i = 0; i < SFC32_WARMUP; i++) rng.nextUint32();
  return rng;
}

/** Splits a non-negative safe integer (e.g. a seed up to 2^53 - 1) into its low and high 32-bit words. */
export function splitUint53(value: number): [low: number, high: number] {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`expected a non-negative safe integer, got ${value}`);
  }
  return [(value % TWO_POW_32) >>> 0, Math.floor(value / TWO_POW_32) >>> 0];
}
