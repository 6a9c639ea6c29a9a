/**
 * One streaming HTTP request over an undici dispatcher, reported to a {@link StreamRecorder}. Shared by every HTTP
 * provider: the provider supplies the request and a {@link StreamBody} that understands its wire format; this module
 * owns timestamps, status handling, error bodies, socket errors, cancellation and the "exactly one terminal call"
 * rule.
 *
 * It uses undici's low-level `dispatch(options, handler)` API rather than `request()` + async iteration: every body
 * chunk is stamped with the clock in `onResponseData`, directly from undici's HTTP parser, with no stream buffering or
 * promise hops in between. The chunk is then parsed from the shared {@link enqueueRead} queue, once per event-loop
 * turn, so that a burst of reads from many streams is stamped before any of it is parsed; the end or failure of a
 * response that still has chunks queued is queued behind them.
 */
import type { Dispatcher } from 'undici';
import { enqueueRead, type QueuedReader } from './arrival-queue.js';
import type { ConnectTimer } from './connect-timer.js';
import {
  classifyNetworkError,
  errorBodyMessage,
  httpStatusCategory,
  MAX_DETAIL_CHARS,
  redact,
  truncate,
} from './http-errors.js';
import type { Clock, ErrorCategory, StreamRecorder } from './types.js';

/** Most error-body bytes kept to build a failure message. */
const MAX_ERROR_BODY_BYTES = 8192;

/** What a {@link StreamBody} may do while a 2xx response streams. */
export interface ExchangeControl {
  /** The request's recorder, for content, usage and server latency. Terminal calls go through this control. */
  readonly recorder: StreamRecorder;
  /** Whether `ended` or `failed` was already called. */
  readonly settled: boolean;
  /** The stream reached its terminal event. Later body bytes are drained (keeping the connection reusable). */
  ended(at: number): void;
  /** The stream failed: record it and stop reading; the request is aborted so its connection is not reused. */
  failed(at: number, category: ErrorCategory, detail: string): void;
}

/** Consumes the body of a 2xx response. */
export interface StreamBody {
  /** A body chunk arrived; `at` was stamped before any parsing and applies to everything parsed from it. */
  data(at: number, chunk: Buffer): void;
  /** The body ended cleanly at `at`. When this does not settle the exchange, it records stream_cut. */
  end(at: number): void;
}

export interface ExchangeOptions {
  readonly dispatcher: Dispatcher;
  readonly request: Dispatcher.DispatchOptions;
  readonly clock: Clock;
  readonly recorder: StreamRecorder;
  readonly signal: AbortSignal;
  /** The URL named in failure details, without credentials or query (e.g. http://127.0.0.1:8000/v1/completions). */
  readonly url: string;
  /** Strings that must never appear in a detail (API key, header values); replaced by "***". */
  readonly secrets: readonly string[];
  /** Attributes connection setup time to this request when a new connection is opened for it. */
  readonly connectTimer?: ConnectTimer;
  /** Builds the consumer for a 2xx response body. */
  readonly body: (control: ExchangeControl) => StreamBody;
}

/** Send one request and report its life to `options.recorder`. Never rejects. */
export function runExchange(options: ExchangeOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    const exchange = new Exchange(options, resolve);
    exchange.start();
  });
}

class Exchange implements Dispatcher.DispatchHandler, ExchangeControl, QueuedReader {
  readonly recorder: StreamRecorder;
  readonly #options: ExchangeOptions;
  readonly #resolve: () => void;
  #controller: Dispatcher.DispatchController | undefined;
  #settled = false;
  #finished = false;
  /** The response completed normally, so its connection goes back to the pool. */
  #reusable = false;
  /** Response headers arrived (a later socket failure cuts the stream rather than failing the connection). */
  #responseStarted = false;
  /** undici is done with the request (ended, errored or aborted). */
  #responseDone = false;
  #status = 0;
  #body: StreamBody | undefined;
  #errorBody: Buffer[] = [];
  #errorBodyBytes = 0;
  /** Items of this response waiting in the arrival queue. */
  #queued = 0;
  /** The socket error that ended the response, kept while its terminal marker waits in the queue. */
  #error: Error | undefined;
  /** When the response ended or failed, kept while its terminal marker waits in the queue. */
  #terminalAt = 0;

  constructor(options: ExchangeOptions, resolve: () => void) {
    this.recorder = options.recorder;
    this.#options = options;
    this.#resolve = resolve;
  }

  get settled(): boolean {
    return this.#settled;
  }

