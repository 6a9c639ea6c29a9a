/**
 * How the Bedrock provider's AWS SDK client reaches the endpoint, made explicit, and the hooks that stamp each
 * request's life as close to the socket as the SDK allows.
 *
 * Handlers (`target.http.handler`):
 * - `http2` (default: what the SDK itself does for bedrock-runtime): NodeHttp2Handler. For event-stream operations
 *   (ConverseStream, InvokeModelWithResponseStream) the SDK never shares an HTTP/2 session: every stream gets its own
 *   session on a new connection (smithy-typescript "enforce single-use connections for event-streams in http2"), which
 *   is closed when the stream ends. So there is no multiplexing — no shared flow control or head-of-line blocking
 *   between streams — but every request pays a connection setup (TCP, plus TLS against real Bedrock) inside its TTFT,
 *   reported as connectMs. NodeHttp2Handler's session-sharing options (disableConcurrentStreams,
 *   maxConcurrentStreams, sessionTimeout) do not apply to these operations, so none is exposed.
 * - `http1`: NodeHttpHandler with a keep-alive agent of `http.max_connections` (default: the concurrency) sockets:
 *   connections are set up once and reused, as the OpenAI provider does.
 *
 * Stamps: the SDK resolves `send()` only once the first event is decoded, and hands events over after its
 * event-stream decoder (framing, two CRC32 checks, JSON parsing, schema mapping). The request handler is wrapped so
 * that response headers are stamped when they arrive, and the response body is replaced by a pass-through that
 * stamps every chunk as it is read from the socket stream, before the SDK decodes it; an event is stamped with the
 * chunk that completed it (the decoder pulls a chunk and yields every frame it completes before pulling the next).
 * New connections are timed from the connect call to `connect` / `secureConnect` and attributed to the first
 * response that arrives on them.
 */
