/**
 * The Amazon Bedrock provider (foundation models, inference profiles, Custom Model Import), through the AWS SDK's
 * BedrockRuntimeClient: `api: converse` sends ConverseStream, `api: invoke` sends InvokeModelWithResponseStream with
 * the body shape of `invoke_body` (bedrock-request.ts); events are read by bedrock-events.ts and errors classified by
 * bedrock-errors.ts, so the records are the same as the OpenAI provider's.
 *
 * Credentials come only from the SDK's default chain (environment, shared config and SSO profiles, web identity / OIDC
 * roles, container and instance metadata); nothing in the config carries keys. `credentials` in the options exists
 * for tests and the demo against the simulator.
 *
 * Retries: the SDK's own retries are off (`maxAttempts: 1`) for every request, measured or probe: a retried request
 * would hide its failure and its latency inside one record, and readiness has its own loop (waitUntilReady) that
 * probes with backoff up to `readiness.timeout_s` — so a cold start (ModelNotReadyException) is waited out and
 * reported as cold-start time, every probe visible.
 *
 * Timestamps: see bedrock-transport.ts — response headers and body chunks are stamped before the SDK's event-stream
 * decoder; each event gets the stamp of the chunk that completed it. Connection handling (`http.handler`) is
 * documented there too.
 */
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
  type ConverseStreamOutput,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-runtime';
import type { BedrockTargetConfig } from '../config/schema.js';
import { checkBedrockTarget, converseInput, invokeBody } from './bedrock-request.js';
import { ConverseReader, InvokeReader, type EventControl, type EventReader } from './bedrock-events.js';
import { classifyBedrockError, isRetryableFailure, type BedrockFailure } from './bedrock-errors.js';
import { createBedrockTransport, type TransportTls, type WireObserver } from './bedrock-transport.js';
import { MAX_DETAIL_CHARS, truncate } from './http-errors.js';
import type {
  Clock,
  ErrorCategory,
  ProbeResult,
  Provider,
  ProviderRequest,
  StreamRecorder,
} from './types.js';

/** Static AWS credentials (tests and the simulator demo only). */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface BedrockProviderOptions {
  readonly clock: Clock;
  /** http1 socket pool size when the target sets no `http.max_connections` (normally the scenario concurrency). */
  readonly connections: number;
  /** Time limit of one readiness probe in milliseconds (default 15 000). */
  readonly probeTimeoutMs?: number;
  /** Use these credentials instead of the default chain: for tests and the demo against the simulator, never config. */
  readonly credentials?: StaticCredentials;
  /** Extra TLS trust for tests against a local HTTPS endpoint. */
  readonly tls?: TransportTls;
}

const DEFAULT_PROBE_TIMEOUT_MS = 15_000;
const PROBE_REQUEST: ProviderRequest = {
  index: -1,
  requestId: 'llm-perf-gate-probe',
  prompt: 'Hello',
  inputTokens: 1,
  maxTokens: 1,
  forceOutputLength: false,
};

/**
 * Create the provider.
 * @throws Error naming the field when the target cannot work (an inference_config key ConverseStream does not accept,
 *   a body_template without placeholders)
 */
