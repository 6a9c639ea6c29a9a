/**
 * Per-request decisions shared by every wire face: whether the request fails, how many tokens it generates, whether
 * and where a mid-stream fault happens, and which words it streams. A plan is a pure function of the knobs, the
 * request's length parameters and its own seeded generator, so the same seed and arrival order give the same plans.
 */
import type { SimKnobs } from './knobs.js';
import type { Rng } from './rng.js';
import { VOCABULARY } from './vocab.js';

/** A fault injected into a stream after `afterTokens` tokens were written. */
export interface StreamFault {
  readonly kind: 'disconnect' | 'malformed' | 'stream_error' | 'stream_throttle';
  /** The fault happens right after the chunk that brings the written token count to at least this (≥ 1). */
  readonly afterTokens: number;
}

/** Length parameters of a request, as the client sent them. */
export interface LengthRequest {
  /** max_tokens (≥ 1). */
  readonly maxTokens: number;
  /** Forced minimum length: maxTokens for ignore_eos, min_tokens otherwise (0 = none). */
  readonly minTokens: number;
}

/** What happens to one accepted request. */
export type RequestPlan =
  | { readonly kind: 'error' }
  | {
      readonly kind: 'generate';
      /** Tokens to generate, 1 ≤ outputTokens ≤ maxTokens. */
      readonly outputTokens: number;
      /** "length" when maxTokens were generated, "stop" when the sequence stopped early. */
      readonly finishReason: 'length' | 'stop';
      /** A mid-stream fault, when one was drawn (streaming responses only). */
      readonly fault: StreamFault | undefined;
      /** Vocabulary position of the first generated word. */
      readonly textOffset: number;
    };

/** The knobs that shape plans. */
export type PlanKnobs = Pick<
  SimKnobs,
  | 'error_rate'
  | 'early_stop_rate'
  | 'ignore_force_rate'
  | 'disconnect_rate'
  | 'malformed_rate'
  | 'stream_error_rate'
  | 'stream_throttle_rate'
>;

/**
 * Decide one request's fate. Always draws the same number of values from `rng`, whatever the outcome.
 */
export function planRequest(knobs: PlanKnobs, rng: Rng, request: LengthRequest): RequestPlan {
  const failDraw = rng();
  const earlyDraw = rng();
  const lengthDraw = rng();
  const disconnectDraw = rng();
  const streamErrorDraw = rng();
  const malformedDraw = rng();
  const positionDraw = rng();
  const textOffset = Math.floor(rng() * VOCABULARY.length);
  // Drawn last, so plans of a given seed are the same as before the knob existed.
  const throttleDraw = rng();

  if (failDraw < knobs.error_rate) return { kind: 'error' };

  const { maxTokens } = request;
  const forced = request.minTokens >= maxTokens;
  const stopsEarly = earlyDraw < (forced ? knobs.ignore_force_rate : knobs.early_stop_rate);
  const shortest = forced ? 1 : Math.max(1, request.minTokens);
  let outputTokens = maxTokens;
  if (stopsEarly && shortest < maxTokens) {
    outputTokens = shortest + Math.floor(lengthDraw * (maxTokens - shortest));
  }

  // Mid-stream: after at least one token, before the last one where the response has more than one.
  const afterTokens = 1 + Math.floor(positionDraw * Math.max(1, outputTokens - 1));
  let fault: StreamFault | undefined;
  if (disconnectDraw < knobs.disconnect_rate) fault = { kind: 'disconnect', afterTokens };
  else if (streamErrorDraw < knobs.stream_error_rate) fault = { kind: 'stream_error', afterTokens };
  else if (malformedDraw < knobs.malformed_rate) fault = { kind: 'malformed', afterTokens };
  else if (throttleDraw < knobs.stream_throttle_rate) fault = { kind: 'stream_throttle', afterTokens };
  return {
    kind: 'generate',
    outputTokens,
    finishReason: outputTokens < maxTokens ? 'stop' : 'length',
    fault,
    textOffset,
  };
}
