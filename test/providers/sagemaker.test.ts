import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readinessSchema,
  sagemakerTargetSchema,
  type SageMakerTargetConfig,
} from '../../src/config/schema.js';
import { waitUntilReady } from '../../src/load/readiness.js';
import { createOpenAIStreamBody } from '../../src/providers/openai-stream.js';
import { classifySageMakerError } from '../../src/providers/sagemaker-errors.js';
import { createFramedBody } from '../../src/providers/sagemaker-framing.js';
import {
  createSageMakerProvider,
  sagemakerRequestBody,
  type SageMakerProviderOptions,
} from '../../src/providers/sagemaker.js';
import { createTgiStreamBody } from '../../src/providers/tgi-stream.js';
import type { Provider, ProviderRequest } from '../../src/providers/types.js';
import type { SimKnobs } from '../../src/sim/knobs.js';
import { payloadPartFrame } from '../../src/sim/sagemaker-wire.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { countTokens } from '../../src/workload/tokenizer.js';
import { sleep, startServer, unusedPort } from '../helpers/sse-server.js';
import type { Responder, TestServer } from '../helpers/sse-server.js';
import { CollectingRecorder, sendAndCollect } from './collecting-recorder.js';
import { feed } from './tgi-stream-control.js';

const FAST = { step_ms: 1, per_seq_ms: 0, prefill_ms_per_1k_tokens: 0, jitter: 0, log_truth: true };
const CREDENTIALS = { accessKeyId: 'AKIDLLMPERFGATETEST', secretAccessKey: 'test-secret-not-real' };
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

async function server(responder: Responder): Promise<TestServer> {
  const s = await startServer(responder);
  cleanups.push(() => s.close());
  return s;
}

function target(endpointUrl: string, overrides: Record<string, unknown> = {}): SageMakerTargetConfig {
  return sagemakerTargetSchema.parse({
    provider: 'sagemaker',
    endpoint_name: 'bench-endpoint',
    region: 'us-west-2',
    endpoint_url: endpointUrl,
    ...overrides,
  });
}

function provider(t: SageMakerTargetConfig, options: Partial<SageMakerProviderOptions> = {}): Provider {
  const p = createSageMakerProvider(t, { clock, connections: 2, credentials: CREDENTIALS, ...options });
  cleanups.push(() => p.close());
  return p;
}

const request = (index = 0, overrides: Partial<ProviderRequest> = {}): ProviderRequest => ({
  index,
  requestId: `sm-req-${index}`,
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

const never = (): AbortSignal => new AbortController().signal;

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** An exception frame inside the event stream (ModelStreamError, InternalStreamFailure). */
function exceptionFrame(type: string, body: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: new TextEncoder().encode(JSON.stringify(body)),
  });
}

/** A 200 event-stream response writing each payload as its own PayloadPart frame, 1 ms apart. */
function parts(payloads: readonly (string | Uint8Array)[], tail: Uint8Array[] = []): Responder {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    for (const payload of payloads) {
      res.write(payloadPartFrame(typeof payload === 'string' ? Buffer.from(payload) : payload));
      await sleep(1);
    }
    for (const frame of tail) res.write(frame);
    res.end();
  };
}

function awsError(res: ServerResponse, status: number, type: string, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  res.end(JSON.stringify(body));
}

/** LMI's default streaming output: JSON lines, the last with generated_text and details. */
const LMI_LINES =
  '{"token": {"id": 304, "text": "Caf", "log_prob": -0.05}}\n' +
  '{"token": {"id": 305, "text": "é 東京", "log_prob": -1.28}}\n' +
  '{"token": {"id": 306, "text": " 🚀", "log_prob": -0.01}, "generated_text": "Café 東京 🚀", ' +
  '"details": {"finish_reason": "length", "generated_tokens": 3, "inputs": "x"}}\n';

const chatLine = (content: string, finish: string | null) =>
  JSON.stringify({
    id: 'chatcmpl-0',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content }, finish_reason: finish }],
  });

