import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiTargetSchema } from '../../src/config/schema.js';
import type { OpenAITargetConfig } from '../../src/config/schema.js';
import { createOpenAIProvider, openAIRequestBody } from '../../src/providers/openai.js';
import type { OpenAIProviderOptions } from '../../src/providers/openai.js';
import type { Provider, ProviderRequest } from '../../src/providers/types.js';
import {
  sendJson,
  sleep,
  splitAt,
  startServer,
  startSse,
  unusedPort,
  writePieces,
} from '../helpers/sse-server.js';
import type { Responder, TestServer, TlsMaterial } from '../helpers/sse-server.js';
import { CollectingRecorder, sendAndCollect } from './collecting-recorder.js';

const WIRE = join(import.meta.dirname, '../../fixtures/wire');
const fixture = (name: string): Buffer => readFileSync(join(WIRE, name));
const TLS: TlsMaterial = {
  cert: readFileSync(join(WIRE, 'tls/localhost-cert.pem')),
  key: readFileSync(join(WIRE, 'tls/localhost-key.pem')),
};
const API_KEY = 'sk-test-7f3a9c1e5b2d4f6a8c0e';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(responder: Responder, tls?: TlsMaterial): Promise<TestServer> {
  const s = await startServer(responder, tls);
  cleanups.push(() => s.close());
  return s;
}

function target(base: string, overrides: Record<string, unknown> = {}): OpenAITargetConfig {
  return openaiTargetSchema.parse({
    provider: 'openai',
    base_url: `${base}/v1`,
    model: 'test-model',
    ...overrides,
  });
}

function provider(t: OpenAITargetConfig, options: Partial<OpenAIProviderOptions> = {}): Provider {
  const p = createOpenAIProvider(t, { clock: () => performance.now(), connections: 4, ...options });
  cleanups.push(() => p.close());
  return p;
}

const request = (index = 0, overrides: Partial<ProviderRequest> = {}): ProviderRequest => ({
  index,
  requestId: `req-${index}`,
  prompt: 'Say hello',
  inputTokens: 3,
  maxTokens: 16,
  forceOutputLength: false,
  ...overrides,
});

async function send(
  p: Provider,
  signal = new AbortController().signal,
  req = request(),
): Promise<CollectingRecorder> {
  return sendAndCollect(p, req, signal);
}

