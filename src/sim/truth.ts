/**
 * The server-side truth log: what the simulator did for each generation request, stamped with performance.now() in
 * the simulator's own thread. Compare durations (server TTFT = firstTokenMs − arrivalMs) with the client's, never
 * absolute times across threads or processes.
 */

/** Why a request did not simply stream to its planned end. */
export type SimFault =
  | 'bad_request' // 400: unparseable or invalid body
  | 'unknown_model' // 404: the `model` knob is set and the request named another model
  | 'cold_start' // 503 during cold_start_s
  | 'rate_limited' // 429 above rate_limit_in_flight
  | 'error_500' // 500 from error_rate
  | 'disconnect' // socket destroyed mid-stream (disconnect_rate)
  | 'malformed' // one unparseable event mid-stream (malformed_rate); the stream still completes
  | 'stream_error' // error event mid-stream (stream_error_rate)
  | 'stream_throttle' // throttling error mid-stream (stream_throttle_rate)
  | 'early_stop' // fewer tokens than max_tokens, finish_reason "stop" (early_stop_rate / ignore_force_rate)
  | 'client_disconnect'; // the client went away before the response ended

/** One generation request as the simulator saw it. Times are ms on the simulator thread's performance.now(). */
export interface SimTruth {
  /** X-Request-Id of the request, or an id the simulator generated. */
  readonly requestId: string;
  /** When the full request body had been received. */
  readonly arrivalMs: number;
  /**
   * When the first chunk carrying generated tokens had been flushed to the socket (its write's callback; absent when
   * none was). A non-streaming response is stamped when its body is handed over.
   */
  readonly firstTokenMs?: number;
  /** When the last chunk carrying generated tokens had been flushed. */
  readonly lastTokenMs?: number;
  /** When the response ended (ended and its tokens flushed, destroyed, or abandoned by the client). */
  readonly endMs: number;
  /** Tokens written to the client. */
  readonly outputTokens: number;
  /** Prompt tokens (cl100k_base count of the prompt text). */
  readonly inputTokens: number;
  /** HTTP status sent. */
  readonly status: number;
  readonly fault?: SimFault;
}

/** An append-only list of truth records; records nothing when disabled. */
export class TruthLog {
  readonly #enabled: boolean;
  #records: SimTruth[] = [];

  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  /** Append one record (ignored when the log is disabled). */
  add(record: SimTruth): void {
    if (this.#enabled) this.#records.push(record);
  }

  /** A copy of every record so far, in the order the requests ended. */
  list(): SimTruth[] {
    return this.#records.slice();
  }

  /** Forget every record. */
  clear(): void {
    this.#records = [];
  }
}
