import { describe, expect, it } from 'vitest';
import { summarizeSweep } from '../../src/metrics/sweep.js';
import { escapeXml, niceTicks, sweepSvg } from '../../src/report/sweep-svg.js';
import { LEVELS } from '../metrics/sweep-levels.js';
import { parseXml } from './well-formed-xml.js';

const sweep = summarizeSweep({
  scenario: 'chat',
  parameter: 'concurrency',
  levels: LEVELS.map((l) => (l.value === 2 ? { ...l, valid: false } : l)),
  slo: { ttft_ms: 500 },
});

describe('the XML check', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow(/closes <g>/);
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow(/raw &/);
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<svg/><svg/>')).toThrow(/second root/);
    expect(() => parseXml('<svg><g>')).toThrow(/unclosed/);
    expect(parseXml('<?xml version="1.0"?>\n<svg x="&lt;1"><t>a &amp; b</t></svg>')[1]?.text).toBe('a & b');
  });
});

describe('sweepSvg', () => {
  const svg = sweepSvg(sweep) ?? '';
  const elements = parseXml(svg);
  const texts = elements.filter((e) => e.name === 'text').map((e) => e.text);

  it('is a standalone, well-formed SVG document', () => {
    expect(
      svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'),
    ).toBe(true);
    expect(elements[0]).toMatchObject({ name: 'svg', attributes: { width: '720', height: '440' } });
    expect(elements.find((e) => e.name === 'title')?.text).toBe(
      'chat: p95 TTFT vs output throughput across concurrency levels',
    );
  });

  it('draws one point per level, joined in load order, labelled with its load', () => {
    const line = elements.find((e) => e.name === 'polyline');
    const coordinates = (line?.attributes.points ?? '').split(' ').map((xy) => xy.split(',').map(Number));
    expect(coordinates).toHaveLength(6);
    // x grows with throughput, y (downwards) shrinks as TTFT grows
    const xs = coordinates.map(([x]) => x ?? NaN);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(texts).toEqual(expect.arrayContaining(['c1', 'c2 (invalid)', 'c4', 'c8', 'c16', 'c32']));
    const hollow = elements.filter((e) => e.name === 'circle' && e.attributes.fill === '#ffffff');
    expect(hollow).toHaveLength(1);
  });

  it('rings the knee and the capacity', () => {
    expect(texts).toContain('knee');
    expect(texts).toContain('capacity');
    const c8 = elements.find(
      (e) => e.name === 'circle' && e.attributes.r === '4' && e.attributes.fill !== '#ffffff',
    );
    expect(c8).toBeDefined();
    const rings = elements.filter((e) => e.name === 'circle' && e.attributes.fill === 'none');
    expect(rings.map((r) => r.attributes.stroke)).toEqual(['#dc2626', '#059669']);
  });

  it('has axes with 1-2-5 ticks from 0 past the largest value, and titles', () => {
    // largest throughput 2,010 → ticks of 500 up to 2,500; largest p95 TTFT 1,170 ms → ticks of 200 up to 1,200
    expect(texts).toEqual(expect.arrayContaining(['0', '500', '1,000', '1,500', '2,000', '2,500']));
    expect(texts).toEqual(expect.arrayContaining(['200', '1,200']));
    expect(texts).toContain('Output throughput (tokens/s)');
    expect(texts).toContain('p95 TTFT (ms)');
  });

  it('is undefined with fewer than two charted levels', () => {
    expect(sweepSvg({ ...sweep, points: sweep.points.slice(0, 1) })).toBeUndefined();
  });
});

describe('chart helpers', () => {
  it('picks 1-2-5 tick steps covering the maximum', () => {
    expect(niceTicks(2010)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceTicks(1170)).toEqual([0, 200, 400, 600, 800, 1000, 1200]);
    expect(niceTicks(0.37)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('escapes XML text', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
  });
});
