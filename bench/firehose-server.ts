/**
 * The "firehose": an OpenAI-compatible SSE server that streams as fast as the socket takes it, so the client, not the
 * server, is the bottleneck. It runs in its own process (its CPU is not the client's) and answers every
 * POST /v1/chat/completions with vLLM-shaped chunks: the role chunk, `max_tokens` content chunks (pre-encoded,
 * `chunksPerWrite` per write, each write sent on its own, pausing only for socket backpressure), a finish chunk, a
 * usage chunk and `data: [DONE]`. With one chunk per write the client sees the framing of a real server's stream.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { childPayload, sendToParent } from './child-process.js';
import { VLLM_CHAT_CHUNK } from './sse-parse.js';

/** What the parent passes to the firehose process. */
export interface FirehoseSettings {
  /** Content chunks handed to one `write` call. */
  readonly chunksPerWrite: number;
}

/** The firehose's first message: where it listens. */
export interface FirehoseReady {
  readonly port: number;
}

const HEAD =
  '{"id":"chatcmpl-firehose","object":"chat.completion.chunk","created":1732240000,"model":"bench"';
const ROLE_CHUNK = `data: ${HEAD},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`;
const FINISH_CHUNK = `data: ${HEAD},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length","stop_reason":null}]}\n\n`;
const DONE = 'data: [DONE]\n\n';

function usageChunk(promptTokens: number, completionTokens: number): string {
  const usage = `{"prompt_tokens":${promptTokens},"total_tokens":${promptTokens + completionTokens},"completion_tokens":${completionTokens}}`;
  return `data: ${HEAD},"choices":[],"usage":${usage}}\n\n`;
}

/** The requested output length, or an error text naming the field. */
function maxTokensOf(body: Buffer): number | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return 'request body is not JSON';
  }
  const value = (parsed as { max_tokens?: unknown }).max_tokens;
  return typeof value === 'number' && Number.isInteger(value) && value > 0
    ? value
    : 'max_tokens must be a positive integer';
}

async function stream(res: ServerResponse, tokens: number, block: Buffer, chunkBytes: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.write(ROLE_CHUNK);
  const perWrite = block.length / chunkBytes;
  for (let left = tokens; left > 0;) {
    const n = Math.min(perWrite, left);
    left -= n;
    if (res.write(n === perWrite ? block : block.subarray(0, n * chunkBytes))) {
      // node:http corks the socket until the next tick: yielding sends every write on its own, and lets the other
      // connections take their turn.
      await yieldToLoop();
    } else {
      await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    if (res.destroyed) return;
  }
  res.end(FINISH_CHUNK + usageChunk(16, tokens) + DONE);
}

/** Child entry: serve on 127.0.0.1 (an ephemeral port) until the parent disconnects. */
export async function runFirehoseServer(argv: readonly string[]): Promise<void> {
  const settings = childPayload<FirehoseSettings>(argv);
  const chunk = Buffer.from(VLLM_CHAT_CHUNK);
  const block = Buffer.concat(Array.from({ length: settings.chunksPerWrite }, () => chunk));
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const tokens = maxTokensOf(Buffer.concat(parts));
      if (typeof tokens === 'string') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: tokens, type: 'BadRequestError', code: 400 } }));
        return;
      }
      stream(res, tokens, block, chunk.length).catch(() => res.destroy());
    });
  };
  const server = createServer({ noDelay: true, keepAlive: true }, onRequest);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.once('disconnect', () => {
    server.closeAllConnections();
    server.close();
  });
  await sendToParent({ port: (server.address() as AddressInfo).port } satisfies FirehoseReady);
}
