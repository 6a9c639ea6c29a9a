/** The gate's verdicts as plain JSON (the action's `gated` output, `compare --format json`). */
import type { GateReport } from '../gate/compare.js';

export const GATE_JSON_VERSION = 1;

export function gateJson(report: GateReport): unknown {
  return {
    version: GATE_JSON_VERSION,
    status: report.status,
    ...(report.invalidReason ? { invalidReason: report.invalidReason } : {}),
    scenarios: report.scenarios.map((s) => ({
      name: s.name,
      status: s.status,
      kind: s.kind,
      ...(s.message ? { message: s.message } : {}),
      fingerprint: s.result.fingerprint,
      ...(s.verdict
        ? {
            historyRuns: s.verdict.historyRuns,
            runToRunSpread: s.verdict.runToRunSpread,
            smallestDetectableRegression: s.verdict.smallestDetectableRegression,
            verdicts: s.verdict.verdicts.map((v) => ({
              metric: v.metric,
              statistic: v.statistic,
              status: v.status,
              baseline: v.baseline,
              current: v.current,
              ratio: v.ratio,
              scale: v.scale,
              ci: v.ci,
              tolerance: v.tolerance,
              limit: v.limit,
              pValue: v.pValue,
              adjustedP: v.adjustedP,
              noiseSource: v.noiseSource,
              reason: v.reason,
            })),
          }
        : {}),
    })),
  };
}
