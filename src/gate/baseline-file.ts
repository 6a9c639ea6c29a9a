/**
 * The baseline file (default .llm-perf/baseline.json): per scenario, the workload fingerprint and a bounded history
 * of accepted runs, each reduced to what the gate needs (distribution summaries, throughput with its standard error,
 * error counts) plus where it came from. Human-diffable: numbers are rounded to 4 significant digits and each
 * distribution's quantile grid sits on one line.
 *
 * Pure: parsing, appending and formatting. Reading and writing the file (disk or the GitHub contents API) happen at
 * the edges.
 */
import { z } from 'zod';
import { METRIC_DEFINITIONS_VERSION } from '../metrics/definitions.js';
import type { RunResult, ScenarioResult } from '../results/schema.js';
import { distributionSummarySchema, summarizeRun, type BaselineRun } from './stats/index.js';
import { currentRunOf } from './current-run.js';

export const BASELINE_SCHEMA_VERSION = 1;
export const DEFAULT_BASELINE_PATH = '.llm-perf/baseline.json';

/** How a run got into the history. */
export type AcceptedBy = 'gate-pass' | 'accept-label' | 'calibrate' | 'manual';

const errorCountSchema = z.strictObject({
  errors: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

const baselineEntrySchema = z.strictObject({
  /** Unique per recorded run (the CI run id, or the results' start time): appending the same run twice is a no-op. */
  id: z.string().min(1),
  commit: z.string().optional(),
  recordedAt: z.string(),
  acceptedBy: z.enum(['gate-pass', 'accept-label', 'calibrate', 'manual']),
  toolVersion: z.string(),
  metricDefinitionsVersion: z.string(),
  /** What was measured: provider, endpoint, model, and the identity the user declared. */
  target: z.strictObject({
    provider: z.string(),
    endpoint: z.string(),
    model: z.string().optional(),
    identity: z.string().optional(),
  }),
  runner: z.string().optional(),
  requests: z.number().int().nonnegative(),
  distributions: z.record(z.string(), distributionSummarySchema),
  throughput: z.strictObject({ value: z.number(), logSe: z.number() }).optional(),
  errors: errorCountSchema.optional(),
});

const baselineScenarioSchema = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  runs: z.array(baselineEntrySchema),
});

export const baselineFileSchema = z.strictObject({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  tool: z.literal('llm-perf-gate'),
  scenarios: z.record(z.string(), baselineScenarioSchema),
});

export type BaselineEntry = z.output<typeof baselineEntrySchema>;
export type BaselineScenario = z.output<typeof baselineScenarioSchema>;
export type BaselineFile = z.output<typeof baselineFileSchema>;

export class BaselineFileError extends Error {
  override name = 'BaselineFileError';
}

export function emptyBaseline(): BaselineFile {
  return { schemaVersion: BASELINE_SCHEMA_VERSION, tool: 'llm-perf-gate', scenarios: {} };
}

/** Parses and validates a baseline file; errors name the file and the field. */
export function parseBaseline(text: string, file: string): BaselineFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new BaselineFileError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > BASELINE_SCHEMA_VERSION) {
    throw new BaselineFileError(
      `${file} has schemaVersion ${version}, newer than this llm-perf-gate understands (${BASELINE_SCHEMA_VERSION}): upgrade the action`,
    );
  }
  const parsed = baselineFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new BaselineFileError(`${file}: ${where.replace(/^\./, '') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The history of a scenario as the statistics core reads it. */
export function historyOf(entry: BaselineScenario): BaselineRun[] {
  return entry.runs.map((r) => ({
    distributions: r.distributions,
    ...(r.throughput ? { throughput: r.throughput } : {}),
    ...(r.errors ? { errors: r.errors } : {}),
  }));
}

export interface AppendMeta {
  readonly id: string;
  readonly commit?: string;
  readonly recordedAt: string;
  readonly acceptedBy: AcceptedBy;
  readonly runner?: string;
  /** Runs kept per scenario (gate.history). */
  readonly history: number;
}

export interface AppendOutcome {
  readonly baseline: BaselineFile;
  /** One line per scenario saying what happened, for logs and the job summary. */
  readonly notes: string[];
}

/**
 * Appends every complete scenario of `result` to its history: a changed workload fingerprint restarts that
 * scenario's history (the old runs measured something else), a run id already present is skipped (so a retried
 * update never records a run twice), and the oldest runs beyond `meta.history` are dropped.
 */
export function appendRun(baseline: BaselineFile, result: RunResult, meta: AppendMeta): AppendOutcome {
  const scenarios = { ...baseline.scenarios };
  const notes: string[] = [];
  if (result.status !== 'complete') {
    return { baseline, notes: [`run not recorded: its status is ${result.status}`] };
  }
  for (const s of result.scenarios) {
    if (s.aborted || !s.validity.valid) {
      notes.push(`${s.name}: not recorded (${s.aborted ? 'aborted' : s.validity.reasons.join('; ')})`);
      continue;
    }
    const previous = scenarios[s.name];
    const restart = previous !== undefined && previous.fingerprint !== s.fingerprint;
    const runs = previous === undefined || restart ? [] : [...previous.runs];
    if (runs.some((r) => r.id === meta.id)) {
      notes.push(`${s.name}: run ${meta.id} is already recorded`);
      continue;
    }
    runs.push(entryOf(result, s, meta));
    const kept = runs.slice(Math.max(0, runs.length - meta.history));
    scenarios[s.name] = { fingerprint: s.fingerprint, runs: kept };
    notes.push(
      `${s.name}: recorded run ${meta.id} (${kept.length} of at most ${meta.history} in history)` +
        (restart ? '; the workload changed, so its history restarted' : '') +
        (runs.length > kept.length ? `; dropped ${runs.length - kept.length} oldest` : ''),
    );
  }
  return { baseline: { ...baseline, scenarios }, notes };
}

function entryOf(result: RunResult, s: ScenarioResult, meta: AppendMeta): BaselineEntry {
  const summary = summarizeRun(currentRunOf(s));
  return {
    id: meta.id,
    ...(meta.commit ? { commit: meta.commit } : {}),
    recordedAt: meta.recordedAt,
    acceptedBy: meta.acceptedBy,
    toolVersion: result.tool.version,
    metricDefinitionsVersion: result.metricDefinitions.version ?? METRIC_DEFINITIONS_VERSION,
    target: {
      provider: result.target.provider,
      endpoint: result.target.endpoint,
      ...(result.target.model ? { model: result.target.model } : {}),
      ...(result.target.identity ? { identity: result.target.identity } : {}),
    },
    ...(meta.runner ? { runner: meta.runner } : {}),
    requests: s.summary.requests.measured,
    distributions: summary.distributions as BaselineEntry['distributions'],
    ...(summary.throughput ? { throughput: summary.throughput } : {}),
    ...(summary.errors ? { errors: summary.errors } : {}),
  };
}

/**
 * JSON with two-space indentation, except that objects and arrays holding only numbers stay on one line: each run's
 * distribution summary is one line in a diff instead of twenty.
 */
export function formatBaseline(baseline: BaselineFile): string {
  return `${stringifyCompact(baseline, '')}\n`;
}

function stringifyCompact(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'number'))
      return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + stringifyCompact(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  if (entries.every(([, v]) => typeof v === 'number')) {
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
  }
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyCompact(v, inner)}`).join(',\n')}\n${indent}}`;
}
