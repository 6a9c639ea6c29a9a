/**
 * The one interface every wire protocol implements. A provider knows its wire format and nothing about scheduling,
 * metrics or statistics: it sends one request and reports what it saw, stamped with the monotonic clock, to a
 * {@link StreamRecorder} owned by the load engine.
 */

/** Error categories shared by every provider, so the gate and reports treat all endpoints alike. */
export const ERROR_CATEGORIES = [
  'connect_refused', // TCP connection refused
  'dns', // host name did not resolve
  'tls', // TLS handshake / certificate failure
  'connection', // other socket error before a response (reset, unreachable, closed early)
  'http_429', // HTTP 429 / throttling
  'http_4xx', // other 4xx / request rejected as invalid
  'http_5xx', // 5xx / service unavailable
  'not_ready', // endpoint answered "model not ready" (scale-to-zero cold start) during measurement
  'timeout_before_first_token', // per-request timeout hit before any content arrived
  'timeout_during_stream', // per-request timeout hit after content started
  'stream_cut', // stream ended before its terminal event ([DONE] / final frame)
  'malformed_event', // an event that could not be parsed
  'stream_error', // the server sent an error object / exception inside the stream
  'aborted', // the run was cancelled (SIGINT/SIGTERM) while this request was in flight
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/** Whether a content chunk carried visible answer text or reasoning ("thinking") text. */
export type ContentKind = 'text' | 'reasoning';

/** What a provider needs to send one request. Built deterministically by the workload. */
export interface ProviderRequest {
  /** Stable position of the request in its workload (warmup and measured requests have separate sequences). */
  readonly index: number;
  /** Opaque id sent as the X-Request-Id header (where the protocol has headers) for correlation with server logs. */
  readonly requestId: string;
  /** The prompt text: the user message for chat APIs, the whole prompt for completion APIs. */
  readonly prompt: string;
  /** Prompt length in tokens as counted by the workload's tokenizer. */
  readonly inputTokens: number;
  /** Requested output length (max_tokens). */
  readonly maxTokens: number;
  /** Ask the server to generate exactly maxTokens tokens (ignore_eos / min_tokens), where the protocol allows. */
  readonly forceOutputLength: boolean;
}

/**
 * Receives the life of one request. Every `at` is a monotonic timestamp in milliseconds from the clock given to the
 * provider, taken as close to the socket as the client allows (before parsing the chunk it stamps).
 * Exactly one of `ended` or `failed` is called, last.
 */
export interface StreamRecorder {
  /** A new connection was opened for this request; `connectMs` is how long that took (DNS + TCP + TLS). */
  connected(connectMs: number): void;
  /** Response headers (or the first response frame) arrived. */
  responseStarted(at: number, status: number): void;
  /** One chunk of generated content arrived. `text` may be empty when only a token count is known. */
  content(at: number, kind: ContentKind, text: string, tokens?: number): void;
  /** Token counts reported by the server (usage). Either may be undefined when the server omits it. */
  usage(promptTokens: number | undefined, completionTokens: number | undefined): void;
  /** A latency figure the server itself reports for the request (e.g. Bedrock metrics.latencyMs). */
  serverLatency(ms: number): void;
  /** The stream reached its terminal event cleanly. */
  ended(at: number): void;
  /** The request failed. `detail` must never contain secrets (keys, tokens, auth headers). */
  failed(at: number, category: ErrorCategory, detail: string, status?: number): void;
}

/** Result of one readiness probe. */
export type ProbeResult =
  | { readonly ready: true }
  | {
      readonly ready: false;
      /** Human-readable reason, secret-free (e.g. "HTTP 503: model not ready", "connection refused"). */
      readonly reason: string;
      /** False when waiting cannot help (401, 404, bad model name): readiness gives up at once. */
      readonly retryable: boolean;
    };

/** A monotonic clock in milliseconds (performance.now() in production; injectable for tests). */
export type Clock = () => number;

export interface Provider {
  /** Provider id as written in config (e.g. "openai"). */
  readonly id: string;
  /**
   * Send one request and report everything to `recorder`. Never rejects: every failure becomes
   * `recorder.failed(...)`. When `signal` aborts, stop reading, release the connection and call
   * `recorder.failed(at, 'aborted', ...)`; the engine re-categorises timeouts from the abort reason.
   */
  send(request: ProviderRequest, recorder: StreamRecorder, signal: AbortSignal): Promise<void>;
  /** One cheap readiness probe (a tiny real generation request, or a health route). Never rejects. */
  probe(signal: AbortSignal): Promise<ProbeResult>;
  /** Close connection pools. */
  close(): Promise<void>;
}
