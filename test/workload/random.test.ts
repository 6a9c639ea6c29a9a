import { describe, expect, it } from 'vitest';
import { rngForKey, Sfc32, splitUint53 } from '../../src/workload/random.js';

// Expected values come from an independent C implementation (PractRand's sfc32 with uint32_t arithmetic, the same
// key-seeding chains, and glibc's log/sqrt for the polar method), not from this code.
describe('Sfc32', () => {
  it('matches the reference sfc32 output for state (1, 2, 3, 4)', () => {
    const rng = new Sfc32(1, 2, 3, 4);
    const out = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(out).toEqual([7, 34, 56623200, 188882296, 3431242869, 399395954]);
  });

  it('gives floats in [0, 1) and integers in [0, n)', () => {
    const rng = rngForKey([9]);
    for (let i = 0; i < 10_000; i++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      const k = rng.nextInt(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });

  it('gives standard normal deviates (mean 0, variance 1 over many draws)', () => {
    const rng = rngForKey([123]);
    const n = 20_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sumSq / n - mean * mean - 1)).toBeLessThan(0.05);
  });
});

describe('rngForKey', () => {
  it('matches the reference streams (golden values)', () => {
    const zero = rngForKey([0]);
    expect(Array.from({ length: 4 }, () => zero.nextUint32())).toEqual([
      3312834237, 2807552017, 2553832376, 4243134213,
    ]);
    const key = [42, 0, 1, 7, 3];
    const a = rngForKey(key);
    expect(Array.from({ length: 4 }, () => a.nextUint32())).toEqual([
      1157089010, 157772476, 1670371028, 4180613579,
    ]);
    const b = rngForKey(key);
    expect(Array.from({ length: 4 }, () => b.nextNormal())).toEqual([
      -0.07634478447404588, 0.5289092823355414, 1.3588070201138693, 1.8157756152469968,
    ]);
  });

  it('is a pure function of the key, and neighbouring keys give different streams', () => {
    const first = (key: number[]) => rngForKey(key).nextUint32();
    expect(first([1, 2, 3])).toBe(first([1, 2, 3]));
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(first([0, 0, 1, i, 1]));
    expect(seen.size).toBe(1000);
    expect(first([1, 2])).not.toBe(first([2, 1]));
  });
});

describe('splitUint53', () => {
  it('splits safe integers into 32-bit words', () => {
    expect(splitUint53(0)).toEqual([0, 0]);
    expect(splitUint53(2 ** 32 + 5)).toEqual([5, 1]);
    expect(splitUint53(Number.MAX_SAFE_INTEGER)).toEqual([0xffffffff, 0x1fffff]);
  });

  it('rejects what is not a non-negative safe integer', () => {
    expect(() => splitUint53(-1)).toThrow(/non-negative safe integer, got -1/);
    expect(() => splitUint53(1.5)).toThrow(RangeError);
    expect(() => splitUint53(2 ** 53)).toThrow(RangeError);
  });
});
