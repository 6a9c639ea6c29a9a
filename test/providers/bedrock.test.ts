/**
 * The Bedrock provider with the real AWS SDK client against the simulator's Bedrock face on loopback (endpoint
 * override, static dummy credentials), over HTTP/2 cleartext and HTTP/1.1.
 */
import { readFileSync } from 'node:fs';
import { createServer as createH1Server } from 'node:https';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bedrockTargetSchema, readinessSchema, type BedrockTargetConfig } from '../../src/config/schema.js';
import { waitUntilReady } from '../../src/load/readiness.js';
import { createBedrockProvider, type BedrockProviderOptions } from '../../src/providers/bedrock.js';
import type { ErrorCategory, Provider, ProviderRequest } from '../../src/providers/types.js';
import { createBedrockH2Listener } from '../../src/sim/bedrock-face.js';
import { DEMO_MODEL_ARN } from '../../src/sim/bedrock-demo.js';
import { parseKnobs, type SimKnobs } from '../../src/sim/knobs.js';
import { createSimListener } from '../../src/sim/router.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { Simulation } from '../../src/sim/simulation.js';
import { sendJson, startServer, unusedPort } from '../helpers/sse-server.js';
import { CollectingRecorder } from './collecting-recorder.js';

const FAST = { step_ms: 2, per_seq_ms: 0, prefill_ms_per_1k_tokens: 0, jitter: 0, log_truth: true };
const CREDENTIALS = { accessKeyId: 'TESTACCESSKEYID', secretAccessKey: 'test-secret-access-key' };
const clock = (): number => performance.now();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(knobs: Partial<SimKnobs> = {}): Promise<SimHandle> {
  const s = await startSimulator({ ...FAST, ...knobs });
  cleanups.push(() => s.close());
  return s;
}

type Handler = 'http2' | 'http1';
type Api = 'converse' | 'invoke';

function target(endpoint: string, overrides: Record<string, unknown> = {}): BedrockTargetConfig {
  return bedrockTargetSchema.parse({
    provider: 'bedrock',
    model_id: DEMO_MODEL_ARN,
    region: 'us-east-1',
    endpoint_url: endpoint,
    ...overrides,
  });
}

/** A target for `handler` and `api` against the simulator's matching origin. */
function simTarget(
  s: SimHandle,
  handler: Handler,
  api: Api,
  overrides: Record<string, unknown> = {},
): BedrockTargetConfig {
  return target(handler === 'http2' ? s.h2Origin : s.origin, { api, http: { handler }, ...overrides });
}

function provider(t: BedrockTargetConfig, options: Partial<BedrockProviderOptions> = {}): Provider {
  const p = createBedrockProvider(t, { clock, connections: 4, credentials: CREDENTIALS, ...options });
  cleanups.push(() => p.close());
  return p;
}

/** A CollectingRecorder that also keeps the server latency. */
class Recorder extends CollectingRecorder {
  latency: number | undefined;
  override serverLatency(ms?: number): void {
    super.serverLatency();
    this.latency = ms;
  }
}

/** Aborts its request when the first content arrives. */
class AbortingRecorder extends Recorder {
  constructor(private readonly controller: AbortController) {
    super();
  }
  override content(...args: Parameters<Recorder['content']>): void {
    super.content(...args);
    this.controller.abort(new Error('stop after the first token'));
  }
}

let nextId = 0;
const request = (overrides: Partial<ProviderRequest> = {}): ProviderRequest => ({
  index: nextId,
  requestId: `bedrock-test-${nextId++}`,
  prompt: 'Tell me about the state of the union',
  inputTokens: 8,
  maxTokens: 12,
  forceOutputLength: false,
  ...overrides,
});

async function send(
  p: Provider,
  req = request(),
  signal = new AbortController().signal,
): Promise<Recorder & { sentAt: number }> {
  const recorder = Object.assign(new Recorder(), { sentAt: clock() });
  await p.send(req, recorder, signal);
  expect(recorder.terminalCalls).toBe(1);
  expect(recorder.calls.at(-1)).toMatch(/^(ended|failed)$/);
  return recorder;
}

const COMBINATIONS = [
  ['http2', 'converse'],
  ['http2', 'invoke'],
  ['http1', 'converse'],
  ['http1', 'invoke'],
] as const;