/** Streams `bytes` cut at pseudo-random offsets (a fixed pattern per call, so runs are reproducible). */
function replay(bytes: Uint8Array, step = 37): Responder {
  const offsets: number[] = [];
  for (let at = step, k = 1; at < bytes.length; k++, at += 1 + ((k * step) % 97)) offsets.push(at);
  return async (_req, res) => {
    startSse(res);
    await writePieces(res, splitAt(bytes, offsets));
    res.end();
  };
}

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta }], ...extra })}\n\n`;

describe('OpenAI provider: streams', () => {
  it('reads a vLLM chat stream: content, usage, [DONE]; the role-only chunk is not content', async () => {
    const s = await server(replay(fixture('vllm-chat-usage.sse')));
    const r = await send(provider(target(s.origin)));
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe(200);
    expect(r.text()).toBe('Hello! The café in 東京 serves great coffee 🚀.');
    expect(r.contents).toHaveLength(11);
    expect(r.contents.every((c) => c.kind === 'text' && c.tokens === undefined)).toBe(true);
    expect(r.usages).toEqual([[17, 11]]);
    expect(r.calls.slice(0, 3)).toEqual(['connected', 'responseStarted', 'content']);
    const ats = r.contents.map((c) => c.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(r.responseAt).toBeLessThanOrEqual(ats[0] ?? -1);
    expect(r.endedAt).toBeGreaterThanOrEqual(ats.at(-1) ?? Infinity);
  });

  it('reads the same stream with CRLF line endings', async () => {
    const s = await server(replay(fixture('vllm-chat-crlf.sse'), 5));
    const r = await send(provider(target(s.origin)));
    expect(r.endedAt).toBeDefined();
    expect(r.text()).toBe('Hello! The café in 東京 serves great coffee 🚀.');
    expect(r.usages).toEqual([[17, 11]]);
  });

  it('reads a completions stream from choices[0].text', async () => {
    const s = await server(replay(fixture('vllm-completions.sse')));
    const r = await send(provider(target(s.origin, { api: 'completions' })));
    expect(s.requests[0]?.url).toBe('/v1/completions');
    expect(r.endedAt).toBeDefined();
    expect(r.text()).toBe(' the quick brown fox jumps over the lazy');
    expect(r.contents).toHaveLength(8);
    expect(r.usages).toEqual([[9, 8]]);
  });

  it('reports reasoning_content as reasoning, then the answer as text', async () => {
    const s = await server(replay(fixture('vllm-reasoning.sse')));
    const r = await send(provider(target(s.origin)));
    expect(r.contents.map((c) => c.kind)).toEqual([
      ...Array<string>(7).fill('reasoning'),
      ...Array<string>(5).fill('text'),
    ]);
    expect(r.text('reasoning')).toBe('Okay, the user asks 2+2.');
    expect(r.text('text')).toBe('The answer is 4.');
    expect(r.usages).toEqual([[12, 12]]);
  });

  it('accepts delta.reasoning as reasoning too', async () => {
    const s = await server(async (_req, res) => {
      startSse(res);
      await writePieces(res, [chunk({ reasoning: 'hmm' }), chunk({ content: 'ok' }), 'data: [DONE]\n\n']);
      res.end();
    });
    const r = await send(provider(target(s.origin)));
    expect(r.contents.map((c) => [c.kind, c.text])).toEqual([
      ['reasoning', 'hmm'],
      ['text', 'ok'],
    ]);
  });

  it('passes per-chunk token deltas when every chunk carries cumulative usage', async () => {
    const s = await server(replay(fixture('vllm-chat-continuous-usage.sse')));
    const r = await send(provider(target(s.origin)));
    expect(r.contents.map((c) => [c.text, c.tokens])).toEqual([
      ['Once', 1],
      [' upon', 1],
      [' a time', 2],
      [',', 1],
      [' there', 1],
    ]);
    expect(r.usages.at(-1)).toEqual([10, 6]);
  });

  it('handles keep-alive comments, ids, retry, multi-line data and a final event without a blank line', async () => {
    const s = await server(replay(fixture('keepalive-fields.sse'), 3));
    const r = await send(provider(target(s.origin)));
    expect(r.failure).toBeUndefined();
    expect(r.text()).toBe('Hi there!');
    expect(r.usages).toEqual([[5, 3]]);
  });

  it('stamps every event parsed from one body chunk with that chunk’s arrival time', async () => {
    let tick = 0;
    const s = await server(async (_req, res) => {
      startSse(res);
      await writePieces(
        res,
        [chunk({ content: 'a' }) + chunk({ content: 'b' }) + chunk({ content: 'c' })],
        50,
      );
      await writePieces(res, [chunk({ content: 'd' }) + 'data: [DONE]\n\n'], 1);
      res.end();
    });
    const r = await send(provider(target(s.origin), { clock: () => ++tick }));
    const ats = r.contents.map((c) => c.at);
    expect(ats[0]).toBe(ats[1]);
    expect(ats[1]).toBe(ats[2]);
    expect(ats[3]).toBeGreaterThan(ats[2] ?? Infinity);
    expect(r.endedAt).toBe(ats[3]);
  });
});

describe('OpenAI provider: request', () => {
  it('builds byte-identical bodies with a fixed key order', () => {
    const chat = target('http://127.0.0.1:1', { model: 'm', extra_body: { temperature: 0, top_p: 1 } });
    const body = openAIRequestBody(chat, { prompt: 'Hi "there"', maxTokens: 8, forceOutputLength: true });
    expect(body).toBe(
      '{"model":"m","messages":[{"role":"user","content":"Hi \\"there\\""}],"max_tokens":8,"stream":true,' +
        '"stream_options":{"include_usage":true},"temperature":0,"top_p":1,"ignore_eos":true,"min_tokens":8}',
    );
    expect(openAIRequestBody(chat, { prompt: 'Hi "there"', maxTokens: 8, forceOutputLength: true })).toBe(
      body,
    );
    const completions = target('http://127.0.0.1:1', {
      model: 'm',
      api: 'completions',
      include_usage: false,
    });
    expect(openAIRequestBody(completions, { prompt: 'Hi', maxTokens: 4, forceOutputLength: false })).toBe(
      '{"model":"m","prompt":"Hi","max_tokens":4,"stream":true}',
    );
  });

  it('keeps an extra_body key named __proto__ as a plain field', () => {
    const parsed = target('http://127.0.0.1:1', { model: 'm', include_usage: false });
    const extra = JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(
      openAIRequestBody(
        { ...parsed, extra_body: extra },
        { prompt: 'p', maxTokens: 1, forceOutputLength: false },
      ),
    ).toBe(
      '{"model":"m","messages":[{"role":"user","content":"p"}],"max_tokens":1,"stream":true,"__proto__":{"x":1}}',
    );
  });

  it('sends the body, path, query and headers the server expects', async () => {
    const s = await server(replay(fixture('vllm-chat-usage.sse')));
    const base = `${s.origin}/v1/?api-version=2024-10-21`;
    const t = openaiTargetSchema.parse({
      provider: 'openai',
      base_url: base,
      model: 'm',
      api_key: API_KEY,
      headers: { 'X-Tenant': 'team-a', 'X-Request-Id': 'overridden' },
      extra_body: { temperature: 0 },
    });
    await send(
      provider(t),
      undefined,
      request(3, { prompt: 'Hello', maxTokens: 5, forceOutputLength: true }),
    );
    const seen = s.requests[0];
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/v1/chat/completions?api-version=2024-10-21');
    expect(seen?.body).toBe(
      '{"model":"m","messages":[{"role":"user","content":"Hello"}],"max_tokens":5,"stream":true,' +
        '"stream_options":{"include_usage":true},"temperature":0,"ignore_eos":true,"min_tokens":5}',
    );
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers['accept']).toBe('text/event-stream');
    expect(seen?.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(seen?.headers['x-request-id']).toBe('req-3');
    expect(seen?.headers['x-tenant']).toBe('team-a');
  });
});

describe('OpenAI provider: connections', () => {
  it('reuses keep-alive connections and reports connect time once per new connection', async () => {
    const s = await server(replay(fixture('vllm-completions.sse'), 400));
    const p = provider(target(s.origin, { api: 'completions' }));
    const recorders: CollectingRecorder[] = [];
    for (let i = 0; i < 6; i++) recorders.push(await send(p, undefined, request(i)));
    expect(recorders.every((r) => r.endedAt !== undefined)).toBe(true);
    expect(s.connections).toBe(1);
    expect(recorders.map((r) => r.connectMs.length)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(recorders[0]?.connectMs[0]).toBeGreaterThanOrEqual(0);
    expect(s.requests.map((q) => q.connection)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('caps the pool at max_connections and attributes each connect to exactly one request', async () => {
    const s = await server(async (_req, res) => {
      startSse(res);
      await sleep(30);
      await writePieces(res, [chunk({ content: 'x' }), 'data: [DONE]\n\n']);
      res.end();
    });
    const p = provider(target(s.origin, { max_connections: 3 }), { connections: 50 });
    const recorders = await Promise.all(Array.from({ length: 9 }, (_, i) => send(p, undefined, request(i))));
    expect(recorders.every((r) => r.endedAt !== undefined)).toBe(true);
    expect(s.connections).toBeLessThanOrEqual(3);
    expect(recorders.reduce((n, r) => n + r.connectMs.length, 0)).toBe(s.connections);
  });

  it('sizes the pool from the connections option when max_connections is unset', async () => {
    const s = await server(async (_req, res) => {
      startSse(res);
      await sleep(30);
      await writePieces(res, [chunk({ content: 'x' }), 'data: [DONE]\n\n']);
      res.end();
    });
    const p = provider(target(s.origin), { connections: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => send(p, undefined, request(i))));
    expect(s.connections).toBe(2);
  });
});

describe('OpenAI provider: failures', () => {
  it('connection refused → connect_refused', async () => {
    const port = await unusedPort();
    const r = await send(provider(target(`http://127.0.0.1:${port}`)));
    expect(r.failure?.category).toBe('connect_refused');
    expect(r.failure?.detail).toContain('ECONNREFUSED');
    expect(r.calls).toEqual(['failed']);
  });

  it.each([
    [
      429,
      { error: { message: 'Rate limit exceeded', type: 'rate_limit' } },
      'http_429',
      'HTTP 429: Rate limit exceeded',
    ],
    [
      400,
      {
        object: 'error',
        message: "This model's maximum context length is 4096 tokens.",
        type: 'BadRequestError',
        code: 400,
      },
      'http_4xx',
      "HTTP 400: This model's maximum context length is 4096 tokens.",
    ],
    [422, { detail: [{ msg: 'field required' }] }, 'http_4xx', 'HTTP 422: field required'],
    [
      503,
      { error: 'Model test-model is currently loading', estimated_time: 20 },
      'not_ready',
      'HTTP 503: Model test-model is currently loading',
    ],
    [503, { error: { message: 'upstream unavailable' } }, 'http_5xx', 'HTTP 503: upstream unavailable'],
    [502, { message: 'Bad gateway' }, 'http_5xx', 'HTTP 502: Bad gateway'],
  ] as const)('HTTP %i with a JSON error → %s', async (status, body, category, detail) => {
    const s = await server((_req, res) => sendJson(res, status, body));
    const r = await send(provider(target(s.origin)));
    expect(r.failure).toEqual({ at: expect.any(Number) as number, category, detail, status });
    expect(r.status).toBe(status);
  });

  it('HTTP 500 with a plain-text body → http_5xx, detail truncated', async () => {
    const s = await server((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`Internal Server Error ${'x'.repeat(5000)}`);
    });
    const r = await send(provider(target(s.origin)));
    expect(r.failure?.category).toBe('http_5xx');
    expect(r.failure?.detail.startsWith('HTTP 500: Internal Server Error xxx')).toBe(true);
    expect(r.failure?.detail.length).toBeLessThanOrEqual(320);
  });

  it('drains error bodies so the connection is reused', async () => {
    const s = await server((_req, res) => sendJson(res, 429, { error: { message: 'slow down' } }));
    const p = provider(target(s.origin));
    await send(p);
    await send(p);
    expect(s.connections).toBe(1);
  });

  it('socket destroyed mid-stream → stream_cut, content kept', async () => {
    const s = await server(async (_req, res) => {
      startSse(res);
      await writePieces(res, [chunk({ content: 'a' }), chunk({ content: 'b' })], 20);
      res.socket?.destroy();
    });
    const r = await send(provider(target(s.origin)));
    expect(r.text()).toBe('ab');
    expect(r.failure?.category).toBe('stream_cut');
    expect(r.failure?.status).toBe(200);
  });

  it('body ending without [DONE] → stream_cut (even after finish_reason and usage)', async () => {
    const bytes = fixture('vllm-chat-usage.sse');
    const withoutDone = bytes.subarray(0, bytes.lastIndexOf('data: [DONE]'));
    const s = await server(replay(withoutDone));
    const r = await send(provider(target(s.origin)));
    expect(r.usages).toEqual([[17, 11]]);
    expect(r.failure?.category).toBe('stream_cut');
    expect(r.failure?.detail).toContain('without [DONE] after 11 content chunks');
  });

  it('unparseable JSON → malformed_event; stops reading and drops the connection', async () => {
    let socketClosed = false;
    const s = await server(async (_req, res, req) => {
      req.socket.on('close', () => (socketClosed = true));
      startSse(res);
      await writePieces(res, [chunk({ content: 'ok' }), 'data: {"choices": [\n\n']);
      // Keep the response open: the client must not wait for it.
    });
    const p = provider(target(s.origin));
    const r = await send(p);
    expect(r.failure?.category).toBe('malformed_event');
    expect(r.failure?.detail).toContain('invalid JSON');
    expect(r.text()).toBe('ok');
    for (let i = 0; i < 100 && !socketClosed; i++) await sleep(10);
    expect(socketClosed).toBe(true);
    s.respond(replay(fixture('vllm-chat-usage.sse')));
    const next = await send(p);
    expect(next.endedAt).toBeDefined();
    expect(s.requests.map((q) => q.connection)).toEqual([1, 2]);
  });

  it('error object in the stream → stream_error with the server message', async () => {
    const s = await server(replay(fixture('error-in-stream.sse')));
    const r = await send(provider(target(s.origin)));
    expect(r.text()).toBe('Partial answer');
    expect(r.failure).toMatchObject({
      category: 'stream_error',
      detail: 'CUDA out of memory while decoding',
    });
  });

  it('event: error → stream_error', async () => {
    const s = await server(async (_req, res) => {
      startSse(res);
      await writePieces(res, [
        chunk({ content: 'a' }),
        'event: error\ndata: {"error":{"message":"overloaded"}}\n\n',
      ]);
      res.end();
    });
    const r = await send(provider(target(s.origin)));
    expect(r.failure).toMatchObject({ category: 'stream_error', detail: 'overloaded' });
  });

  it('abort mid-stream → aborted promptly, connection closed', async () => {
    let socketClosed = false;
    const s = await server(async (_req, res, req) => {
      req.socket.on('close', () => (socketClosed = true));
      startSse(res);
      await writePieces(res, [chunk({ content: 'first' })]);
      // then nothing: only the abort can end the request
    });
    const controller = new AbortController();
    const recorder = new CollectingRecorder();
    const content = recorder.content.bind(recorder);
    recorder.content = (...args) => {
      content(...args);
      controller.abort(new Error('scenario timeout'));
    };
    await provider(target(s.origin)).send(request(), recorder, controller.signal);
    expect(recorder.terminalCalls).toBe(1);
    expect(recorder.failure?.category).toBe('aborted');
    expect(recorder.failure?.detail).toContain('scenario timeout');
    for (let i = 0; i < 100 && !socketClosed; i++) await sleep(10);
    expect(socketClosed).toBe(true);
  });

  it('abort before sending → aborted, nothing sent', async () => {
    const s = await server(replay(fixture('vllm-chat-usage.sse')));
    const r = await send(provider(target(s.origin)), AbortSignal.abort('stop'));
    expect(r.failure).toMatchObject({ category: 'aborted', detail: 'stop' });
    await sleep(20);
    expect(s.requests).toHaveLength(0);
  });

  it('abort while queued for a connection → aborted at once, never sent', async () => {
    let release: () => void = () => undefined;
    const s = await server(async (_req, res) => {
      startSse(res);
      await new Promise<void>((resolve) => (release = resolve));
      await writePieces(res, ['data: [DONE]\n\n']);
      res.end();
    });
    const p = provider(target(s.origin, { max_connections: 1 }));
    const first = send(p);
    for (let i = 0; i < 100 && s.requests.length === 0; i++) await sleep(10);
    const controller = new AbortController();
    const queued = send(p, controller.signal, request(1));
    controller.abort('cancelled');
    const r = await queued;
    expect(r.failure).toMatchObject({ category: 'aborted', detail: 'cancelled' });
    release();
    expect((await first).endedAt).toBeDefined();
    await sleep(20);
    expect(s.requests).toHaveLength(1);
  });

  it('never puts the API key in a detail, even when the server echoes it', async () => {
    const s = await server((req, res) =>
      sendJson(res, 401, {
        error: { message: `invalid credentials: ${String(req.headers['authorization'])}` },
      }),
    );
    const p = provider(target(s.origin, { api_key: API_KEY }));
    const r = await send(p);
    expect(s.requests[0]?.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(r.failure?.category).toBe('http_4xx');
    expect(r.failure?.detail).toBe('HTTP 401: invalid credentials: Bearer ***');
    s.respond(async (req, res) => {
      startSse(res);
      await writePieces(res, [
        `data: {"error":{"message":"bad key ${String(req.headers['authorization'])}"}}\n\n`,
      ]);
      res.end();
    });
    const inStream = await send(p);
    expect(inStream.failure?.category).toBe('stream_error');
    expect(inStream.failure?.detail).not.toContain(API_KEY);
    const probe = await p.probe(new AbortController().signal);
    expect(JSON.stringify(probe)).not.toContain(API_KEY);
  });
});

