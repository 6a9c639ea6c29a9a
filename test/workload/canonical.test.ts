import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/workload/canonical.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    const a = { b: 1, a: { d: [1, 'x', null], c: true }, skip: undefined };
    const b = { a: { c: true, d: [1, 'x', null] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":true,"d":[1,"x",null]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('writes undefined array items as null, like JSON', () => {
    expect(canonicalJson([1, undefined])).toBe('[1,null]');
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'k"': 'line\nbreak' })).toBe('{"k\\"":"line\\nbreak"}');
  });

  it('rejects values JSON cannot carry, naming where they are', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow(/\$\.a\[1\] is NaN/);
    expect(() => canonicalJson({ big: 1n })).toThrow(/\$\.big is a bigint/);
    expect(() => canonicalJson({ f: Infinity })).toThrow(/not a finite number/);
  });
});