describe('SageMaker payload framing', () => {
  it('reads LMI JSON lines split anywhere across parts, inside JSON and inside UTF-8 characters', () => {
    const bytes = Buffer.from(LMI_LINES);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 16 }), (offsets) => {
        const r = feed((c) => createFramedBody(createTgiStreamBody(c)), bytes, offsets);
        expect(r.failure).toBeUndefined();
        expect(r.text()).toBe('Café 東京 🚀');
        expect(r.usages).toEqual([[undefined, 3]]);
        expect(r.endedAt).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('reads TGI SSE split anywhere the same way (CRLF and leading blank bytes included)', () => {
    const sse = LMI_LINES.split('\n')
      .filter((l) => l !== '')
      .map((l) => `data:${l}\r\n\r\n`)
      .join('');
    const bytes = Buffer.from(`\n${sse}`);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 16 }), (offsets) => {
        const r = feed((c) => createFramedBody(createTgiStreamBody(c)), bytes, offsets);
        expect(r.text()).toBe('Café 東京 🚀');
        expect(r.endedAt).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });

  it('ends an LMI chat JSON-lines stream at its finish_reason, and calls it cut without one', () => {
    const chat = (c: Parameters<typeof createOpenAIStreamBody>[1]) =>
      createFramedBody(createOpenAIStreamBody('chat', c), (last) =>
        JSON.parse(last).choices[0].finish_reason ? 'data: [DONE]\n\n' : undefined,
      );
    const done = feed(chat, Buffer.from(`${chatLine(' Oh', null)}\n${chatLine(' hi', 'length')}\n`), [5, 40]);
    expect(done.text()).toBe(' Oh hi');
    expect(done.endedAt).toBeDefined();
    const cut = feed(chat, Buffer.from(`${chatLine(' Oh', null)}\n`));
    expect(cut.failure).toMatchObject({ category: 'stream_cut' });
  });

  it('reports a JSON line that does not parse as malformed', () => {
    const r = feed((c) => createFramedBody(createTgiStreamBody(c)), Buffer.from('{"token": {"id": \n'));
    expect(r.failure).toMatchObject({ category: 'malformed_event' });
  });
});

describe('SageMaker provider: requests', () => {
  it('builds the TGI payload with stream: true and extra_body in parameters, forcing nothing', () => {
    const t = target('http://127.0.0.1:1', { extra_body: { temperature: 0 } });
    expect(sagemakerRequestBody(t, { prompt: 'Hi', maxTokens: 5, forceOutputLength: true })).toBe(
      '{"inputs":"Hi","parameters":{"max_new_tokens":5,"details":true,"temperature":0},"stream":true}',
    );
  });

  it('builds the messages payload, with ignore_eos when the length is forced', () => {
    const t = target('http://127.0.0.1:1', { payload: 'messages', extra_body: { top_p: 1 } });
    expect(sagemakerRequestBody(t, { prompt: 'Hi', maxTokens: 5, forceOutputLength: true })).toBe(
      '{"messages":[{"role":"user","content":"Hi"}],"max_tokens":5,"stream":true,"top_p":1,"ignore_eos":true}',
    );
  });

  it('calls InvokeEndpointWithResponseStream with the component, content type, request id and a SigV4 signature', async () => {
    const s = await server(parts([LMI_LINES]));
    const t = target(s.origin, { endpoint_name: 'my endpoint', inference_component: 'ic-1' });
    const r = await send(provider(t));
    expect(r.failure).toBeUndefined();
    const received = s.requests[0]!;
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/endpoints/my%20endpoint/invocations-response-stream');
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'x-amzn-sagemaker-inference-component': 'ic-1',
      'x-amzn-sagemaker-inference-id': 'sm-req-0',
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIDLLMPERFGATETEST\/\d{8}\/us-west-2\/sagemaker\/aws4_request/,
      ),
    });
    expect(received.headers['x-amzn-sagemaker-accept']).toBeUndefined();
    expect(JSON.parse(received.body)).toEqual({
      inputs: 'Say hello',
      parameters: { max_new_tokens: 8, details: true },
      stream: true,
    });
  });

  it('reassembles parts that split a JSON object and a UTF-8 character, through the SDK', async () => {
    const bytes = Buffer.from(LMI_LINES);
    const cut1 = bytes.indexOf('東') + 1; // inside the 3-byte character
    const cut2 = bytes.indexOf('"text": " 🚀') + 12; // inside the 4-byte emoji
    const s = await server(
      parts([
        bytes.subarray(0, 20),
        bytes.subarray(20, cut1),
        bytes.subarray(cut1, cut2),
        bytes.subarray(cut2),
      ]),
    );
    const r = await send(provider(target(s.origin)));
    expect(r.failure).toBeUndefined();
    expect(r.text()).toBe('Café 東京 🚀');
    expect(r.usages).toEqual([[undefined, 3]]);
    const ats = r.contents.map((c) => c.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(r.responseAt).toBeLessThanOrEqual(ats[0]!);
  });

  it('keeps at most max_connections sockets open and reuses them', async () => {
    const s = await server(async (req, res, raw) => {
      await sleep(30);
      await parts([LMI_LINES])(req, res, raw);
    });
    const p = provider(target(s.origin, { max_connections: 2 }), { connections: 8 });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => send(p, request(i))));
    expect(results.every((r) => r.failure === undefined)).toBe(true);
    expect(s.connections).toBe(2);
    expect(results.filter((r) => r.connectMs.length === 1)).toHaveLength(2);
  });

  it('stamps the response when its headers arrive, before the SDK has read the first event', async () => {
    const s = await server(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.flushHeaders();
      await sleep(120);
      res.end(payloadPartFrame(Buffer.from(LMI_LINES)));
    });
    const r = await send(provider(target(s.origin)));
    expect(r.failure).toBeUndefined();
    // The server holds the first event back for 120 ms after the headers.
    expect(r.contents[0]!.at - r.responseAt!).toBeGreaterThan(60);
  });
});

