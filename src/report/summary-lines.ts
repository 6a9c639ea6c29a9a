/**
 * One-line descriptions of a load point's steady window, goodput, stability and cost, shared by the terminal report
 * and the markdown details. Each returns undefined when there is nothing to say.
 */
import type { Cost } from '../metrics/cost.js';
import type { Goodput, SloMetric } from '../metrics/goodput.js';
import type { Stability } from '../metrics/stability.js';
import type { ScenarioSummary } from '../metrics/summary.js';
import { formatDuration, formatNumber, formatPercent } from './format.js';

const SLO_NAMES: Readonly<Record<SloMetric, string>> = { ttft_ms: 'TTFT', tpot_ms: 'TPOT', e2el_ms: 'E2EL' };

/** A configured figure (an objective, a trim) as written: 20, 0.5, 1,500. */
function formatSetting(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : String(x);
}

/** "TTFT ≤ 200 ms, TPOT ≤ 50 ms" (with a prefix such as "p95 " before each name). */
export function sloText(slo: Partial<Record<SloMetric, number>>, prefix = ''): string {
  return (Object.keys(SLO_NAMES) as SloMetric[])
    .filter((id) => slo[id] !== undefined)
    .map((id) => `${prefix}${SLO_NAMES[id]} ≤ ${formatSetting(slo[id] as number)} ms`)
    .join(', ');
}

/** "TTFT, TPOT": the names of the objectives given. */
export function sloNames(ids: readonly SloMetric[]): string {
  return ids.map((id) => SLO_NAMES[id]).join(', ');
}

/** ", measured over 12.0 s (steady window: first 2 s and last 1 s trimmed, 14 requests left out)". */
export function windowText(summary: ScenarioSummary): string {
  const w = summary.window;
  if (w === null) return '';
  const trims = [
    ...(w.warmupS > 0 ? [`first ${formatSetting(w.warmupS)} s`] : []),
    ...(w.cooldownS > 0 ? [`last ${formatSetting(w.cooldownS)} s before sending stopped`] : []),
  ];
  const trimmed =
    trims.length === 0
      ? ''
      : ` (steady window: ${trims.join(' and ')} trimmed, ${summary.requests.trimmed} request` +
        `${summary.requests.trimmed === 1 ? '' : 's'} left out)`;
  return `, measured over ${formatDuration(w.durationS * 1000)}${trimmed}`;
}

/** "Goodput: 93.0% of 200 requests meet TTFT ≤ 200 ms, TPOT ≤ 50 ms (4.20 req/s); missed TTFT 12, failed 2". */
export function goodputText(goodput: Goodput | undefined): string | undefined {
  if (goodput === undefined) return undefined;
  const missed = (Object.keys(SLO_NAMES) as SloMetric[])
    .filter((id) => (goodput.missedBy[id] ?? 0) > 0)
    .map((id) => `${SLO_NAMES[id]} ${goodput.missedBy[id]}`);
  if (goodput.failed > 0) missed.push(`failed ${goodput.failed}`);
  return (
    `Goodput: ${formatPercent(goodput.share)} of ${goodput.requests} requests meet ${sloText(goodput.slo)} ` +
    `(${formatNumber(goodput.requestsPerS)} req/s)` +
    (missed.length > 0 ? `; missed: ${missed.join(', ')}` : '')
  );
}

/** "Stability: output tok/s varies 4.1% (CV) over 10 slices of 1.2 s, from 1,100 to 1,300". */
export function stabilityText(stability: Stability | null): string | undefined {
  if (stability === null) return undefined;
  const rates = stability.outputTokensPerS;
  return (
    `Stability: output tok/s varies ${formatPercent(stability.cv)} (CV) over ${rates.length} slices of ` +
    `${formatDuration(stability.sliceS * 1000)}, from ${formatNumber(Math.min(...rates))} to ` +
    `${formatNumber(Math.max(...rates))}`
  );
}

/** "$0.42" per 1M output tokens, or "—". */
export function formatUsd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `$${x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 1 ? 2 : 4)}`;
}

/** " ($0.42 per 1M output tokens, instance price)" to follow a throughput figure; "" without a price. */
export function costText(cost: Cost | undefined): string {
  if (cost === undefined) return '';
  const basis = cost.basis === 'instance' ? 'instance price' : 'token prices';
  return ` (${formatUsd(cost.usdPerMillionOutputTokens)} per 1M output tokens, ${basis})`;
}