describe('OpenAI provider: TLS', () => {
  it('fails with tls against an untrusted certificate', async () => {
    const s = await server(replay(fixture('vllm-chat-usage.sse')), TLS);
    const r = await send(provider(target(s.origin)));
    expect(r.failure?.category).toBe('tls');
  });

  it('trusts tls.ca_file and connects', async () => {
    const s = await server(replay(fixture('vllm-chat-usage.sse')), TLS);
    const r = await send(
      provider(target(s.origin, { tls: { ca_file: join(WIRE, 'tls/localhost-cert.pem') } })),
    );
    expect(r.endedAt).toBeDefined();
    expect(r.connectMs).toHaveLength(1);
  });

  it('accepts any certificate with insecure_skip_verify', async () => {
    const s = await server(replay(fixture('vllm-chat-usage.sse')), TLS);
    const r = await send(provider(target(s.origin, { tls: { insecure_skip_verify: true } })));
    expect(r.endedAt).toBeDefined();
  });

  it('names the field and path when tls.ca_file cannot be read', () => {
    const t = target('https://127.0.0.1:1', { tls: { ca_file: '/nonexistent/ca.pem' } });
    expect(() => createOpenAIProvider(t, { clock: () => 0, connections: 1 })).toThrow(
      'target.tls.ca_file: cannot read "/nonexistent/ca.pem" (ENOENT)',
    );
  });
});

