/**
 * Compares a run with its baseline and decides, per scenario and overall, PASS / WARN / FAIL. The statistics are in
 * ./stats; this file decides what may be compared at all:
 * - a run that did not complete (endpoint never ready, cancelled), an aborted scenario, or a point the load generator
 *   itself limited or whose endpoint ignored force_output_length (src/load/validity.ts) never FAILs: it WARNs and
 *   says why;
 * - a scenario with no baseline yet PASSes, saying the baseline will be recorded on merge (or by calibrate);
 * - a scenario whose workload fingerprint differs from the baseline's is not compared: it WARNs that the workload
 *   changed and the baseline must be re-recorded.
 */
import type { RunResult, ScenarioResult } from '../results/schema.js';
import type { BaselineEntry, BaselineFile } from './baseline-file.js';
import { historyOf } from './baseline-file.js';
import { currentRunOf } from './current-run.js';
import { gateScenario, type GateSettings, type GateStatus, type ScenarioVerdict } from './stats/index.js';

export type ScenarioGateKind = 'compared' | 'no-baseline' | 'workload-changed' | 'invalid-run';

export interface ScenarioGate {
  readonly name: string;
  readonly kind: ScenarioGateKind;
  readonly status: GateStatus;
  /** Why the scenario was not compared, or a caveat about the comparison (short history). */
  readonly message?: string;
  readonly verdict?: ScenarioVerdict;
  /** The baseline's runs of this scenario, oldest first (for the history chart), when its workload matches. */
  readonly history: readonly BaselineEntry[];
  readonly result: ScenarioResult;
}

export interface GateReport {
  readonly status: GateStatus;
  readonly scenarios: readonly ScenarioGate[];
  readonly settings: GateSettings;
  /** Set when the whole run is invalid (not comparable). */
  readonly invalidReason?: string;
  readonly hasBaseline: boolean;
}

const ORDER: Record<GateStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: Iterable<GateStatus>): GateStatus {
  let worst: GateStatus = 'pass';
  for (const s of statuses) if (ORDER[s] > ORDER[worst]) worst = s;
  return worst;
}

const NO_BASELINE =
  'no baseline yet — it will be recorded when this is merged, or run `llm-perf-gate calibrate` to seed it';

export function compareWithBaseline(
  result: RunResult,
  baseline: BaselineFile | undefined,
  settings: GateSettings,
): GateReport {
  const invalidReason = runInvalidReason(result);
  const scenarios = result.scenarios.map((s): ScenarioGate => {
    const entry = baseline?.scenarios[s.name];
    const reason =
      invalidReason ??
      (s.aborted
        ? 'the scenario was cancelled before it completed'
        : !s.validity.valid
          ? `the measurement is not trustworthy: ${s.validity.reasons.join('; ')}`
          : undefined);
    if (reason !== undefined) {
      return {
        name: s.name,
        kind: 'invalid-run',
        status: 'warn',
        message: `not compared: ${reason}`,
        history: [],
        result: s,
      };
    }
    if (entry === undefined || entry.runs.length === 0) {
      return {
        name: s.name,
        kind: 'no-baseline',
        status: 'pass',
        message: NO_BASELINE,
        history: [],
        result: s,
      };
    }
    if (entry.fingerprint !== s.fingerprint) {
      return {
        name: s.name,
        kind: 'workload-changed',
        status: 'warn',
        message:
          `the workload changed (fingerprint ${s.fingerprint.slice(0, 12)}, baseline ${entry.fingerprint.slice(0, 12)}): ` +
          'runs of different workloads are not compared; the baseline is re-recorded when this is merged',
        history: [],
        result: s,
      };
    }
    const verdict = gateScenario(currentRunOf(s), historyOf(entry), settings);
    const short = entry.runs.length < settings.minHistoryRuns;
    return {
      name: s.name,
      kind: 'compared',
      status: verdict.status,
      ...(short
        ? {
            message:
              `the baseline has ${entry.runs.length} run${entry.runs.length === 1 ? '' : 's'} (fewer than ` +
              `${settings.minHistoryRuns}): run-to-run noise is assumed (${Math.round(settings.noiseFloor * 100)}%), ` +
              'not measured — run `llm-perf-gate calibrate` for a measured noise level',
          }
        : {}),
      verdict,
      history: entry.runs,
      result: s,
    };
  });
  return {
    // A run with nothing comparable (e.g. the endpoint never answered) is a warning, never a pass.
    status: worstStatus([
      ...scenarios.map((s) => s.status),
      ...(invalidReason !== undefined ? (['warn'] as const) : []),
    ]),
    scenarios,
    settings,
    ...(invalidReason !== undefined ? { invalidReason } : {}),
    hasBaseline: baseline !== undefined,
  };
}

function runInvalidReason(result: RunResult): string | undefined {
  if (result.status === 'not_ready') {
    const why = result.readiness.lastReason ? `: ${result.readiness.lastReason}` : '';
    return `the endpoint never became ready${why}`;
  }
  if (result.status === 'aborted') return 'the run was cancelled before it completed';
  return undefined;
}

export type FailOn = 'fail' | 'warn' | 'never';

/**
 * Whether a gate report fails the check under `failOn` (the CLI's exit code and the action's step): a FAIL fails
 * unless failOn is never; a WARN fails only with failOn warn; a run that is not comparable never fails.
 */
export function failsCheck(report: GateReport, failOn: FailOn): boolean {
  if (report.invalidReason !== undefined || failOn === 'never') return false;
  return report.status === 'fail' || (failOn === 'warn' && report.status === 'warn');
}
