/**
 * A sweep's latency–throughput curve as a standalone SVG line chart (the results folder's `sweep-<scenario>.svg`):
 * x = output tokens/s, y = p95 TTFT (ms), both from 0 with ticks at 1-2-5 steps; one point per load level, joined in
 * load order and labelled with its load (`c8`, `r2.5`); the knee and the capacity ringed and named; levels the load
 * generator limited drawn hollow. Pure: returns the document's text.
 */
import type { SweepSummary } from '../metrics/sweep.js';
import { formatNumber } from './format.js';
import { levelLabel } from './sweep-mermaid.js';

const WIDTH = 720;
const HEIGHT = 440;
const MARGIN = { left: 76, right: 36, top: 52, bottom: 64 } as const;
const COLORS = { line: '#2563eb', axis: '#374151', grid: '#e5e7eb', knee: '#dc2626', capacity: '#059669' };

/** Escapes text for an XML text node or attribute value. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * Tick values from 0 covering `max` in about `count` steps of 1, 2 or 5 × 10^k (the step nearest max ÷ count, as d3's
 * ticks choose it); the last tick is at least `max`. A `max` that is not positive gives [0, 1].
 */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0 && Number.isFinite(max))) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const error = raw / magnitude;
  const multiple = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.SQRT2 ? 2 : 1;
  const step = multiple * magnitude;
  const ticks: number[] = [0];
  while ((ticks[ticks.length - 1] as number) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

const fixed = (x: number): string => x.toFixed(1);

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${fixed(x)}" y="${fixed(y)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

/** The chart, or undefined when fewer than two levels have both an output throughput and a p95 TTFT. */
export function sweepSvg(sweep: SweepSummary): string | undefined {
  const points = sweep.points.flatMap((p, index) =>
    p.outputTokensPerS === null || p.ttftP95Ms === null
      ? []
      : [
          {
            index,
            x: p.outputTokensPerS,
            y: p.ttftP95Ms,
            valid: p.valid,
            label: levelLabel(sweep.parameter, p.value),
          },
        ],
  );
  if (points.length < 2) return undefined;
  const xTicks = niceTicks(Math.max(...points.map((p) => p.x)));
  const yTicks = niceTicks(Math.max(...points.map((p) => p.y)));
  const xMax = xTicks[xTicks.length - 1] as number;
  const yMax = yTicks[yTicks.length - 1] as number;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number): number => MARGIN.left + (x / xMax) * plotW;
  const py = (y: number): number => MARGIN.top + plotH - (y / yMax) * plotH;
  const bottom = MARGIN.top + plotH;
  const right = MARGIN.left + plotW;

  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">',
    `<title>${escapeXml(`${sweep.scenario}: p95 TTFT vs output throughput across ${sweep.parameter} levels`)}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(
      WIDTH / 2,
      28,
      `${sweep.scenario}: p95 TTFT vs output throughput`,
      'text-anchor="middle" font-size="16" font-weight="600"',
    ),
    '<g class="grid">',
  ];
  for (const t of xTicks) {
    parts.push(
      `<line x1="${fixed(px(t))}" y1="${MARGIN.top}" x2="${fixed(px(t))}" y2="${bottom}" stroke="${COLORS.grid}"/>`,
    );
  }
  for (const t of yTicks) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${fixed(py(t))}" x2="${right}" y2="${fixed(py(t))}" stroke="${COLORS.grid}"/>`,
    );
  }
  parts.push('</g>', `<g class="axes" stroke="${COLORS.axis}">`);
  parts.push(`<line x1="${MARGIN.left}" y1="${bottom}" x2="${right}" y2="${bottom}"/>`);
  parts.push(`<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}"/>`);
  for (const t of xTicks) {
    parts.push(`<line x1="${fixed(px(t))}" y1="${bottom}" x2="${fixed(px(t))}" y2="${bottom + 5}"/>`);
  }
  for (const t of yTicks) {
    parts.push(
      `<line x1="${MARGIN.left - 5}" y1="${fixed(py(t))}" x2="${MARGIN.left}" y2="${fixed(py(t))}"/>`,
    );
  }
  parts.push('</g>', `<g class="tick-labels" fill="${COLORS.axis}">`);
  for (const t of xTicks) parts.push(text(px(t), bottom + 19, formatNumber(t), 'text-anchor="middle"'));
  for (const t of yTicks) parts.push(text(MARGIN.left - 9, py(t) + 4, formatNumber(t), 'text-anchor="end"'));
  parts.push(
    '</g>',
    text(
      MARGIN.left + plotW / 2,
      HEIGHT - 16,
      'Output throughput (tokens/s)',
      'text-anchor="middle" font-size="13"',
    ),
    text(
      18,
      MARGIN.top + plotH / 2,
      'p95 TTFT (ms)',
      `text-anchor="middle" font-size="13" transform="rotate(-90 18 ${fixed(MARGIN.top + plotH / 2)})"`,
    ),
    `<polyline fill="none" stroke="${COLORS.line}" stroke-width="2" points="${points.map((p) => `${fixed(px(p.x))},${fixed(py(p.y))}`).join(' ')}"/>`,
    '<g class="levels">',
  );
  for (const p of points) {
    const cx = fixed(px(p.x));
    const cy = fixed(py(p.y));
    parts.push(
      p.valid
        ? `<circle cx="${cx}" cy="${cy}" r="4" fill="${COLORS.line}"/>`
        : `<circle cx="${cx}" cy="${cy}" r="4" fill="#ffffff" stroke="#9ca3af" stroke-width="1.5"/>`,
      text(px(p.x) + 7, py(p.y) - 8, p.valid ? p.label : `${p.label} (invalid)`, `fill="${COLORS.axis}"`),
    );
  }
  parts.push('</g>');
  // Marks are named to the left of their point (level labels sit to the right); a second mark on the same point is
  // named a line lower.
  const marks = [
    { mark: sweep.knee, name: 'knee', color: COLORS.knee, r: 9, dash: '' },
    {
      mark: sweep.capacity,
      name: 'capacity',
      color: COLORS.capacity,
      r: 13,
      dash: ' stroke-dasharray="3 2"',
    },
  ];
  const named = new Set<number>();
  for (const { mark, name, color, r, dash } of marks) {
    const p = mark ? points.find((q) => q.index === mark.index) : undefined;
    if (p === undefined) continue;
    const dy = named.has(p.index) ? 18 : 4;
    named.add(p.index);
    parts.push(
      `<g class="${name}">`,
      `<circle cx="${fixed(px(p.x))}" cy="${fixed(py(p.y))}" r="${r}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`,
      text(px(p.x) - 17, py(p.y) + dy, name, `text-anchor="end" fill="${color}" font-weight="600"`),
      '</g>',
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
