/**
 * Mermaid charts for reports (GitHub renders ```mermaid blocks): the baseline history of a scenario's headline metric
 * with this run as the last bar, so a reviewer sees whether the change stands out from the usual run-to-run scatter.
 */
import type { BaselineEntry } from '../gate/baseline-file.js';
import type { ScenarioGate } from '../gate/compare.js';
import { quantileFromSummary, type Verdict } from '../gate/stats/index.js';
import { metricDefinition, type MetricId } from '../metrics/definitions.js';
import { label } from './metric-label.js';

/** The value of a verdict's metric in one baseline run, when that run has it. */
function historyValue(entry: BaselineEntry, v: Verdict): number | undefined {
  if (v.metric === 'output_tokens_per_s') return entry.throughput?.value;
  if (v.metric === 'error_rate') return undefined;
  const summary = entry.distributions[v.metric];
  if (summary === undefined) return undefined;
  if (v.statistic === 'mean') return summary.mean;
  return quantileFromSummary(
    summary as Parameters<typeof quantileFromSummary>[0],
    Number(v.statistic.slice(1)) / 100,
  );
}

const round = (x: number): number => Number(x.toPrecision(4));

/** A bar chart of the headline metric over the baseline history plus this run; undefined when there is nothing to draw. */
export function historyChart(s: ScenarioGate, maxRuns = 20): string | undefined {
  const headline = s.verdict?.verdicts.find((v) => v.scale === 'ratio' && v.current !== null);
  if (!headline || headline.current === null) return undefined;
  const shown = s.history.slice(-maxRuns);
  const firstNumber = s.history.length - shown.length + 1;
  // A merge is named by its commit; a run without one (calibrate, manual) by its place in the history.
  const points = shown.flatMap((entry, i) => {
    const value = historyValue(entry, headline);
    return value === undefined
      ? []
      : [{ label: entry.commit?.slice(0, 7) ?? `run ${firstNumber + i}`, value }];
  });
  if (points.length === 0) return undefined;
  points.push({ label: 'this run', value: headline.current });
  const unit = metricDefinition(headline.metric as MetricId).unit;
  const top = Math.max(...points.map((p) => p.value)) * 1.15;
  const axis = points.map((p) => JSON.stringify(p.label.replace(/"/g, "'"))).join(', ');
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${label(headline)} (${unit}): baseline runs, then this run"`,
    `  x-axis [${axis}]`,
    `  y-axis "${unit}" 0 --> ${round(top)}`,
    `  bar [${points.map((p) => round(p.value)).join(', ')}]`,
    '```',
  ].join('\n');
}