describe('Bedrock provider: streams against the simulator', () => {
  it.each(COMBINATIONS)(
    '%s %s: content, usage, server latency and TTFT match the simulator truth',
    async (handler, api) => {
      // Tokens 30 ms apart: a first-token stamp taken one event late would be off by at least that much.
      const s = await sim({ step_ms: 30 });
      const p = provider(simTarget(s, handler, api));
      const diffs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const req = request({ maxTokens: 4 });
        const r = await send(p, req);
        expect(r.failure).toBeUndefined();
        expect(r.status).toBe(200);
        const truth = (await s.truth()).find((t) => t.requestId === req.requestId);
        expect(truth).toMatchObject({ status: 200, outputTokens: req.maxTokens });
        expect(r.contents).toHaveLength(truth!.outputTokens);
        expect(r.text().trim().split(' ')).toHaveLength(truth!.outputTokens);
        expect(r.usages.at(-1)).toEqual([truth!.inputTokens, truth!.outputTokens]);
        expect(r.latency).toBeGreaterThan(0);
        // The simulator computes the latency it reports (rounded to 1 ms) as it builds the last frames, before they
        // are flushed; its truth's end is stamped at the flush, later by up to a few ms on a loaded machine.
        const served = truth!.endMs - truth!.arrivalMs;
        expect(r.latency!).toBeLessThanOrEqual(served + 0.5);
        expect(r.latency!).toBeGreaterThan(served - 10);
        const ats = r.contents.map((c) => c.at);
        expect(ats).toEqual([...ats].sort((a, b) => a - b));
        expect(r.responseAt).toBeLessThanOrEqual(ats[0]!);
        diffs.push(ats[0]! - r.sentAt - (truth!.firstTokenMs! - truth!.arrivalMs));
      }
      // The client sees the first token only after the server wrote it; SDK signing, loopback and decoding add a
      // few ms (the benchmark figures are in the report), more on a loaded machine.
      expect(Math.min(...diffs)).toBeGreaterThan(-0.5);
      diffs.sort((a, b) => a - b);
      expect(diffs[2]!).toBeLessThan(25);
    },
  );

  it('invoke llama body: per-chunk token counts from generation_token_count', async () => {
    const s = await sim({ tokens_per_chunk: 3 });
    const r = await send(provider(simTarget(s, 'http2', 'invoke')), request({ maxTokens: 7 }));
    expect(r.contents.map((c) => c.tokens)).toEqual([1, 3, 3]);
  });

  it('invoke openai body: reasoning then text chunks, usage from the final chunk', async () => {
    const s = await sim({ reasoning_tokens: 3 });
    const r = await send(
      provider(simTarget(s, 'http1', 'invoke', { invoke_body: 'openai' })),
      request({ maxTokens: 8 }),
    );
    expect(r.contents.map((c) => c.kind)).toEqual([
      ...Array<string>(3).fill('reasoning'),
      ...Array<string>(5).fill('text'),
    ]);
    expect(r.usages.at(-1)).toEqual([8, 8]);
  });

  it('invoke template body: the placeholders reach the model (max_tokens as a number)', async () => {
    const s = await sim();
    const t = simTarget(s, 'http2', 'invoke', {
      invoke_body: 'template',
      body_template: {
        inputs: '<s>[INST] {{prompt}} [/INST]',
        parameters: { max_new_tokens: '{{max_tokens}}' },
      },
    });
    const r = await send(provider(t), request({ maxTokens: 5 }));
    expect(r.endedAt).toBeDefined();
    const [truth] = await s.truth();
    expect(truth).toMatchObject({ outputTokens: 5 });
    // The template's own text counts as prompt tokens too.
    expect(truth!.inputTokens).toBeGreaterThan(8);
  });

  it('converse reasoning: reasoning content first, then the answer', async () => {
    const s = await sim({ reasoning_tokens: 2 });
    const r = await send(provider(simTarget(s, 'http2', 'converse')), request({ maxTokens: 5 }));
    expect(r.contents.map((c) => c.kind)).toEqual(['reasoning', 'reasoning', 'text', 'text', 'text']);
  });

  it.each(['http2', 'http1'] as const)('%s: reads frames split across TCP writes', async (handler) => {
    const s = await sim({ split_frames: true });
    for (const api of ['converse', 'invoke'] as const) {
      const r = await send(provider(simTarget(s, handler, api)), request({ maxTokens: 6 }));
      expect(r.endedAt).toBeDefined();
      expect(r.contents).toHaveLength(6);
    }
  });
});

