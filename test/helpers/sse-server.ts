/**
 * A small loopback HTTP(S) server for provider tests: records every request (method, path, headers, body, which
 * connection carried it) and lets each test answer with SSE chunks, error bodies, cut sockets or silence.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server saw it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** 1-based number of the connection that carried it (equal numbers = a reused keep-alive connection). */
  readonly connection: number;
}

/** Answers one request. May keep the response open (streaming) and finish later. */
export type Responder = (
  request: ReceivedRequest,
  res: ServerResponse,
  req: IncomingMessage,
) => void | Promise<void>;

export interface TestServer {
  /** Origin, e.g. http://127.0.0.1:40123 */
  readonly origin: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** Replace the responder for later requests. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export interface TlsMaterial {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** Start a server on 127.0.0.1 with an ephemeral port (HTTPS when `tls` is given). */
export async function startServer(responder: Responder, tls?: TlsMaterial): Promise<TestServer> {
  let current = responder;
  const requests: ReceivedRequest[] = [];
  const socketIds = new WeakMap<Socket, number>();
  let connections = 0;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(parts).toString('utf8'),
        connection: socketIds.get(req.socket) ?? 0,
      };
      requests.push(request);
      Promise.resolve(current(request, res, req)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  };
  const server: Server = tls === undefined ? createServer(onRequest) : createHttpsServer(tls, onRequest);
  server.on(tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) => {
    connections++;
    socketIds.set(socket, connections);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    respond(next: Responder) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Start the SSE response headers (200, text/event-stream, chunked). */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders();
}

/** Write each piece as its own chunk, waiting `delayMs` between pieces so the client reads them separately. */
export async function writePieces(
  res: ServerResponse,
  pieces: readonly (string | Uint8Array)[],
  delayMs = 1,
) {
  for (const piece of pieces) {
    if (res.destroyed) return;
    res.write(piece);
    await sleep(delayMs);
  }
}

/** Cut `bytes` into pieces at the given (sorted, in-range) offsets. */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    if (offset > start && offset < bytes.length) {
      pieces.push(bytes.subarray(start, offset));
      start = offset;
    }
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

/** A JSON error response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A loopback port with no listener (connections to it are refused). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