import { Agent as HttpAgent, type IncomingMessage } from 'node:http';
import type { ClientHttp2Stream } from 'node:http2';
import { Agent as HttpsAgent } from 'node:https';
import { connect as netConnect, isIP, Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { connect as tlsConnect, TLSSocket, type ConnectionOptions } from 'node:tls';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import type { BedrockTargetConfig } from '../config/schema.js';
import type { Clock } from './types.js';

/** Extra TLS options for tests against a local HTTPS endpoint (never from config). */
export interface TransportTls {
  /** Certificates to trust instead of the bundled roots. */
  readonly ca?: string | Buffer;
}

/** Receives the wire-level life of one request. */
export interface WireObserver {
  /** Sent as the x-request-id header. */
  readonly requestId: string;
  /**
   * Response headers arrived. `connectMs` is set when this response came on a connection opened for it; `release`
   * destroys the response body (call it when abandoning a stream, so its connection is not left half-read).
   */
  response(at: number, status: number, connectMs: number | undefined, release: () => void): void;
  /** A body chunk was read from the socket stream, before the SDK decoded it. */
  chunk(at: number): void;
}

/** The request handler handed to the SDK client, plus per-request observation. */
export interface BedrockTransport {
  /** Pass as the client's `requestHandler`. */
  readonly requestHandler: StampingHandler;
  /** Observe the request sent with this abort signal (each request must use its own signal). */
  observe(signal: AbortSignal, observer: WireObserver): void;
}

export interface TransportOptions {
  readonly clock: Clock;
  /** http1 pool size when the target sets no `http.max_connections`. */
  readonly connections: number;
  readonly tls?: TransportTls;
}

/** Create the handler `target.http` asks for. */
export function createBedrockTransport(
  target: BedrockTargetConfig,
  options: TransportOptions,
): BedrockTransport {
  const { clock } = options;
  const timer = new ConnectionTimer(clock);
  const extraTls: ConnectionOptions = options.tls?.ca === undefined ? {} : { ca: options.tls.ca };
  let inner: NodeHttp2Handler | NodeHttpHandler;
  if (target.http.handler === 'http2') {
    inner = new NodeHttp2Handler({
      nodeHttp2ConnectOptions: {
        createConnection: (authority: URL) => timer.track(h2Socket(authority, extraTls)),
      },
    });
  } else {
    const agentOptions = { keepAlive: true, maxSockets: target.http.max_connections ?? options.connections };
    inner = new NodeHttpHandler({
      httpAgent: timer.wrapAgent(new HttpAgent(agentOptions)),
      httpsAgent: timer.wrapAgent(new HttpsAgent({ ...agentOptions, ...extraTls })),
    });
  }
  const observers = new WeakMap<AbortSignal, WireObserver>();
  return {
    requestHandler: new StampingHandler(inner, clock, timer, observers),
    observe: (signal, observer) => observers.set(signal, observer),
  };
}

/** The socket of an HTTP/2 session, as node:http2 would open it (TLS with ALPN h2 for https, plain TCP for h2c). */
function h2Socket(authority: URL, extraTls: ConnectionOptions): Duplex {
  const host = authority.hostname.replace(/^\[(.*)\]$/, '$1');
  if (authority.protocol === 'http:') {
    return netConnect({ host, port: Number(authority.port || 80) });
  }
  return tlsConnect({
    host,
    port: Number(authority.port || 443),
    ALPNProtocols: ['h2'],
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...extraTls,
  });
}

const CONNECTION = Symbol('llm-perf-gate.bedrock.connection');

/** Set on every socket this transport opens. */
interface ConnectionTiming {
  /** Setup time, once connected. */
  ms: number | undefined;
  /** A response already took this connection's setup time. */
  claimed: boolean;
}

type TimedSocket = Duplex & { [CONNECTION]?: ConnectionTiming };

/** Times new connections and lets the first response on each claim the time. */
class ConnectionTimer {
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Time `socket` from now until it is connected (after the TLS handshake for TLS sockets). */
  track<S extends Duplex>(socket: S): S {
    const start = this.#clock();
    const timing: ConnectionTiming = { ms: undefined, claimed: false };
    (socket as TimedSocket)[CONNECTION] = timing;
    const done = (): void => {
      timing.ms = this.#clock() - start;
    };
    if (socket instanceof TLSSocket) socket.once('secureConnect', done);
    else if (socket instanceof Socket) socket.once('connect', done);
    return socket;
  }

  /** Time every connection the agent opens. */
  wrapAgent<A extends HttpAgent>(agent: A): A {
    const open = agent.createConnection.bind(agent);
    agent.createConnection = (...args: Parameters<typeof open>) => {
      const socket = open(...args);
      return socket === null || socket === undefined ? socket : this.track(socket);
    };
    return agent;
  }

  /** The setup time of the connection that carried `body`, the first time a response on it asks. */
  claim(body: unknown): number | undefined {
    const timing = socketOf(body)?.[CONNECTION];
    if (timing === undefined || timing.claimed || timing.ms === undefined) return undefined;
    timing.claimed = true;
    return timing.ms;
  }
}

/** The socket under a response body: IncomingMessage.socket (HTTP/1.1) or the session's socket (HTTP/2). */
function socketOf(body: unknown): TimedSocket | undefined {
  try {
    const h1 = (body as Partial<IncomingMessage>).socket;
    if (h1 !== undefined && h1 !== null) return h1 as TimedSocket;
    // The session's socket is a proxy that forwards property reads to the real socket.
    return (body as Partial<ClientHttp2Stream>).session?.socket as TimedSocket | undefined;
  } catch {
    return undefined;
  }
}

type Inner = NodeHttp2Handler | NodeHttpHandler;
type HandleRequest = Parameters<NodeHttp2Handler['handle']>[0];
type HandleOptions = Parameters<NodeHttp2Handler['handle']>[1];
type HandleResult = Awaited<ReturnType<NodeHttp2Handler['handle']>>;

/**
 * The SDK's request handler, wrapped: adds x-request-id, stamps the response headers, times connections and
 * replaces 2xx bodies with a stamping pass-through.
 */
export class StampingHandler {
  readonly metadata: { handlerProtocol: string };
  readonly #inner: Inner;
  readonly #clock: Clock;
  readonly #timer: ConnectionTimer;
  readonly #observers: WeakMap<AbortSignal, WireObserver>;

  constructor(
    inner: Inner,
    clock: Clock,
    timer: ConnectionTimer,
    observers: WeakMap<AbortSignal, WireObserver>,
  ) {
    this.#inner = inner;
    this.#clock = clock;
    this.#timer = timer;
    this.#observers = observers;
    this.metadata = inner.metadata;
  }

  async handle(request: HandleRequest, options?: HandleOptions): Promise<HandleResult> {
    const signal = options?.abortSignal as AbortSignal | undefined;
    const observer = signal === undefined ? undefined : this.#observers.get(signal);
    if (observer === undefined) return this.#inner.handle(request, options);
    // Added after signing: an unsigned header, which SigV4 allows (only the headers it lists are checked).
    request.headers['x-request-id'] = observer.requestId;
    const result = await this.#inner.handle(request, options);
    const at = this.#clock();
    const response = result.response;
    const body = response.body as Readable & AsyncIterable<Uint8Array>;
    const release = (): void => {
      if (!body.destroyed) body.destroy();
    };
    observer.response(at, response.statusCode, this.#timer.claim(body), release);
    if (response.statusCode >= 200 && response.statusCode < 300)
      response.body = stamped(body, this.#clock, observer);
    return result;
  }

  /** Forwarded to the wrapped handler (the SDK sets e.g. a default socket timeout through it). */
  updateHttpClientConfig(key: never, value: never): void {
    this.#inner.updateHttpClientConfig(key, value);
  }

  /** The wrapped handler's settings. */
  httpHandlerConfigs(): ReturnType<Inner['httpHandlerConfigs']> {
    return this.#inner.httpHandlerConfigs();
  }

  /** Close every connection (called by the client's destroy()). */
  destroy(): void {
    this.#inner.destroy();
  }
}

/** The body chunks as read from the socket stream, each stamped before it is handed to the SDK's decoder. */
async function* stamped(
  body: AsyncIterable<Uint8Array>,
  clock: Clock,
  observer: WireObserver,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    observer.chunk(clock());
    yield chunk;
  }
}
