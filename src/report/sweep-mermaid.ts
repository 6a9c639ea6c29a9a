/**
 * A sweep's latency–throughput curve as a mermaid `xychart-beta` (GitHub renders ```mermaid blocks): the x axis lists
 * the load levels in order, each labelled with its load and output throughput (the knee marked), and the line is the
 * p95 TTFT at each. Levels without a p95 TTFT (no ok request) are left out, since a mermaid series cannot skip a value.
 */
import type { SweepSummary } from '../metrics/sweep.js';
import { formatNumber } from './format.js';

const round = (x: number): number => Number(x.toPrecision(4));

/** "1.4k", "950": short throughput figures for axis labels. */
export function shortNumber(x: number): string {
  if (Math.abs(x) >= 10_000) return `${Math.round(x / 1000)}k`;
  if (Math.abs(x) >= 1000) return `${(x / 1000).toFixed(1)}k`;
  return formatNumber(x);
}

/** The label of a level: `c8` or `r2.5`. */
export function levelLabel(parameter: SweepSummary['parameter'], value: number): string {
  return `${parameter === 'concurrency' ? 'c' : 'r'}${value}`;
}

/** The chart, or undefined when fewer than two levels have a p95 TTFT. */
export function sweepChart(sweep: SweepSummary): string | undefined {
  const points = sweep.points.flatMap((p, index) =>
    p.ttftP95Ms === null ? [] : [{ index, point: p, ttft: p.ttftP95Ms }],
  );
  if (points.length < 2) return undefined;
  const labels = points.map(({ index, point }) => {
    const knee = sweep.knee?.index === index ? ' (knee)' : '';
    const throughput = point.outputTokensPerS === null ? '—' : shortNumber(point.outputTokensPerS);
    return JSON.stringify(`${levelLabel(sweep.parameter, point.value)} · ${throughput} tok/s${knee}`);
  });
  const top = Math.max(...points.map((p) => p.ttft)) * 1.15;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${sweep.scenario}: p95 TTFT (ms) by load level and output throughput"`,
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "p95 TTFT (ms)" 0 --> ${round(top)}`,
    `  line [${points.map((p) => round(p.ttft)).join(', ')}]`,
    '```',
  ].join('\n');
}
