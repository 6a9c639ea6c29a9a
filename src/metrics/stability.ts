/**
 * Stability: did the endpoint deliver the same output rate all through the steady window, or did it drift (thermal
 * throttling, a cache filling, autoscaling, a noisy neighbour)? The loaded part of the steady window — from its start
 * to its last described send, since after that the load drains — is cut into equal time slices: 10, or slices of
 * about 5 s when that part is longer than 50 s. Each slice's output tokens/s counts tokens by chunk arrival; their
 * coefficient of variation (population standard deviation ÷ mean) is the stability figure: 0 is perfectly steady.
 */
import { mean, standardDeviation } from 'simple-statistics';
import type { RequestRecord } from '../load/record.js';
import type { SteadyWindow } from './steady-window.js';
import { tokensByArrival } from './window-throughput.js';

/** Slices when the loaded span is at most {@link LONG_SPAN_S}. */
export const STABILITY_SLICES = 10;
/** Past this span (seconds), slices are about {@link LONG_SLICE_S} long instead. */
export const LONG_SPAN_S = 50;
export const LONG_SLICE_S = 5;

export interface Stability {
  /** The span that was sliced (ms, the records' clock). */
  readonly startMs: number;
  readonly endMs: number;
  /** Length of each slice in seconds. */
  readonly sliceS: number;
  /** Output tokens/s in each slice, in time order. */
  readonly outputTokensPerS: number[];
  /** Population standard deviation ÷ mean of the slices' rates; null when the mean is 0. */
  readonly cv: number | null;
}

/** How many slices a loaded span of `spanS` seconds is cut into. */
export function sliceCount(spanS: number): number {
  return spanS > LONG_SPAN_S ? Math.floor(spanS / LONG_SLICE_S) : STABILITY_SLICES;
}

/**
 * The stability of ok `records` (any phase) over the loaded part of `window`. Null when that part has no length
 * (e.g. every request was sent at once, or the trims cover the whole run).
 */
export function throughputStability(
  records: readonly RequestRecord[],
  window: SteadyWindow,
): Stability | null {
  const startMs = window.startMs;
  const endMs = Math.min(window.endMs, window.sendEndMs);
  if (!(endMs > startMs)) return null;
  const spanS = (endMs - startMs) / 1000;
  const slices = sliceCount(spanS);
  const sliceS = spanS / slices;
  const rates = tokensByArrival(records, startMs, endMs, slices).map((tokens) => tokens / sliceS);
  const average = mean(rates);
  return {
    startMs,
    endMs,
    sliceS,
    outputTokensPerS: rates,
    cv: average > 0 ? standardDeviation(rates) / average : null,
  };
}
