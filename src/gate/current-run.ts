/** Adapts a results file's scenario to the statistics core's view of the run being gated. */
import type { MetricId } from '../metrics/definitions.js';
import type { ScenarioResult } from '../results/schema.js';
import type { CurrentRun } from './stats/index.js';

export function currentRunOf(s: ScenarioResult): CurrentRun {
  const value = s.summary.throughput.outputTokensPerS;
  return {
    samples: s.samples as Partial<Record<MetricId, number[]>>,
    ...(value !== null && value > 0
      ? {
          throughput: {
            value,
            outputTokens: s.throughputSample.outputTokens,
            busyMs: s.throughputSample.busyMs,
          },
        }
      : {}),
    errors: {
      errors: s.summary.requests.errors + s.summary.requests.cutOff,
      total: s.summary.requests.measured,
    },
  };
}
