/**
 * Collects the life of one request from its provider and turns it into a RequestRecord.
 *
 * `content()` is on the hottest path of the project (once per streamed chunk at up to tens of thousands per second):
 * it only appends to preallocated typed arrays and the text buffer. Everything else happens once, in `finish()`.
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

export class RequestRecorder implements StreamRecorder {
  private chunkAt: Float64Array;
  private chunkChars: Uint32Array;
  private chunkTok: Uint32Array | undefined;
  private chunks = 0;
  private chunksWithTokens = 0;
  private text = '';
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

  constructor(
    private readonly init: RecorderInit,
    expectedChunks: number,
  ) {
    const cap = Math.max(8, Math.min(expectedChunks + 2, 1 << 16));
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
    this.text += text;
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
    const tokenizer = n > 0 ? countTokens(this.text) : undefined;
    const attribution = attributeTokens({
      chunkChars: this.chunkChars.subarray(0, n),
      chunkTokensReported: this.chunksWithTokens === n ? this.chunkTok?.subarray(0, n) : undefined,
      usage: this.usageOut,
      tokenizer,
    });
    const chunkMs = new Array<number>(n);
    for (let i = 0; i < n; i++) chunkMs[i] = round3(this.chunkAt[i]! - o);
    const rel = (t: number | undefined): number | undefined => (t === undefined ? undefined : round3(t - o));
    const record: RequestRecord = {
      scenario: this.init.scenario,
      index: this.init.index,
      warmup: this.init.warmup,
      requestId: this.init.requestId,
      scheduledMs: round3(this.init.scheduledMs - o),
      sentMs: round3(this.sentAt - o),
      connectMs: this.connectMs === undefined ? undefined : round3(this.connectMs),
      responseMs: rel(this.responseAt),
      firstTokenMs: rel(this.firstTokenAt),
      firstAnswerMs: rel(this.firstAnswerAt),
      endMs: round3((this.endAt ?? this.sentAt) - o),
      chunkMs,
      chunkTokens: attribution.chunkTokens,
      inputTokens: this.init.inputTokens,
      inputTokensUsage: this.usageIn,
      requestedOutputTokens: this.init.requestedOutputTokens,
      outputTokens: attribution.outputTokens,
      outputTokensSource: attribution.source,
      outputTokensUsage: this.usageOut,
      outputTokensTokenizer: tokenizer,
      serverLatencyMs: this.serverLatencyMs,
      outcome: this.outcome ?? 'error',
      error:
        this.outcome === undefined
          ? { category: 'stream_cut', detail: 'the provider returned without ending or failing the request' }
          : this.error,
    };
    return dropUndefined(record);
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

/** Omit undefined optional fields so JSONL lines stay small and stable. */
function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