describe('Bedrock provider: connections', () => {
  it('http2 (the SDK default) opens a new connection for every stream; http1 reuses a keep-alive pool', async () => {
    const s = await sim();
    const h2 = provider(simTarget(s, 'http2', 'converse'));
    const h1 = provider(
      simTarget(s, 'http1', 'converse', { http: { handler: 'http1', max_connections: 2 } }),
    );
    const connects = async (p: Provider): Promise<number> => {
      const rounds: Recorder[][] = [];
      for (let round = 0; round < 3; round++) {
        rounds.push(
          await Promise.all([send(p, request({ maxTokens: 3 })), send(p, request({ maxTokens: 3 }))]),
        );
      }
      const all = rounds.flat();
      expect(all.every((r) => r.endedAt !== undefined)).toBe(true);
      return all.filter((r) => r.connectMs.length > 0).length;
    };
    expect(await connects(h2)).toBe(6);
    expect(await connects(h1)).toBeLessThanOrEqual(2);
  });

  it.each(['http2', 'http1'] as const)(
    '%s over TLS: ALPN and certificate checks work, connections are timed',
    async (handler) => {
      const wire = join(import.meta.dirname, '../../fixtures/wire/tls');
      const tls = {
        cert: readFileSync(join(wire, 'localhost-cert.pem')),
        key: readFileSync(join(wire, 'localhost-key.pem')),
      };
      const simulation = new Simulation(parseKnobs(FAST));
      simulation.markStarted();
      const server =
        handler === 'http2'
          ? createSecureServer(tls, createBedrockH2Listener(simulation))
          : createH1Server(tls, createSimListener(simulation));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanups.push(async () => {
        simulation.stop();
        server.close();
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
      const t = target(origin, { http: { handler } });
      const trusted = await send(provider(t, { tls: { ca: tls.cert } }));
      expect(trusted.endedAt).toBeDefined();
      expect(trusted.connectMs).toHaveLength(1);
      const untrusted = await send(provider(t));
      expect(untrusted.failure?.category).toBe('tls');
    },
  );
});

describe('Bedrock provider: failures', () => {
  const BEFORE: [string, Partial<SimKnobs>, ErrorCategory, number, string][] = [
    ['error_rate', { error_rate: 1 }, 'http_5xx', 500, 'InternalServerException'],
    ['cold_start_s', { cold_start_s: 60 }, 'not_ready', 429, 'ModelNotReadyException'],
    ['model mismatch', { model: 'another-model' }, 'http_4xx', 400, 'ValidationException'],
  ];
  const DURING: [string, Partial<SimKnobs>, ErrorCategory, RegExp][] = [
    ['disconnect_rate', { disconnect_rate: 1 }, 'stream_cut', /connection lost mid-stream/],
    ['malformed_rate', { malformed_rate: 1 }, 'malformed_event', /checksum/],
    ['stream_error_rate', { stream_error_rate: 1 }, 'stream_error', /^ModelStreamErrorException mid-stream/],
    ['stream_throttle_rate', { stream_throttle_rate: 1 }, 'http_429', /^ThrottlingException mid-stream/],
  ];

  it.each(COMBINATIONS)('%s %s: every simulator fault becomes its category', async (handler, api) => {
    for (const [name, knobs, category, status, exception] of BEFORE) {
      const s = await sim(knobs);
      const r = await send(provider(simTarget(s, handler, api)));
      expect(r.failure, name).toMatchObject({
        category,
        status,
        detail: expect.stringContaining(`HTTP ${status} ${exception}: `) as string,
      });
      expect(r.responseAt).toBeDefined();
    }
    for (const [name, knobs, category, detail] of DURING) {
      const s = await sim(knobs);
      const r = await send(provider(simTarget(s, handler, api)), request({ maxTokens: 20 }));
      expect(r.failure, name).toMatchObject({ category, detail: expect.stringMatching(detail) as string });
      expect(r.contents.length, name).toBeGreaterThanOrEqual(1);
    }
  });

  it('rate_limit_in_flight: the request over the limit gets ThrottlingException → http_429', async () => {
    const s = await sim({ rate_limit_in_flight: 1, step_ms: 20 });
    const p = provider(simTarget(s, 'http2', 'converse'));
    const results = await Promise.all([
      send(p, request({ maxTokens: 5 })),
      send(p, request({ maxTokens: 5 })),
    ]);
    expect(results.map((r) => r.failure?.category ?? 'ok').sort()).toEqual(['http_429', 'ok']);
  });

  it('errors the simulator never sends are read from x-amzn-errortype and classified', async () => {
    let answer = { status: 403, type: 'AccessDeniedException' };
    const server = await startServer((_req, res) => {
      res.setHeader(
        'x-amzn-errortype',
        `${answer.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      );
      sendJson(res, answer.status, { message: `simulated ${answer.type}` });
    });
    cleanups.push(() => server.close());
    const p = provider(target(server.origin, { http: { handler: 'http1' } }));
    const cases: [number, string, ErrorCategory, boolean][] = [
      [403, 'AccessDeniedException', 'http_4xx', false],
      [404, 'ResourceNotFoundException', 'http_4xx', false],
      [403, 'UnrecognizedClientException', 'http_4xx', false],
      [408, 'ModelTimeoutException', 'http_5xx', true],
      [503, 'ServiceUnavailableException', 'http_5xx', true],
      [429, 'ThrottlingException', 'http_429', true],
    ];
    for (const [status, type, category, retryable] of cases) {
      answer = { status, type };
      const r = await send(p);
      expect(r.failure).toEqual({
        at: expect.any(Number) as number,
        category,
        status,
        detail: `HTTP ${status} ${type}: simulated ${type}`,
      });
      const probe = await p.probe(new AbortController().signal);
      expect(probe).toEqual({
        ready: false,
        retryable,
        reason: `Bedrock model ${DEMO_MODEL_ARN}: HTTP ${status} ${type}: simulated ${type}`,
      });
    }
    // The SDK sent a signed request with our request id, to the URL-encoded model path.
    const sent = server.requests.at(-1)!;
    expect(sent.url).toBe(`/model/${encodeURIComponent(DEMO_MODEL_ARN)}/converse-stream`);
    expect(sent.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=TESTACCESSKEYID\//);
    expect(sent.headers['x-request-id']).toBe('llm-perf-gate-probe');
    expect(JSON.stringify(server.requests)).not.toContain(CREDENTIALS.secretAccessKey);
  });

  it.each(['http2', 'http1'] as const)(
    '%s: connection refused → connect_refused, and the probe keeps waiting',
    async (handler) => {
      const p = provider(target(`http://127.0.0.1:${await unusedPort()}`, { http: { handler } }));
      const r = await send(p);
      expect(r.failure?.category).toBe('connect_refused');
      expect(await p.probe(new AbortController().signal)).toMatchObject({ ready: false, retryable: true });
    },
  );

  it.each(['http2', 'http1'] as const)(
    '%s: abort mid-stream → aborted at once, the stream is released',
    async (handler) => {
      const s = await sim({ step_ms: 40 });
      const p = provider(simTarget(s, handler, 'converse'));
      const controller = new AbortController();
      const recorder = new AbortingRecorder(controller);
      const started = clock();
      await p.send(request({ maxTokens: 100 }), recorder, controller.signal);
      expect(clock() - started).toBeLessThan(2000);
      expect(recorder.failure?.category).toBe('aborted');
      expect(recorder.contents).toHaveLength(1);
      // The server saw the client go away long before the 100 tokens (4 s) were generated.
      await expect.poll(async () => (await s.truth())[0]?.fault, { timeout: 2000 }).toBe('client_disconnect');
      const again = await send(p, request({ maxTokens: 2 }));
      expect(again.endedAt).toBeDefined();
      const before = new AbortController();
      before.abort(new Error('already'));
      expect((await send(p, request(), before.signal)).failure?.category).toBe('aborted');
    },
  );
});

describe('Bedrock provider: readiness', () => {
  it('waits out a cold start (ModelNotReadyException) through the readiness loop', async () => {
    const s = await sim({ cold_start_s: 0.6 });
    const p = provider(simTarget(s, 'http2', 'invoke'));
    const reasons: string[] = [];
    const report = await waitUntilReady(
      p,
      readinessSchema.parse({ timeout_s: 10, initial_interval_s: 0.1, max_interval_s: 0.2 }),
      {
        clock,
        onRetry: (reason) => reasons.push(reason),
      },
    );
    expect(report).toMatchObject({ ready: true, coldStart: true });
    expect(report.waitedMs).toBeGreaterThan(400);
    expect(reasons[0]).toContain('HTTP 429 ModelNotReadyException: Model is not ready');
  });

  it('gives up at once when the model id is invalid', async () => {
    const s = await sim({ model: 'another-model' });
    const p = provider(simTarget(s, 'http1', 'converse'));
    const report = await waitUntilReady(p, readinessSchema.parse({ timeout_s: 10 }), { clock });
    expect(report).toMatchObject({ ready: false, fatal: true, probes: 1 });
    expect(report.lastReason).toContain('ValidationException: The provided model identifier is invalid.');
  });
});