  start(): void {
    const { signal } = this.#options;
    if (signal.aborted) {
      this.#onAbort();
      return;
    }
    signal.addEventListener('abort', this.#onAbort);
    try {
      this.#options.dispatcher.dispatch(this.#options.request, this);
    } catch (error) {
      this.#fail(this.#options.clock(), 'connection', describe(error));
      this.#finish();
    }
  }

  ended(at: number): void {
    if (this.#settled) return;
    this.#settled = true;
    this.recorder.ended(at);
  }

  failed(at: number, category: ErrorCategory, detail: string): void {
    this.#fail(at, category, detail);
    this.#stopReading();
    this.#finish();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#settled) {
      controller.abort(new Error('request cancelled before it was sent'));
      return;
    }
    const connectMs = this.#options.connectTimer?.take();
    if (connectMs !== undefined) this.recorder.connected(connectMs);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    const at = this.#options.clock();
    if (this.#settled || statusCode < 200) return;
    this.#responseStarted = true;
    this.#status = statusCode;
    this.recorder.responseStarted(at, statusCode);
    if (statusCode < 300) this.#body = this.#options.body(this);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const at = this.#options.clock();
    if (this.#settled) return;
    // Chunks are copied: undici reuses the memory behind `chunk`.
    if (this.#body === undefined) {
      if (this.#errorBodyBytes < MAX_ERROR_BODY_BYTES) {
        this.#errorBody.push(Buffer.from(chunk));
        this.#errorBodyBytes += chunk.length;
      }
      return;
    }
    this.#queued++;
    enqueueRead(this, at, Buffer.from(chunk));
  }

  onResponseEnd(): void {
    const at = this.#options.clock();
    this.#responseDone = true;
    this.#reusable = true;
    this.#complete(at, undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const at = this.#options.clock();
    this.#responseDone = true;
    this.#complete(at, error);
  }

  readQueued(at: number, chunk: Buffer | null): void {
    this.#queued--;
    if (chunk === null) {
      this.#terminate(this.#terminalAt, this.#error);
      return;
    }
    const body = this.#body;
    if (this.#settled || body === undefined) return;
    try {
      body.data(at, chunk);
    } catch (error) {
      this.failed(at, 'malformed_event', `could not process the response body: ${describe(error)}`);
    }
  }

  /** The response ended (`error` undefined) or failed at `at`: handle it now, or behind its queued chunks. */
  #complete(at: number, error: Error | undefined): void {
    if (this.#queued === 0) {
      this.#terminate(at, error);
      return;
    }
    this.#terminalAt = at;
    this.#error = error;
    this.#queued++;
    enqueueRead(this, at, null);
  }

  #terminate(at: number, error: Error | undefined): void {
    if (!this.#settled) {
      if (error !== undefined) {
        const failure = classifyNetworkError(error, this.#responseStarted);
        this.#fail(at, failure.category, failure.detail, this.#responseStarted ? this.#status : undefined);
      } else if (this.#body === undefined) {
        this.#failHttp(at);
      } else {
        try {
          this.#body.end(at);
        } catch (error) {
          this.#fail(at, 'malformed_event', `could not process the response body: ${describe(error)}`);
        }
        this.#fail(at, 'stream_cut', 'the response body ended before the terminal event');
      }
    }
    this.#finish();
  }

  readonly #onAbort = (): void => {
    const { signal, clock } = this.#options;
    this.#fail(clock(), 'aborted', String(signal.reason));
    this.#stopReading();
    this.#finish();
  };

  #failHttp(at: number): void {
    const status = this.#status;
    const text = Buffer.concat(this.#errorBody).toString('utf8');
    const message = errorBodyMessage(text);
    const category = httpStatusCategory(status, message);
    const redirect = status < 400 ? ' (redirects are not followed)' : '';
    const detail = message === '' ? `HTTP ${status}${redirect}` : `HTTP ${status}${redirect}: ${message}`;
    this.#fail(at, category, detail, status);
  }

  #fail(at: number, category: ErrorCategory, detail: string, status?: number): void {
    if (this.#settled) return;
    this.#settled = true;
    const clean = truncate(redact(detail, this.#options.secrets), MAX_DETAIL_CHARS + 60);
    if (status === undefined) this.recorder.failed(at, category, clean);
    else this.recorder.failed(at, category, clean, status);
  }

  /** Abort the undici request if it is still running, so a half-read connection is closed rather than reused. */
  #stopReading(): void {
    if (this.#responseDone) return;
    this.#responseDone = true;
    this.#controller?.abort(new Error('stopped reading the response'));
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#options.signal.removeEventListener('abort', this.#onAbort);
    if (this.#reusable) {
      // undici hands a keep-alive connection back to its pool in a setImmediate queued right after its completion
      // callback returns. Resolving in a later immediate (this turn's when the end was handled in that callback, the
      // next turn's when it was handled from the arrival queue) means the caller's next request finds the connection
      // free instead of queueing for it or opening another one.
      queueMicrotask(() => setImmediate(this.#resolve));
    } else {
      this.#resolve();
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
