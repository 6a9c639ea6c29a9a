/**
 * Small node:http helpers shared by the simulator's faces, over HTTP/1.1 and the HTTP/2 compatibility API alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/** Largest request body accepted (a long prompt is well under this). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** The body was larger than {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Read a request body completely. Rejects on socket errors and on bodies over the limit. */
export function readBody(req: IncomingMessage | Http2ServerRequest, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`request body is larger than ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}

/** The request's X-Request-Id (trimmed, at most 256 characters), or `fallback()` when it sent none. */
export function requestIdOf(req: IncomingMessage | Http2ServerRequest, fallback: () => string): string {
  const header = req.headers['x-request-id'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value !== undefined && value !== '' ? value.slice(0, 256) : fallback();
}

/** Send a complete JSON response. */
export function sendJson(
  res: ServerResponse | Http2ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