describe('OpenAI provider: probe', () => {
  const signal = (): AbortSignal => new AbortController().signal;

  it('is ready when a tiny streamed request completes', async () => {
    const s = await server(replay(fixture('vllm-chat-usage.sse')));
    expect(await provider(target(s.origin)).probe(signal())).toEqual({ ready: true });
    const body = JSON.parse(s.requests[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'test-model', max_tokens: 1, stream: true });
    expect(s.requests[0]?.url).toBe('/v1/chat/completions');
  });

  it('is not ready but retryable when the connection is refused', async () => {
    const port = await unusedPort();
    const result = await provider(target(`http://127.0.0.1:${port}`)).probe(signal());
    expect(result).toMatchObject({ ready: false, retryable: true });
    expect(result.ready ? '' : result.reason).toContain(
      `connection refused by http://127.0.0.1:${port}/v1/chat/completions`,
    );
  });

  it.each([
    [503, { error: 'Model is currently loading' }],
    [503, 'Service Unavailable'],
    [502, 'Bad Gateway'],
    [504, 'Gateway Timeout'],
    [429, { error: { message: 'Too many requests' } }],
  ])('HTTP %i is retryable', async (status, body) => {
    const s = await server((_req, res) => sendJson(res, status, body));
    expect(await provider(target(s.origin)).probe(signal())).toMatchObject({ ready: false, retryable: true });
  });

  it.each([400, 401, 403, 404, 422])(
    'HTTP %i is not retryable and names the status and message',
    async (status) => {
      const s = await server((_req, res) =>
        sendJson(res, status, {
          object: 'error',
          message: 'The model `x` does not exist.',
          type: 'NotFoundError',
        }),
      );
      expect(await provider(target(s.origin)).probe(signal())).toEqual({
        ready: false,
        reason: `HTTP ${status} from ${s.origin}/v1/chat/completions: The model \`x\` does not exist.`,
        retryable: false,
      });
    },
  );

  it('not-ready bodies are retryable whatever the status', async () => {
    const s = await server((_req, res) => sendJson(res, 404, { message: 'model is not ready yet' }));
    expect(await provider(target(s.origin)).probe(signal())).toMatchObject({ ready: false, retryable: true });
  });

  it('gives up after its own time limit, retryably', async () => {
    const s = await server(() => undefined);
    const result = await provider(target(s.origin), { probeTimeoutMs: 200 }).probe(signal());
    expect(result).toEqual({
      ready: false,
      reason: `no answer from ${s.origin}/v1/chat/completions within 0.2 s`,
      retryable: true,
    });
  });

  it('is not retryable when the caller cancels it', async () => {
    const s = await server(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await provider(target(s.origin)).probe(controller.signal)).toMatchObject({
      ready: false,
      retryable: false,
    });
  });

  it('is not retryable when the stream cannot be parsed', async () => {
    const s = await server(async (_req, res) => {
      startSse(res);
      await writePieces(res, ['data: not json\n\n']);
      res.end();
    });
    const result = await provider(target(s.origin)).probe(signal());
    expect(result).toMatchObject({ ready: false, retryable: false });
  });
});
