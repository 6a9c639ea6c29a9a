/**
 * Collects the life of one request from its provider and turns it into a RequestRecord.
 *
 * `content()` is on the hottest path of the project (once per streamed chunk at up to tens of thousands per second):
 * it only appends to typed arrays (doubled when full) and to the output text. Everything else happens once, in
 * `finish()`.
 */
import type { ContentKind, ErrorCategory, StreamRecorder } from '../providers/types.js';
import { attributeTokens } from './token-accounting.js';
import type { Outcome, RequestError, RequestRecord } from './record.js';

/** Why the engine aborted a request; the recorder turns it into the right category or outcome. */
export type AbortCause = 'timeout' | 'cutoff' | 'cancelled';

export class AbortReason extends Error {
  constructor(readonly kind: AbortCause) {
    super(`request ${kind === 'cutoff' ? 'cut off at the deadline' : kind}`);
    this.name = 'AbortReason';
  }
}

export interface RecorderInit {
  readonly scenario: string;
  readonly index: number;
  readonly warmup: boolean;
  readonly requestId: string;
  readonly inputTokens: number;
  readonly requestedOutputTokens: number;
  /** Scenario start on the monotonic clock; every stored time is relative to it. */
  readonly originMs: number;
  readonly scheduledMs: number;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Chunk slots a recorder starts with; it doubles them as chunks arrive. */
const INITIAL_CHUNK_CAPACITY = 64;

/**
 * Chunk texts joined into one flat string at a time. Appending each chunk with `+=` would keep a 32-byte rope node per
 * chunk alive until the request ends, several times the text itself.
 */
const TEXT_BLOCK_CHUNKS = 64;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

export class RequestRecorder implements StreamRecorder {
  private chunkAt: Float64Array;
  private chunkChars: Uint32Array;
  private chunkTok: Uint32Array | undefined;
  private chunks = 0;
  private chunksWithTokens = 0;
  /** Output text of every chunk before the last `textTail` ones, joined a block at a time into flat strings. */
  private text = '';
  /** The latest chunks' text, joined onto `text` once there are {@link TEXT_BLOCK_CHUNKS} of them. */
  private textTail: string[] = [];
  private connectMs: number | undefined;
  private responseAt: number | undefined;
  private firstTokenAt: number | undefined;
  private firstAnswerAt: number | undefined;
  private sawReasoning = false;
  private usageIn: number | undefined;
  private usageOut: number | undefined;
  private serverLatencyMs: number | undefined;
  private endAt: number | undefined;
  private error: RequestError | undefined;
  private outcome: Outcome | undefined;
  private abortCause: AbortCause | undefined;
  private sentAt = 0;

  /**
   * @param expectedChunks most content chunks expected (max_tokens): a short response never allocates more slots than
   * it can use, a long one starts at {@link INITIAL_CHUNK_CAPACITY} and grows with what actually arrives
   */
  constructor(
    private readonly init: RecorderInit,
    expectedChunks: number,
  ) {
    const cap = Math.max(8, Math.min(expectedChunks + 2, INITIAL_CHUNK_CAPACITY));
    this.chunkAt = new Float64Array(cap);
    this.chunkChars = new Uint32Array(cap);
  }

  /** Stamp the send time: call immediately before handing the request to the provider. */
  markSent(at: number): void {
    this.sentAt = at;
  }

  /** True once the first content chunk arrived. */
  get started(): boolean {
    return this.firstTokenAt !== undefined;
  }

  /** True once ended() or failed() was called. */
  get settled(): boolean {
    return this.outcome !== undefined;
  }

  /** Content chunks received so far (for live progress). */
  get chunkCount(): number {
    return this.chunks;
  }

  /** The engine aborted this request; a failure reported afterwards is attributed to this cause. */
  markAborted(cause: AbortCause): void {
    this.abortCause ??= cause;
  }

  connected(connectMs: number): void {
    this.connectMs = connectMs;
  }

  responseStarted(at: number, _status: number): void {
    this.responseAt ??= at;
  }

  content(at: number, kind: ContentKind, text: string, tokens?: number): void {
    if (this.outcome !== undefined) return;
    const i = this.chunks;
    if (i === this.chunkAt.length) this.grow();
    this.chunkAt[i] = at;
    this.chunkChars[i] = text.length;
    if (tokens !== undefined) {
      this.chunkTok ??= new Uint32Array(this.chunkAt.length);
      this.chunkTok[i] = tokens;
      this.chunksWithTokens++;
    }
    this.chunks = i + 1;
    const tail = this.textTail;
    tail.push(text);
    if (tail.length === TEXT_BLOCK_CHUNKS) {
      this.text += tail.join('');
      tail.length = 0;
    }
    if (this.firstTokenAt === undefined) this.firstTokenAt = at;
    if (kind === 'reasoning') this.sawReasoning = true;
    else if (this.firstAnswerAt === undefined && this.sawReasoning) this.firstAnswerAt = at;
  }

