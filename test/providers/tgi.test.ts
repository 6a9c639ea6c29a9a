import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { readinessSchema, tgiTargetSchema, type TgiTargetConfig } from '../../src/config/schema.js';
import { waitUntilReady } from '../../src/load/readiness.js';
import { createTgiStreamBody } from '../../src/providers/tgi-stream.js';
import { createTgiProvider, tgiRequestBody, type TgiProviderOptions } from '../../src/providers/tgi.js';
import type { Provider, ProviderRequest } from '../../src/providers/types.js';
import type { SimKnobs } from '../../src/sim/knobs.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { countTokens } from '../../src/workload/tokenizer.js';
import { sendJson, startServer, startSse, unusedPort, writePieces } from '../helpers/sse-server.js';
import type { Responder, TestServer } from '../helpers/sse-server.js';
import { CollectingRecorder, sendAndCollect } from './collecting-recorder.js';
import { feed } from './tgi-stream-control.js';

const API_KEY = 'tgi-secret-5d1e9a7c3b';
const FAST = { step_ms: 1, per_seq_ms: 0, prefill_ms_per_1k_tokens: 0, jitter: 0, log_truth: true };
const clock = (): number => performance.now();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(responder: Responder): Promise<TestServer> {
  const s = await startServer(responder);
  cleanups.push(() => s.close());
  return s;
}

async function sim(knobs: Partial<SimKnobs> = {}): Promise<SimHandle> {
  const s = await startSimulator({ ...FAST, ...knobs });
  cleanups.push(() => s.close());
  return s;
}

function target(base: string, overrides: Record<string, unknown> = {}): TgiTargetConfig {
  return tgiTargetSchema.parse({ provider: 'tgi', base_url: base, ...overrides });
}

function provider(t: TgiTargetConfig, options: Partial<TgiProviderOptions> = {}): Provider {
  const p = createTgiProvider(t, { clock, connections: 2, ...options });
  cleanups.push(() => p.close());
  return p;
}

const request = (index = 0, overrides: Partial<ProviderRequest> = {}): ProviderRequest => ({
  index,
  requestId: `tgi-req-${index}`,
  prompt: 'Say hello',
  inputTokens: 3,
  maxTokens: 8,
  forceOutputLength: false,
  ...overrides,
});

async function send(
  p: Provider,
  req = request(),
  signal = new AbortController().signal,
): Promise<CollectingRecorder> {
  return sendAndCollect(p, req, signal);
}

interface Token {
  readonly text: string;
  readonly special?: boolean;
}

/** A TGI stream as the router writes it: one `data:` event per token, details on the last. */
function tgiStream(
  tokens: readonly Token[],
  options: { details?: boolean; inputLength?: number } = {},
): string {
  const words = tokens
    .filter((t) => t.special !== true)
    .map((t) => t.text)
    .join('');
  return tokens
    .map((t, i) => {
      const last = i === tokens.length - 1;
      const event = {
        index: i + 1,
        token: { id: 100 + i, text: t.text, logprob: -0.25, special: t.special === true },
        generated_text: last ? words : null,
        details:
          last && options.details !== false
            ? {
                finish_reason: t.special === true ? 'eos_token' : 'length',
                generated_tokens: tokens.length,
                seed: null,
                input_length: options.inputLength ?? 7,
              }
            : null,
      };
      return `data:${JSON.stringify(event)}\n\n`;
    })
    .join('');
}

/** Token texts with multi-byte UTF-8: 2-, 3- and 4-byte characters. */
const UNICODE_TOKENS: Token[] = [
  { text: 'Caf' },
  { text: 'é' },
  { text: ' in' },
  { text: ' 東京' },
  { text: ' 🚀' },
  { text: '!' },
  { text: '</s>', special: true },
];

function replayStream(text: string, pieces = 3): Responder {
  const bytes = Buffer.from(text);
  const size = Math.ceil(bytes.length / pieces);
  const parts = Array.from({ length: pieces }, (_, i) => bytes.subarray(i * size, (i + 1) * size)).filter(
    (p) => p.length > 0,
  );
  return async (_req, res) => {
    startSse(res);
    await writePieces(res, parts);
    res.end();
  };
}

