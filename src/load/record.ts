/**
 * The per-request record the load engine produces and everything downstream (metrics, results files, the gate)
 * consumes. One line of requests.jsonl is one RequestRecord serialised with JSON.stringify.
 */
import type { ErrorCategory } from '../providers/types.js';

/** Where a request's output token count came from. */
export type TokenSource = 'usage' | 'tokenizer' | 'chunks';

/**
 * ok: the stream reached its terminal event.
 * error: it failed (see `error`).
 * cut_off: a duration run's deadline plus grace passed while it was still streaming.
 */
export type Outcome = 'ok' | 'error' | 'cut_off';

export interface RequestError {
  readonly category: ErrorCategory;
  /** Secret-free description (HTTP status text, exception name, socket error code). */
  readonly detail: string;
  readonly status?: number;
}

/**
 * All times are milliseconds on the monotonic clock, relative to the start of the scenario (when its first request,
 * warmup included, was scheduled). Durations derive from differences; nothing here is a wall-clock time.
 */
export interface RequestRecord {
  readonly scenario: string;
  /** Position in the workload sequence (warmup and measured sequences are numbered separately). */
  readonly index: number;
  readonly warmup: boolean;
  readonly requestId: string;
  /** When the engine meant to send it (closed loop: when its slot freed; open loop: its arrival time). */
  readonly scheduledMs: number;
  /** When the provider was handed the request (just before the bytes are written). */
  readonly sentMs: number;
  /** Time spent opening a new connection for this request, when one was opened (DNS + TCP + TLS). */
  readonly connectMs?: number;
  /** Response headers / first response frame. */
  readonly responseMs?: number;
  /** First chunk carrying generated content (text or reasoning). TTFT = firstTokenMs - sentMs. */
  readonly firstTokenMs?: number;
  /** First chunk of answer text, when reasoning content came before it. */
  readonly firstAnswerMs?: number;
  /** When the request ended (terminal event, failure or cut-off). */
  readonly endMs: number;
  /** Arrival time of every content chunk, in order. */
  readonly chunkMs: readonly number[];
  /**
   * Output tokens attributed to each content chunk (same length as chunkMs, sums to outputTokens). A chunk may hold 0
   * when the server reported fewer tokens than it sent chunks; its gap then belongs to the next chunk with tokens.
   */
  readonly chunkTokens: readonly number[];
  /** Prompt tokens as counted by the workload tokenizer. */
  readonly inputTokens: number;
  /** Prompt tokens as reported by the server, when it reports them (chat templates add a few). */
  readonly inputTokensUsage?: number;
  /** max_tokens sent. */
  readonly requestedOutputTokens: number;
  /** Output tokens used for every metric (see outputTokensSource). */
  readonly outputTokens: number;
  readonly outputTokensSource: TokenSource;
  readonly outputTokensUsage?: number;
  readonly outputTokensTokenizer?: number;
  /** Latency the server itself reported, when the protocol carries one (Bedrock). */
  readonly serverLatencyMs?: number;
  readonly outcome: Outcome;
  readonly error?: RequestError;
}
