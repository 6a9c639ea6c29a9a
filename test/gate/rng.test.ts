import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../src/gate/stats/rng.js';

// First six outputs after seeding, from the reference C implementation of sfc32 (PractRand's algorithm and seeding:
// a = 0, b = seed, c = 0, counter = 1, 12 outputs discarded), compiled with gcc.
const GOLDEN: Record<number, number[]> = {
  0: [1363572419, 145230303, 808754475, 4216505632, 947923937, 2491578854],
  42: [1264412219, 1947509147, 3919439299, 1251167922, 656401615, 478193053],
  4294967295: [1984736529, 3747275468, 1287205723, 2021412065, 2215341480, 276468999],
};

describe('createRng (sfc32)', () => {
  it.each(Object.entries(GOLDEN))('matches the reference outputs for seed %s', (seed, expected) => {
    const rng = createRng(Number(seed));
    expect(expected.map(() => rng.nextUint32())).toEqual(expected);
  });

  it('fillUint32 continues the same stream as nextUint32', () => {
    const a = createRng(7);
    const b = createRng(7);
    const buffer = new Uint32Array(5);
    a.nextUint32();
    a.fillUint32(buffer);
    b.nextUint32();
    expect([...buffer]).toEqual(Array.from({ length: 5 }, () => b.nextUint32()));
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('gives uniforms in [0, 1), indices in [0, n) and standard normals', () => {
    const rng = createRng(3);
    let sum = 0;
    let squares = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const k = rng.index(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
      const z = rng.normal();
      sum += z;
      squares += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.05);
  });

  it('rejects seeds that are not 32-bit unsigned integers', () => {
    expect(() => createRng(-1)).toThrow(/seed/);
    expect(() => createRng(1.5)).toThrow(/seed/);
    expect(() => createRng(2 ** 32)).toThrow(/seed/);
  });
});

describe('deriveSeed', () => {
  it('is deterministic, label-sensitive and within 32 bits', () => {
    expect(deriveSeed(1, 'current:ttft_ms')).toBe(deriveSeed(1, 'current:ttft_ms'));
    expect(deriveSeed(1, 'current:ttft_ms')).not.toBe(deriveSeed(1, 'current:e2el_ms'));
    expect(deriveSeed(1, 'x')).not.toBe(deriveSeed(2, 'x'));
    const seed = deriveSeed(123, 'label');
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });
});