export function createBedrockProvider(
  target: BedrockTargetConfig,
  options: BedrockProviderOptions,
): Provider {
  checkBedrockTarget(target);
  const { clock } = options;
  const transport = createBedrockTransport(target, {
    clock,
    connections: options.connections,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  });
  const client = new BedrockRuntimeClient({
    region: target.region,
    maxAttempts: 1,
    requestHandler: transport.requestHandler,
    ...(target.endpoint_url === undefined ? {} : { endpoint: target.endpoint_url }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  const probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;

  /** Send ConverseStream; resolves with the events once the first one has arrived. */
  const converse = async (
    request: ProviderRequest,
    signal: AbortSignal,
  ): Promise<AsyncIterable<ConverseStreamOutput>> => {
    const command = new ConverseStreamCommand(converseInput(target, request));
    return (await client.send(command, { abortSignal: signal })).stream ?? noEvents();
  };

  /** Send InvokeModelWithResponseStream; resolves with the events once the first one has arrived. */
  const invoke = async (
    request: ProviderRequest,
    signal: AbortSignal,
  ): Promise<AsyncIterable<ResponseStream>> => {
    const command = new InvokeModelWithResponseStreamCommand({
      modelId: target.model_id,
      body: new TextEncoder().encode(invokeBody(target, request)),
      contentType: 'application/json',
      accept: 'application/json',
    });
    return (await client.send(command, { abortSignal: signal })).body ?? noEvents();
  };

  /** Run one request to its end; returns how it failed, if it did. Never rejects. */
  const run = async (
    request: ProviderRequest,
    recorder: StreamRecorder,
    signal: AbortSignal,
  ): Promise<BedrockFailure | undefined> => {
    const call = new Call(request.requestId, recorder);
    if (signal.aborted) {
      call.fail(clock(), { category: 'aborted', detail: String(signal.reason) });
      return call.failure;
    }
    const controller = new AbortController();
    const onAbort = (): void => {
      call.fail(clock(), { category: 'aborted', detail: String(signal.reason) });
      call.release();
      controller.abort(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    transport.observe(controller.signal, call);
    const reader = target.api === 'converse' ? new ConverseReader(call) : new InvokeReader(call);
    let drained = false;
    try {
      if (reader instanceof ConverseReader)
        await readStream(converse(request, controller.signal), reader, call, clock);
      else await readStream(invoke(request, controller.signal), reader, call, clock);
      drained = call.failure === undefined;
    } catch (error) {
      if (!call.settled) {
        const stage = { streaming: call.streaming, contentChunks: reader.contentChunks };
        call.fail(clock(), classifyBedrockError(error, stage));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      // The SDK's decoder does not close the body when it stops early: release it, or its connection stays half-read.
      if (!drained) call.release();
    }
    // A keep-alive socket goes back to its agent after the response ends; let that happen before the next request.
    if (drained) await new Promise((resolve) => setImmediate(resolve));
    return call.failure;
  };

  return {
    id: 'bedrock',
    async send(request: ProviderRequest, recorder: StreamRecorder, signal: AbortSignal): Promise<void> {
      await run(request, recorder, signal);
    },
    async probe(signal: AbortSignal): Promise<ProbeResult> {
      const timeout = AbortSignal.timeout(probeTimeoutMs);
      const failure = await run(PROBE_REQUEST, IGNORE, AbortSignal.any([signal, timeout]));
      if (failure === undefined) return { ready: true };
      const where = `Bedrock model ${target.model_id}`;
      if (failure.category === 'aborted') {
        return signal.aborted
          ? { ready: false, reason: 'readiness probe cancelled', retryable: false }
          : {
              ready: false,
              reason: `no answer from ${where} within ${probeTimeoutMs / 1000} s`,
              retryable: true,
            };
      }
      return { ready: false, reason: `${where}: ${failure.detail}`, retryable: isRetryableFailure(failure) };
    },
    close(): Promise<void> {
      client.destroy();
      return Promise.resolve();
    },
  };
}

/** An event stream with no events (a response without one is then recorded as cut). */
async function* noEvents(): AsyncGenerator<never> {}

/** Read every event into `reader` (stopping at the first failure), then report the clean end of the stream. */
async function readStream<E>(
  events: Promise<AsyncIterable<E>>,
  reader: EventReader<E>,
  call: Call,
  clock: Clock,
): Promise<void> {
  for await (const event of await events) {
    reader.event(call.lastChunkAt, event);
    if (call.failure !== undefined) return;
  }
  reader.end(clock());
}

/** One request's life: the wire observer of the transport and the control of the event reader. */
class Call implements WireObserver, EventControl {
  readonly requestId: string;
  readonly recorder: StreamRecorder;
  /** Arrival stamp of the last body chunk read: the chunk that completed the event being read. */
  lastChunkAt = 0;
  /** A 2xx response started: later errors are mid-stream. */
  streaming = false;
  failure: BedrockFailure | undefined;
  #settled = false;
  #release: (() => void) | undefined;

  constructor(requestId: string, recorder: StreamRecorder) {
    this.requestId = requestId;
    this.recorder = recorder;
  }

  get settled(): boolean {
    return this.#settled;
  }

  response(at: number, status: number, connectMs: number | undefined, release: () => void): void {
    this.#release = release;
    if (connectMs !== undefined) this.recorder.connected(connectMs);
    this.recorder.responseStarted(at, status);
    this.lastChunkAt = at;
    this.streaming = status >= 200 && status < 300;
  }

  chunk(at: number): void {
    this.lastChunkAt = at;
  }

  /** Destroy the response body, if there is one. */
  release(): void {
    this.#release?.();
  }

  ended(at: number): void {
    if (this.#settled) return;
    this.#settled = true;
    this.recorder.ended(at);
  }

  failed(at: number, category: ErrorCategory, detail: string): void {
    this.fail(at, { category, detail });
  }

  fail(at: number, failure: BedrockFailure): void {
    if (this.#settled) return;
    this.#settled = true;
    this.failure = failure;
    const detail = truncate(failure.detail, MAX_DETAIL_CHARS + 60);
    if (failure.status === undefined) this.recorder.failed(at, failure.category, detail);
    else this.recorder.failed(at, failure.category, detail, failure.status);
  }
}

/** The recorder of a readiness probe: only the outcome matters, and the provider keeps that itself. */
const IGNORE: StreamRecorder = {
  connected() {},
  responseStarted() {},
  content() {},
  usage() {},
  serverLatency() {},
  ended() {},
  failed() {},
};
