/**
 * The steady window: the stretch of a load point's measured phase that its metrics describe, with the ramp into load
 * (`warmup_s`) and the tail out of it (`cooldown_s`) trimmed by time.
 *
 * The measured phase starts when the first measured request is sent; sending stops at the last measured send. Then
 * - the window starts `warmupS` after the first measured send;
 * - with `cooldownS` > 0 it ends `cooldownS` before the last measured send; with `cooldownS` = 0 it ends when the
 *   last measured request ends, so the drain after the last send counts (as vLLM's benchmark duration does);
 * - the requests it describes (latencies, errors, goodput) are the measured ones sent inside it.
 * Both bounds come from the records themselves (first and last measured sentMs), the same instants the engine reports
 * as ScenarioRun.measuredStartMs and lastSendMs, so a run's requests.jsonl alone reproduces its summary.
 */
import type { RequestRecord } from '../load/record.js';

/** How much of the measured phase to trim, in seconds (scenario `warmup_s`, `cooldown_s`). */
export interface SteadyStateSettings {
  readonly warmupS: number;
  readonly cooldownS: number;
}

/** Keep the whole measured phase. */
export const NO_TRIMMING: SteadyStateSettings = Object.freeze({ warmupS: 0, cooldownS: 0 });

/** The steady window, in ms on the records' clock. */
export interface SteadyWindow {
  readonly startMs: number;
  /** Where throughput stops counting; never before startMs (a trim longer than the run leaves an empty window). */
  readonly endMs: number;
  readonly durationS: number;
  /**
   * The latest send time a described request may have: the last measured send, or cooldownS before it. Before
   * startMs when the trims cover the whole measured phase: then no request is described.
   */
  readonly sendEndMs: number;
  /** The trims applied (seconds), echoed for reports. */
  readonly warmupS: number;
  readonly cooldownS: number;
}

/**
 * The steady window of one load point's records (warmup records may be included; they do not move it). Null when no
 * measured request was recorded. Throws a RangeError for a negative or non-finite trim.
 */
export function steadyWindow(
  records: readonly RequestRecord[],
  settings: SteadyStateSettings = NO_TRIMMING,
): SteadyWindow | null {
  const { warmupS, cooldownS } = settings;
  for (const [name, value] of [
    ['warmupS', warmupS],
    ['cooldownS', cooldownS],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`steady state ${name} must be a finite number ≥ 0, got ${value}`);
    }
  }
  let firstSendMs = Infinity;
  let lastSendMs = -Infinity;
  let lastEndMs = -Infinity;
  for (const record of records) {
    if (record.warmup) continue;
    firstSendMs = Math.min(firstSendMs, record.sentMs);
    lastSendMs = Math.max(lastSendMs, record.sentMs);
    lastEndMs = Math.max(lastEndMs, record.endMs);
  }
  if (firstSendMs === Infinity) return null;
  const startMs = firstSendMs + warmupS * 1000;
  const sendEndMs = lastSendMs - cooldownS * 1000;
  const endMs = Math.max(startMs, cooldownS > 0 ? sendEndMs : lastEndMs);
  return { startMs, endMs, durationS: (endMs - startMs) / 1000, sendEndMs, warmupS, cooldownS };
}

/** Whether a record is one the steady window describes: measured, and sent inside the window. */
export function isSteady(record: RequestRecord, window: SteadyWindow): boolean {
  return !record.warmup && record.sentMs >= window.startMs && record.sentMs <= window.sendEndMs;
}

/** The measured records the steady window describes, in record order; none when there is no window. */
export function steadyRecords(
  records: readonly RequestRecord[],
  window: SteadyWindow | null,
): RequestRecord[] {
  return window === null ? [] : records.filter((r) => isSteady(r, window));
}