describe('TGI stream reader', () => {
  it('reads any split of a stream the same way: text without special tokens, usage from details', () => {
    const bytes = Buffer.from(tgiStream(UNICODE_TOKENS, { inputLength: 11 }));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), (offsets) => {
        const r = feed(createTgiStreamBody, bytes, offsets);
        expect(r.failure).toBeUndefined();
        expect(r.text()).toBe('Café in 東京 🚀!');
        expect(r.contents).toHaveLength(6);
        expect(r.usages).toEqual([[11, 7]]);
        expect(r.endedAt).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });

  it('splits inside every multi-byte character without corrupting it', () => {
    const bytes = Buffer.from(tgiStream(UNICODE_TOKENS));
    for (let at = 1; at < bytes.length; at++) {
      expect(feed(createTgiStreamBody, bytes, [at]).text()).toBe('Café in 東京 🚀!');
    }
  });

  it('ends at the event with generated_text even without details (no usage then)', () => {
    const r = feed(
      createTgiStreamBody,
      Buffer.from(tgiStream([{ text: 'a' }, { text: 'b' }], { details: false })),
    );
    expect(r.endedAt).toBeDefined();
    expect(r.usages).toEqual([]);
  });

  it('is a cut stream when the body ends before the final event', () => {
    const full = tgiStream([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
    const cut = full.slice(0, full.lastIndexOf('data:'));
    const r = feed(createTgiStreamBody, Buffer.from(cut));
    expect(r.failure).toMatchObject({ category: 'stream_cut' });
    expect(r.failure?.detail).toMatch(/final event.*2 content chunks/);
  });

  it.each([
    [
      'overloaded before any token',
      'http_429',
      '',
      { error: 'Model is overloaded', error_type: 'overloaded' },
    ],
    [
      'validation before any token',
      'http_4xx',
      '',
      { error: 'Input validation error: `inputs` too long', error_type: 'validation' },
    ],
    ['an LMI validation error (code 424)', 'http_4xx', '', { error: 'bad parameter', code: 424 }],
    [
      'a generation error before any token',
      'stream_error',
      '',
      { error: 'CUDA out of memory', error_type: 'generation' },
    ],
    [
      'overloaded after content',
      'stream_error',
      tgiStream([{ text: 'a' }, { text: 'b' }]).split('\n\n')[0] + '\n\n',
      { error: 'Model is overloaded', error_type: 'overloaded' },
    ],
  ] as const)('categorises %s as %s', (_name, category, before, error) => {
    const r = feed(createTgiStreamBody, Buffer.from(`${before}data:${JSON.stringify(error)}\n\n`));
    expect(r.failure).toMatchObject({ category });
    expect(r.failure?.detail).toContain(error.error);
  });

  it('reads LMI events (log_prob, special_token) and its finish_reason "error" as a stream error', () => {
    const lmi = (text: string, extra = {}) =>
      `data:${JSON.stringify({ token: { id: 1, text, log_prob: -0.5 }, ...extra })}\n\n`;
    const ok = feed(
      createTgiStreamBody,
      Buffer.from(
        lmi('Deep') +
          lmi(' Learning', {
            generated_text: 'Deep Learning',
            details: { finish_reason: 'length', generated_tokens: 2, inputs: 'x' },
          }),
      ),
    );
    expect(ok.text()).toBe('Deep Learning');
    expect(ok.usages).toEqual([[undefined, 2]]);
    expect(ok.endedAt).toBeDefined();
    const failed = feed(
      createTgiStreamBody,
      Buffer.from(
        lmi('Deep') +
          `data:${JSON.stringify({ token: { id: -1, text: '', log_prob: -1, special_token: true }, generated_text: '', details: { finish_reason: 'error', generated_tokens: null, inputs: null } })}\n\n`,
      ),
    );
    expect(failed.failure).toMatchObject({ category: 'stream_error' });
  });

  it('reports an unparseable event as malformed', () => {
    const r = feed(createTgiStreamBody, Buffer.from('data:{"index":1,"token":{"id":\n\n'));
    expect(r.failure).toMatchObject({ category: 'malformed_event' });
  });
});

describe('TGI provider: requests', () => {
  it('builds the /generate_stream body with extra_body merged into parameters', () => {
    // A key named "__proto__" (possible from JSON) stays an ordinary field.
    const extra = JSON.parse('{"temperature":0,"top_p":0.9,"__proto__":1}') as Record<string, unknown>;
    expect(tgiRequestBody({ extra_body: extra }, { prompt: 'Hi "x"', maxTokens: 12 })).toBe(
      '{"inputs":"Hi \\"x\\"","parameters":{"max_new_tokens":12,"details":true,"temperature":0,"top_p":0.9,"__proto__":1}}',
    );
  });

  it('posts to {base_url}/generate_stream with the bearer token, headers and request id', async () => {
    const s = await server(replayStream(tgiStream([{ text: 'hi' }])));
    const t = target(`${s.origin}/tgi/`, {
      api_key: API_KEY,
      headers: { 'X-Tenant': 'team-a', 'Content-Type': 'application/json; charset=utf-8' },
    });
    const r = await send(provider(t));
    expect(r.endedAt).toBeDefined();
    const received = s.requests[0]!;
    expect(received.url).toBe('/tgi/generate_stream');
    expect(received.headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'x-request-id': 'tgi-req-0',
      'x-tenant': 'team-a',
      'content-type': 'application/json; charset=utf-8',
      accept: 'text/event-stream',
    });
    expect(JSON.parse(received.body)).toEqual({
      inputs: 'Say hello',
      parameters: { max_new_tokens: 8, details: true },
    });
  });

  it('never puts the API key in a failure detail', async () => {
    const s = await server((req, res) =>
      sendJson(res, 401, { error: `invalid token ${String(req.headers.authorization)}` }),
    );
    const r = await send(provider(target(s.origin, { api_key: API_KEY })));
    expect(r.failure).toMatchObject({ category: 'http_4xx', status: 401 });
    expect(r.failure?.detail).not.toContain(API_KEY);
    expect(r.failure?.detail).toContain('***');
  });
});

describe('TGI provider against the simulator', () => {
  it('counts exactly the tokens the server generated, over one kept-alive connection', async () => {
    const s = await sim();
    const p = provider(target(s.origin));
    const prompt = 'Describe the water cycle in detail. '.repeat(8);
    const recorders: CollectingRecorder[] = [];
    for (let i = 0; i < 6; i++) {
      recorders.push(await send(p, request(i, { prompt, maxTokens: 10 + i })));
    }
    const truth = new Map((await s.truth()).map((t) => [t.requestId, t]));
    recorders.forEach((r, i) => {
      const t = truth.get(`tgi-req-${i}`)!;
      expect(r.failure).toBeUndefined();
      expect(r.contents).toHaveLength(10 + i);
      expect(r.usages).toEqual([[countTokens(prompt), t.outputTokens]]);
      expect(countTokens(r.text())).toBe(t.outputTokens);
    });
    expect(recorders[0]!.connectMs).toHaveLength(1);
    expect(recorders.slice(1).every((r) => r.connectMs.length === 0)).toBe(true);
  });

  it('does not count the EOS token as text, while usage counts it as the server does', async () => {
    const s = await sim({ early_stop_rate: 1, seed: 5 });
    const r = await send(provider(target(s.origin)), request(0, { maxTokens: 30 }));
    const [t] = await s.truth();
    expect(r.text()).not.toContain('</s>');
    expect(r.usages[0]?.[1]).toBe(t!.outputTokens);
    expect(countTokens(r.text())).toBe(t!.outputTokens - 1);
  });

  it.each([
    ['error_rate', 'http_5xx', { error_rate: 1 }, 500],
    ['cold_start_s', 'not_ready', { cold_start_s: 30 }, 503],
    [
      'rate_limit_in_flight (an overloaded event on a 200 stream)',
      'http_429',
      { rate_limit_in_flight: 1, step_ms: 30 },
      undefined,
    ],
    ['stream_error_rate', 'stream_error', { stream_error_rate: 1 }, undefined],
    ['malformed_rate', 'malformed_event', { malformed_rate: 1 }, undefined],
    ['disconnect_rate', 'stream_cut', { disconnect_rate: 1 }, 200],
  ] as const)('maps the simulator fault %s to %s', async (_name, category, knobs, status) => {
    const s = await sim(knobs);
    const p = provider(target(s.origin));
    const results = await Promise.all([send(p, request(0)), send(p, request(1))]);
    const failure = results.map((r) => r.failure).find((f) => f !== undefined);
    expect(failure).toMatchObject({ category });
    expect(failure?.status).toBe(status);
  });

  it('answers probes: ready, retryable while overloaded or cold, not retryable on a validation error', async () => {
    const s = await sim();
    expect(await provider(target(s.origin)).probe(new AbortController().signal)).toEqual({ ready: true });
    const invalid = await server(
      replayStream(
        'data:{"error":"Input validation error: `max_new_tokens` too large","error_type":"validation"}\n\n',
        1,
      ),
    );
    expect(await provider(target(invalid.origin)).probe(new AbortController().signal)).toMatchObject({
      ready: false,
      retryable: false,
      reason: expect.stringContaining('validation'),
    });
    const busy = await server(
      replayStream('data:{"error":"Model is overloaded","error_type":"overloaded"}\n\n', 1),
    );
    expect(await provider(target(busy.origin)).probe(new AbortController().signal)).toMatchObject({
      ready: false,
      retryable: true,
    });
    const refused = provider(target(`http://127.0.0.1:${await unusedPort()}`));
    const r = await send(refused);
    expect(r.failure).toMatchObject({ category: 'connect_refused' });
    expect(await refused.probe(new AbortController().signal)).toMatchObject({
      ready: false,
      retryable: true,
    });
  });

  it('waits through a cold start with the readiness loop', async () => {
    const s = await sim({ cold_start_s: 0.4 });
    const readiness = readinessSchema.parse({ timeout_s: 5, initial_interval_s: 0.05, max_interval_s: 0.2 });
    const reasons: string[] = [];
    const report = await waitUntilReady(provider(target(s.origin)), readiness, {
      clock,
      onRetry: (reason) => reasons.push(reason),
    });
    expect(report).toMatchObject({ ready: true, coldStart: true });
    expect(report.probes).toBeGreaterThan(1);
    expect(reasons[0]).toMatch(/HTTP 503 from .*generate_stream.*not ready/);
  });

  it('stops reading and reports aborted when the signal fires mid-stream', async () => {
    const s = await sim({ step_ms: 20 });
    const controller = new AbortController();
    const recorder = new AbortAfter(2, controller);
    await provider(target(s.origin)).send(request(0, { maxTokens: 200 }), recorder, controller.signal);
    expect(recorder.contents).toHaveLength(2);
    expect(recorder.failure).toMatchObject({ category: 'aborted' });
    expect(recorder.terminalCalls).toBe(1);
    const [t] = await waitForTruth(s);
    expect(t).toMatchObject({ fault: 'client_disconnect' });
    expect(t!.outputTokens).toBeLessThan(200);
  });
});

/** Aborts the request once it has received `n` content chunks. */
class AbortAfter extends CollectingRecorder {
  constructor(
    private readonly n: number,
    private readonly controller: AbortController,
  ) {
    super();
  }

  override content(...args: Parameters<CollectingRecorder['content']>): void {
    super.content(...args);
    if (this.contents.length === this.n) this.controller.abort(new Error('stop'));
  }
}

/** The truth log once the server has noticed the end of its one request. */
async function waitForTruth(s: SimHandle): Promise<Awaited<ReturnType<SimHandle['truth']>>> {
  for (let i = 0; i < 100; i++) {
    const truth = await s.truth();
    if (truth.length > 0) return truth;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return s.truth();
}