describe('SageMaker provider against the simulator', () => {
  it('counts exactly the tokens the server generated (TGI payload), correlated by InferenceId', async () => {
    const s = await sim();
    const p = provider(target(s.origin));
    const prompt = 'Summarise the history of the printing press. '.repeat(6);
    const recorders: CollectingRecorder[] = [];
    for (let i = 0; i < 5; i++) recorders.push(await send(p, request(i, { prompt, maxTokens: 6 + i })));
    const truth = new Map((await s.truth()).map((t) => [t.requestId, t]));
    recorders.forEach((r, i) => {
      const t = truth.get(`sm-req-${i}`)!;
      expect(r.failure).toBeUndefined();
      expect(t.outputTokens).toBe(6 + i);
      expect(r.usages).toEqual([[countTokens(prompt), t.outputTokens]]);
      expect(r.contents).toHaveLength(t.outputTokens);
      expect(countTokens(r.text())).toBe(t.outputTokens);
      expect(r.calls.indexOf('responseStarted')).toBeLessThan(r.calls.indexOf('content'));
    });
    expect(recorders[0]!.connectMs).toHaveLength(1);
    expect(recorders.slice(1).every((r) => r.connectMs.length === 0)).toBe(true);
  });

  it('reads the messages payload: OpenAI chunks, usage only when extra_body asks for it', async () => {
    const s = await sim();
    const plain = await send(
      provider(target(s.origin, { payload: 'messages' })),
      request(0, { maxTokens: 7 }),
    );
    expect(plain.failure).toBeUndefined();
    expect(plain.usages).toEqual([]);
    expect(countTokens(plain.text())).toBe(7);
    const withUsage = await send(
      provider(
        target(s.origin, { payload: 'messages', extra_body: { stream_options: { include_usage: true } } }),
      ),
      request(1, { maxTokens: 7 }),
    );
    expect(withUsage.usages).toEqual([[countTokens('Say hello'), 7]]);
  });

  it('reads reasoning chunks of the messages payload as reasoning', async () => {
    const s = await sim({ reasoning_tokens: 3 });
    const r = await send(provider(target(s.origin, { payload: 'messages' })), request(0, { maxTokens: 8 }));
    expect(countTokens(r.text('reasoning'))).toBe(3);
    expect(countTokens(r.text('text'))).toBe(5);
  });

  it('forces the length of a messages request with ignore_eos', async () => {
    const s = await sim({ early_stop_rate: 1 });
    const p = provider(target(s.origin, { payload: 'messages' }));
    const r = await send(p, request(0, { maxTokens: 20, forceOutputLength: true }));
    expect(countTokens(r.text())).toBe(20);
  });

  it.each([
    ['error_rate (ModelError wrapping a 500)', 'http_5xx', { error_rate: 1 }, 500],
    ['cold_start_s (ModelNotReadyException)', 'not_ready', { cold_start_s: 30 }, 429],
    ['rate_limit_in_flight (ThrottlingException)', 'http_429', { rate_limit_in_flight: 1, step_ms: 30 }, 400],
    ['stream_error_rate (ModelStreamError frame)', 'stream_error', { stream_error_rate: 1 }, undefined],
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

  it('fails fast on an unknown endpoint: http_4xx, and a probe that does not retry', async () => {
    const s = await sim({ model: 'the-real-endpoint' });
    const p = provider(target(s.origin));
    const r = await send(p);
    expect(r.failure).toMatchObject({ category: 'http_4xx', status: 400 });
    expect(r.failure?.detail).toMatch(/ValidationError: Endpoint bench-endpoint .*not found/);
    expect(await p.probe(never())).toMatchObject({
      ready: false,
      retryable: false,
      reason: expect.stringContaining('SageMaker endpoint bench-endpoint'),
    });
    expect(await provider(target(s.origin, { endpoint_name: 'the-real-endpoint' })).probe(never())).toEqual({
      ready: true,
    });
  });

  it('waits through a cold start (ModelNotReadyException) with the readiness loop', async () => {
    const s = await sim({ cold_start_s: 0.4 });
    const readiness = readinessSchema.parse({ timeout_s: 5, initial_interval_s: 0.05, max_interval_s: 0.2 });
    const reasons: string[] = [];
    const report = await waitUntilReady(provider(target(s.origin)), readiness, {
      clock,
      onRetry: (reason) => reasons.push(reason),
    });
    expect(report).toMatchObject({ ready: true, coldStart: true });
    expect(reasons[0]).toMatch(/ModelNotReadyException.*not ready/);
  });

  it('stops reading and reports aborted when the signal fires mid-stream', async () => {
    const s = await sim({ step_ms: 20 });
    const controller = new AbortController();
    const recorder = new AbortAfter(2, controller);
    const started = clock();
    await provider(target(s.origin)).send(request(0, { maxTokens: 200 }), recorder, controller.signal);
    expect(clock() - started).toBeLessThan(2000); // not the 4 s the whole response takes
    expect(recorder.contents).toHaveLength(2);
    expect(recorder.failure).toMatchObject({ category: 'aborted' });
    expect(recorder.terminalCalls).toBe(1);
  });
});

describe('SageMaker provider: errors from the service', () => {
  it.each([
    [
      'AccessDeniedException',
      403,
      { message: 'User is not authorized to perform sagemaker:InvokeEndpoint' },
      'http_4xx',
      false,
    ],
    ['ThrottlingException', 400, { message: 'Rate exceeded' }, 'http_429', true],
    ['ServiceUnavailable', 503, { Message: 'Service is unavailable' }, 'http_5xx', true],
    ['InternalFailure', 500, { Message: 'internal' }, 'http_5xx', true],
    [
      'ModelError',
      424,
      {
        Message: 'Received server error (503)',
        OriginalStatusCode: 503,
        OriginalMessage: 'model is not ready: loading',
      },
      'not_ready',
      true,
    ],
    [
      'ModelError',
      424,
      {
        Message: 'Received client error (422)',
        OriginalStatusCode: 422,
        OriginalMessage: 'Input validation error',
      },
      'http_4xx',
      false,
    ],
    [
      'ValidationError',
      400,
      { message: 'Inference Component has no capacity to process this request' },
      'not_ready',
      true,
    ],
  ] as const)(
    'maps %s (HTTP %s) to its category and probe retryability',
    async (type, status, body, category, retryable) => {
      const s = await server((_req, res) => awsError(res, status, type, body));
      const p = provider(target(s.origin));
      const r = await send(p);
      expect(r.failure).toMatchObject({ category });
      expect(r.failure?.detail).toContain(type);
      expect(r.status).toBe(status);
      expect(await p.probe(never())).toMatchObject({ ready: false, retryable });
    },
  );

  it('maps an InternalStreamFailure exception mid-stream to stream_error', async () => {
    const s = await server(
      parts(
        ['{"token": {"text": "a"}}\n'],
        [exceptionFrame('InternalStreamFailure', { Message: 'stream failed' })],
      ),
    );
    const r = await send(provider(target(s.origin)));
    expect(r.text()).toBe('a');
    expect(r.failure).toMatchObject({ category: 'stream_error' });
    expect(r.failure?.detail).toContain('InternalStreamFailure');
  });

  it('calls a frame cut off by the socket a cut stream', async () => {
    const s = await server(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      const frame = payloadPartFrame(Buffer.from('{"token": {"text": "a"}}\n'));
      res.write(frame);
      await sleep(2);
      res.end(payloadPartFrame(Buffer.from('{"token": {"text": "b"}}\n')).subarray(0, 20));
    });
    const r = await send(provider(target(s.origin)));
    expect(r.text()).toBe('a');
    expect(r.failure).toMatchObject({ category: 'stream_cut' });
  });

  it.each([
    [
      'missing credentials',
      { name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' },
      false,
      'http_4xx',
      false,
    ],
    [
      'a reset before the response',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      false,
      'connection',
      true,
    ],
    [
      'a reset mid-stream',
      Object.assign(new Error('aborted'), { code: 'ECONNRESET' }),
      true,
      'stream_cut',
      true,
    ],
    [
      'an unknown host',
      Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' }),
      false,
      'dns',
      false,
    ],
    [
      'a corrupt frame',
      new Error('Checksum mismatch: expected 1, calculated 2'),
      true,
      'malformed_event',
      false,
    ],
    ['a truncated frame', new Error('Truncated event message received.'), true, 'stream_cut', true],
    [
      'a ModelStreamError',
      Object.assign(new Error('timed out'), {
        name: 'ModelStreamError',
        ErrorCode: 'ModelInvocationTimeExceeded',
      }),
      true,
      'stream_error',
      true,
    ],
  ] as const)('classifies %s', (_name, error, started, category, retryable) => {
    expect(classifySageMakerError(error, started)).toMatchObject({ category, retryable });
  });

  it('reports a refused connection as connect_refused, and the probe retries', async () => {
    const p = provider(target(`http://127.0.0.1:${await unusedPort()}`));
    expect((await send(p)).failure).toMatchObject({ category: 'connect_refused' });
    expect(await p.probe(never())).toMatchObject({ ready: false, retryable: true });
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
