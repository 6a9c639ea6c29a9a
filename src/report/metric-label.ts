/** How reports name a gated figure: "TTFT p50", "Output throughput", "Error rate". */
import type { Verdict } from '../gate/stats/index.js';
import { metricDefinition, type MetricId } from '../metrics/definitions.js';

export function label(v: Pick<Verdict, 'metric' | 'statistic'>): string {
  const def = metricDefinition(v.metric as MetricId);
  if (v.statistic === 'rate' || v.statistic === 'value') return def.name;
  return `${def.name} ${v.statistic}`;
}
