/** Adapts a results file's scenario to the statistics core's view of the run being gated. */
import type { MetricId } from '../metrics/definitions.js';
import type { ScenarioResult } from '../results/schema.js';
import type { CurrentRun } from './stats/index.js';

/**
 * The per-request metrics a gate can compare (config gate.metrics). Output length (set by the workload) and dispatch
 * lag (the client's own) are left out, which also keeps baseline files small.
 */
export const GATEABLE_REQUEST_METRICS = [
  'ttft_ms',
  'ttfat_ms',
  'tpot_ms',
  'e2el_ms',
  'request_output_tokens_per_s',
] as const satisfies readonly MetricId[];

export function currentRunOf(s: ScenarioResult): CurrentRun {
  const value = s.summary.throughput.outputTokensPerS;
  const samples: Partial<Record<MetricId, number[]>> = {};
  for (const id of GATEABLE_REQUEST_METRICS) {
    const values = s.samples[id];
    if (values !== undefined) samples[id] = values;
  }
  return {
    samples,
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
