/**
 * One InvokeEndpointWithResponseStream call through the AWS SDK, reported to a {@link StreamRecorder}: the SageMaker
 * counterpart of http-exchange.ts. It plays the {@link ExchangeControl} for the same stream readers the HTTP providers
 * use, feeds them the bytes of every `PayloadPart` stamped when the SDK yields it, classifies what the SDK throws, and
 * keeps the "exactly one terminal call" rule.
 */
import type { IncomingMessage } from 'node:http';
import type {
  InvokeEndpointWithResponseStreamCommand,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import type { ExchangeControl, StreamBody } from './http-exchange.js';
import { MAX_DETAIL_CHARS, truncate } from './http-errors.js';
import { classifySageMakerError, isRetryableCategory, type SageMakerFailure } from './sagemaker-errors.js';
import type { Clock, ErrorCategory, StreamRecorder } from './types.js';

/** Name of the middleware that observes the raw HTTP response. */
const RESPONSE_OBSERVER = 'llmPerfGateResponseObserver';

/** The raw response the SDK's HTTP handler returns (NodeHttpHandler: the body is node's IncomingMessage). */
interface RawResponse {
  readonly statusCode?: unknown;
  readonly body?: unknown;
}

export class SageMakerExchange implements ExchangeControl {
  readonly recorder: StreamRecorder;
  readonly #clock: Clock;
  readonly #claimConnect: (socket: object | null | undefined) => number | undefined;
  readonly #stop = new AbortController();
  #settled = false;
  #failure: SageMakerFailure | undefined;
  #response: IncomingMessage | undefined;
  #responseStarted = false;
  #status: number | undefined;

  /**
   * @param claimConnect returns the setup time of the connection a response arrived on, when this request opened it
   */
  constructor(
    recorder: StreamRecorder,
    clock: Clock,
    claimConnect: (socket: object | null | undefined) => number | undefined,
  ) {
    this.recorder = recorder;
    this.#clock = clock;
    this.#claimConnect = claimConnect;
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** How the request failed; undefined while it runs and when it ended cleanly. */
  get failure(): SageMakerFailure | undefined {
    return this.#failure;
  }

  ended(at: number): void {
    if (this.#settled) return;
    this.#settled = true;
    this.recorder.ended(at);
  }

  failed(at: number, category: ErrorCategory, detail: string): void {
    this.fail(at, { category, detail, retryable: isRetryableCategory(category, detail) });
  }

  /** Record the failure (first terminal call wins) and stop reading: the connection is closed, not reused. */
  fail(at: number, failure: SageMakerFailure): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#failure = failure;
    const detail = truncate(failure.detail, MAX_DETAIL_CHARS + 60);
    if (failure.status === undefined) this.recorder.failed(at, failure.category, detail);
    else this.recorder.failed(at, failure.category, detail, failure.status);
    const response = this.#response;
    if (response === undefined || !response.complete)
      this.#stop.abort(new Error('stopped reading the response'));
    response?.destroy();
  }

  /**
   * Send `command` and read its event stream into the reader `makeBody` builds. Never rejects. After the terminal
   * event the rest of the stream is drained, so the connection goes back to the pool.
   */
  async run(
    client: SageMakerRuntimeClient,
    command: InvokeEndpointWithResponseStreamCommand,
    makeBody: (control: ExchangeControl) => StreamBody,
  ): Promise<void> {
    // Just after the HTTP handler (inside the deserializer): sees the response when its headers arrive, whatever the
    // status, before the SDK reads the first event.
    command.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        this.#onResponse(result.response as RawResponse);
        return result;
      },
      { step: 'deserialize', priority: 'low', name: RESPONSE_OBSERVER },
    );
    let output;
    try {
      output = await client.send(command, { abortSignal: this.#stop.signal });
    } catch (error) {
      this.#onError(error);
      return;
    }
    const events = output.Body;
    if (events === undefined) {
      this.failed(this.#clock(), 'stream_cut', 'the response carried no event stream');
      return;
    }
    const body = makeBody(this);
    try {
      for await (const event of events) {
        const at = this.#clock();
        if (this.#settled) {
          if (this.#failure !== undefined) break;
          continue; // drain what follows the terminal event
        }
        const bytes = event.PayloadPart?.Bytes;
        if (bytes === undefined || bytes.length === 0) continue;
        try {
          body.data(at, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        } catch (error) {
          this.failed(at, 'malformed_event', `could not process the response stream: ${describe(error)}`);
        }
      }
      const at = this.#clock();
      if (this.#settled) return;
      try {
        body.end(at);
      } catch (error) {
        this.failed(at, 'malformed_event', `could not process the response stream: ${describe(error)}`);
      }
      this.failed(at, 'stream_cut', 'the response stream ended before the terminal event');
    } catch (error) {
      this.#onError(error);
    }
  }

  #onResponse(response: RawResponse): void {
    const at = this.#clock();
    if (this.#settled || typeof response.statusCode !== 'number') return;
    this.#responseStarted = true;
    this.#status = response.statusCode;
    const body = response.body as IncomingMessage | undefined;
    this.#response = body;
    const connectMs = this.#claimConnect(body?.socket);
    if (connectMs !== undefined) this.recorder.connected(connectMs);
    this.recorder.responseStarted(at, response.statusCode);
  }

  #onError(error: unknown): void {
    const at = this.#clock();
    if (this.#settled) return;
    const failure = classifySageMakerError(error, this.#responseStarted);
    // As over plain HTTP: a stream cut after the headers carries the response's status.
    const status = this.#status;
    this.fail(
      at,
      failure.category === 'stream_cut' && failure.status === undefined && status !== undefined
        ? { ...failure, status }
        : failure,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
