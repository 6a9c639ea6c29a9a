/** Maps the `gate:` section of the config onto the statistics core's settings (defaults where it is silent). */
import type { GateConfig, GatedMetricConfig } from '../config/schema.js';
import {
  DEFAULT_GATE_SETTINGS,
  validateGateSettings,
  type GateSettings,
  type MetricGate,
} from './stats/index.js';

export function gateSettingsFrom(config: GateConfig): GateSettings {
  const d = DEFAULT_GATE_SETTINGS;
  const settings: GateSettings = {
    ...d,
    metrics: config.metrics ? config.metrics.map(metricGateOf) : d.metrics,
    alpha: config.alpha ?? d.alpha,
    confidence: config.confidence ?? d.confidence,
    noiseFloor: config.noise_floor ?? d.noiseFloor,
    minHistoryRuns: config.min_history_runs ?? d.minHistoryRuns,
  };
  try {
    validateGateSettings(settings);
  } catch (err) {
    throw new Error(`gate: ${(err as Error).message.replace(/^gate settings: /, '')}`, { cause: err });
  }
  return settings;
}

function metricGateOf(m: GatedMetricConfig): MetricGate {
  if (m.metric === 'output_tokens_per_s') {
    return {
      kind: 'throughput',
      metric: m.metric,
      tolerance: m.tolerance,
      ...(m.min !== undefined ? { limit: m.min } : {}),
    };
  }
  if (m.metric === 'error_rate') {
    return {
      kind: 'error_rate',
      metric: m.metric,
      tolerance: m.tolerance,
      ...(m.max !== undefined ? { limit: m.max } : {}),
    };
  }
  const limit = m.max ?? m.min;
  return {
    kind: 'request',
    metric: m.metric,
    // The schema requires a statistic for per-request metrics.
    statistic: m.statistic ?? 'p50',
    tolerance: m.tolerance,
    ...(limit !== undefined ? { limit } : {}),
  };
}