  usage(promptTokens: number | undefined, completionTokens: number | undefined): void {
    if (promptTokens !== undefined) this.usageIn = promptTokens;
    if (completionTokens !== undefined) this.usageOut = completionTokens;
  }

  serverLatency(ms: number): void {
    this.serverLatencyMs = ms;
  }

  ended(at: number): void {
    if (this.outcome !== undefined) return;
    this.endAt = at;
    this.outcome = 'ok';
  }

  failed(at: number, category: ErrorCategory, detail: string, status?: number): void {
    if (this.outcome !== undefined) return;
    this.endAt = at;
    const cause = this.abortCause;
    if (cause === 'cutoff') {
      this.outcome = 'cut_off';
      this.error = {
        category: 'aborted',
        detail: 'still streaming when the duration deadline and grace period passed',
      };
      return;
    }
    this.outcome = 'error';
    if (cause === 'timeout') {
      this.error = {
        category: this.started ? 'timeout_during_stream' : 'timeout_before_first_token',
        detail: 'per-request timeout (timeout_s) reached',
      };
    } else if (cause === 'cancelled') {
      this.error = { category: 'aborted', detail: 'run cancelled' };
    } else {
      this.error = status === undefined ? { category, detail } : { category, detail, status };
    }
  }

  /** Build the record. `countTokens` is the workload tokenizer, used for the fallback and the discrepancy check. */
  finish(countTokens: (text: string) => number): RequestRecord {
    const o = this.init.originMs;
    const n = this.chunks;
    const tokenizer = n > 0 ? countTokens(this.text + this.textTail.join('')) : undefined;
    const attribution = attributeTokens({
      chunkChars: this.chunkChars.subarray(0, n),
      chunkTokensReported: this.chunksWithTokens === n ? this.chunkTok?.subarray(0, n) : undefined,
      usage: this.usageOut,
      tokenizer,
    });
    const chunkMs = new Array<number>(n);
    for (let i = 0; i < n; i++) chunkMs[i] = round3(this.chunkAt[i]! - o);
    // Optional fields are only added when defined, in the order of RequestRecord (the order of a JSONL line):
    // deleting keys afterwards would turn every record into a slow, several times larger dictionary-mode object.
    const record: Writable<RequestRecord> = {
      scenario: this.init.scenario,
      index: this.init.index,
      warmup: this.init.warmup,
      requestId: this.init.requestId,
      scheduledMs: round3(this.init.scheduledMs - o),
      sentMs: round3(this.sentAt - o),
    } as Writable<RequestRecord>;
    if (this.connectMs !== undefined) record.connectMs = round3(this.connectMs);
    if (this.responseAt !== undefined) record.responseMs = round3(this.responseAt - o);
    if (this.firstTokenAt !== undefined) record.firstTokenMs = round3(this.firstTokenAt - o);
    if (this.firstAnswerAt !== undefined) record.firstAnswerMs = round3(this.firstAnswerAt - o);
    record.endMs = round3((this.endAt ?? this.sentAt) - o);
    record.chunkMs = chunkMs;
    record.chunkTokens = attribution.chunkTokens;
    record.inputTokens = this.init.inputTokens;
    if (this.usageIn !== undefined) record.inputTokensUsage = this.usageIn;
    record.requestedOutputTokens = this.init.requestedOutputTokens;
    record.outputTokens = attribution.outputTokens;
    record.outputTokensSource = attribution.source;
    if (this.usageOut !== undefined) record.outputTokensUsage = this.usageOut;
    if (tokenizer !== undefined) record.outputTokensTokenizer = tokenizer;
    if (this.serverLatencyMs !== undefined) record.serverLatencyMs = this.serverLatencyMs;
    record.outcome = this.outcome ?? 'error';
    const error =
      this.outcome === undefined
        ? {
            category: 'stream_cut' as const,
            detail: 'the provider returned without ending or failing the request',
          }
        : this.error;
    if (error !== undefined) record.error = error;
    return record;
  }

  private grow(): void {
    const cap = this.chunkAt.length * 2;
    const at = new Float64Array(cap);
    at.set(this.chunkAt);
    this.chunkAt = at;
    const chars = new Uint32Array(cap);
    chars.set(this.chunkChars);
    this.chunkChars = chars;
    if (this.chunkTok !== undefined) {
      const tok = new Uint32Array(cap);
      tok.set(this.chunkTok);
      this.chunkTok = tok;
    }
  }
}
