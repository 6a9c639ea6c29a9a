/**
 * The simulator's Bedrock face on the wire, without the AWS SDK: routes, event-stream frames, error responses and
 * faults, over HTTP/1.1 (fetch) and HTTP/2 cleartext (node:http2).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { build } from 'esbuild';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEMO_MODEL_ARN } from '../../src/sim/bedrock-demo.js';
import type { SimKnobs } from '../../src/sim/knobs.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { startSimulatorInWorker } from '../../src/sim/worker.js';

const FAST = { step_ms: 1, per_seq_ms: 0, prefill_ms_per_1k_tokens: 0, jitter: 0, log_truth: true };

const sims: SimHandle[] = [];
async function start(knobs: Partial<SimKnobs> = {}): Promise<SimHandle> {
  const sim = await startSimulator({ ...FAST, ...knobs });
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** One frame as read off the wire; `corrupt` when the codec rejects it (bad CRC). */
interface Frame {
  readonly type: string;
  readonly kind: string;
  readonly body: Record<string, unknown>;
  readonly corrupt: boolean;
}

/** Split a response body into frames by their length preludes, decoding each on its own. */
function framesOf(bytes: Uint8Array): Frame[] {
  const frames: Frame[] = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + offset).getUint32(0);
    const raw = bytes.subarray(offset, offset + length);
    offset += length;
    try {
      const message = codec.decode(raw);
      const h = (name: string): string => String(message.headers[name]?.value ?? '');
      frames.push({
        type: h(':event-type') || h(':exception-type'),
        kind: h(':message-type'),
        body: JSON.parse(new TextDecoder().decode(message.body)) as Record<string, unknown>,
        corrupt: false,
      });
    } catch {
      frames.push({ type: '', kind: '', body: {}, corrupt: true });
    }
  }
  return frames;
}

/** A response as the client saw it. */
interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Body bytes in the pieces they arrived in. */
  readonly pieces: Buffer[];
  readonly frames: Frame[];
  /** JSON body of an error response. */
  readonly json: Record<string, unknown> | undefined;
  /** The body broke off (socket destroyed, stream reset). */
  readonly broken: boolean;
}

function reply(status: number, headers: Record<string, string>, pieces: Buffer[], broken: boolean): Reply {
  const bytes = Buffer.concat(pieces);
  const stream = headers['content-type'] === 'application/vnd.amazon.eventstream';
  return {
    status,
    headers,
    pieces,
    frames: stream ? framesOf(bytes) : [],
    json: !stream && bytes.length > 0 ? (JSON.parse(bytes.toString()) as Record<string, unknown>) : undefined,
    broken,
  };
}

/** POST over HTTP/1.1. */
async function post1(
  origin: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(origin + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const pieces: Buffer[] = [];
  let broken = false;
  try {
    for await (const piece of response.body ?? []) pieces.push(Buffer.from(piece as Uint8Array));
  } catch {
    broken = true;
  }
  return reply(response.status, Object.fromEntries(response.headers), pieces, broken);
}

/** POST over HTTP/2 cleartext with prior knowledge, as the SDK's NodeHttp2Handler does. */
function post2(origin: string, path: string, body: unknown, method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const session = connect(origin);
    session.on('error', reject);
    const stream = session.request({ ':method': method, ':path': path, 'content-type': 'application/json' });
    const pieces: Buffer[] = [];
    let status = 0;
    let headers: Record<string, string> = {};
    stream.on('response', (h) => {
      status = Number(h[':status']);
      headers = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));
    });
    stream.on('data', (piece: Buffer) => pieces.push(piece));
    const finish = (broken: boolean): void => {
      session.close();
      resolve(reply(status, headers, pieces, broken));
    };
    stream.on('end', () => finish(false));
    stream.on('error', () => finish(true));
    if (method === 'GET') stream.end();
    else stream.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

const converseBody = (text: string, maxTokens: number, extra: Record<string, unknown> = {}) => ({
  messages: [{ role: 'user', content: [{ text }] }],
  inferenceConfig: { maxTokens },
  ...extra,
});
const CONVERSE = `/model/${encodeURIComponent(DEMO_MODEL_ARN)}/converse-stream`;
const INVOKE = `/model/${encodeURIComponent(DEMO_MODEL_ARN)}/invoke-with-response-stream`;

const deltas = (frames: readonly Frame[]) =>
  frames.filter((f) => f.type === 'contentBlockDelta').map((f) => f.body['delta'] as Record<string, unknown>);

/** The JSON payloads inside invoke `chunk` events. */
const payloads = (frames: readonly Frame[]) =>
  frames
    .filter((f) => f.type === 'chunk')
    .map(
      (f) =>
        JSON.parse(Buffer.from(f.body['bytes'] as string, 'base64').toString()) as Record<string, unknown>,
    );

describe('Bedrock face: ConverseStream', () => {
  it.each(['http1', 'http2'] as const)('streams the events the SDK reads, over %s', async (transport) => {
    const sim = await start();
    const send =
      transport === 'http1'
        ? post1(sim.origin, CONVERSE, converseBody('hello there', 5), { 'x-request-id': 'c-1' })
        : post2(sim.h2Origin, CONVERSE, converseBody('hello there', 5));
    const r = await send;
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.amazon.eventstream');
    expect(r.frames.map((f) => f.type)).toEqual([
      'messageStart',
      ...Array<string>(5).fill('contentBlockDelta'),
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    expect(r.frames.every((f) => f.kind === 'event' && typeof f.body['p'] === 'string')).toBe(true);
    expect(r.frames[0]?.body).toMatchObject({ role: 'assistant' });
    const text = deltas(r.frames)
      .map((d) => d['text'])
      .join('');
    expect(text.trim().split(' ')).toHaveLength(5);
    const [truth] = await sim.truth();
    expect(r.headers['x-amzn-requestid']).toBe(truth?.requestId);
    if (transport === 'http1') expect(truth?.requestId).toBe('c-1');
    expect(r.frames.at(-2)?.body).toMatchObject({ stopReason: 'max_tokens' });
    expect(r.frames.at(-1)?.body).toMatchObject({
      usage: { inputTokens: 2, outputTokens: 5, totalTokens: 7 },
      metrics: { latencyMs: expect.any(Number) as number },
    });
    expect(truth).toMatchObject({ status: 200, outputTokens: 5, inputTokens: 2 });
  });

  it('streams reasoning tokens as reasoningContent in block 0, then the answer in block 1', async () => {
    const sim = await start({ reasoning_tokens: 3 });
    const r = await post1(sim.origin, CONVERSE, converseBody('think', 6));
    const blocks = r.frames
      .filter((f) => f.type.startsWith('contentBlock'))
      .map((f) => `${f.type}:${String(f.body['contentBlockIndex'])}`);
    expect(blocks).toEqual([
      ...Array<string>(3).fill('contentBlockDelta:0'),
      'contentBlockStop:0',
      ...Array<string>(3).fill('contentBlockDelta:1'),
      'contentBlockStop:1',
    ]);
    const reasoning = deltas(r.frames).filter((d) => d['reasoningContent'] !== undefined);
    expect(reasoning).toHaveLength(3);
  });

  it('honours ignore_eos in additionalModelRequestFields and reports early stops as end_turn', async () => {
    const sim = await start({ early_stop_rate: 1 });
    const early = await post1(sim.origin, CONVERSE, converseBody('x', 40));
    expect(early.frames.at(-2)?.body).toMatchObject({ stopReason: 'end_turn' });
    const forced = await post1(
      sim.origin,
      CONVERSE,
      converseBody('x', 40, { additionalModelRequestFields: { ignore_eos: true } }),
    );
    expect(forced.frames.at(-2)?.body).toMatchObject({ stopReason: 'max_tokens' });
    expect((await sim.truth()).map((t) => t.outputTokens)[1]).toBe(40);
  });
});

describe('Bedrock face: InvokeModelWithResponseStream', () => {
  it('streams Llama chunks (base64 JSON) with cumulative counts and the final invocation metrics', async () => {
    const sim = await start();
    const r = await post2(sim.h2Origin, INVOKE, { prompt: 'hello there', max_gen_len: 4 });
    expect(r.status).toBe(200);
    expect(r.headers['x-amzn-bedrock-content-type']).toBe('application/json');
    const p = payloads(r.frames);
    expect(p.map((c) => c['generation_token_count'])).toEqual([1, 2, 3, 4, 4]);
    expect(p.map((c) => c['prompt_token_count'])).toEqual([2, null, null, null, null]);
    expect(p.map((c) => c['stop_reason'])).toEqual([null, null, null, null, 'length']);
    expect(p.at(-1)).toMatchObject({
      generation: '',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: 2,
        outputTokenCount: 4,
        invocationLatency: expect.any(Number) as number,
        firstByteLatency: expect.any(Number) as number,
      },
    });
  });

  it('answers an OpenAI messages body with OpenAI chat chunks, reasoning first, usage and metrics last', async () => {
    const sim = await start({ reasoning_tokens: 2 });
    const r = await post1(sim.origin, INVOKE, { messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
    const p = payloads(r.frames);
    const delta = (c: Record<string, unknown>) =>
      ((c['choices'] as Record<string, unknown>[])[0]?.['delta'] ?? {}) as Record<string, unknown>;
    expect(p.filter((c) => delta(c)['reasoning_content'] !== undefined)).toHaveLength(2);
    expect(p.filter((c) => delta(c)['content'] !== undefined)).toHaveLength(3);
    expect(p.at(-1)).toMatchObject({
      choices: [{ finish_reason: 'length' }],
      usage: { prompt_tokens: 1, completion_tokens: 5 },
      'amazon-bedrock-invocationMetrics': { outputTokenCount: 5 },
    });
  });

  it('reads a TGI-style body (inputs, parameters.max_new_tokens) and decodes ARNs in the path', async () => {
    const sim = await start({ model: DEMO_MODEL_ARN });
    const r = await post1(sim.origin, INVOKE, { inputs: 'hello', parameters: { max_new_tokens: 3 } });
    expect(payloads(r.frames).at(-1)).toMatchObject({ generation_token_count: 3, stop_reason: 'length' });
    const other = await post1(sim.origin, '/model/other-model/invoke-with-response-stream', { prompt: 'x' });
    expect(other.status).toBe(400);
    expect(other.headers['x-amzn-errortype']).toMatch(/^ValidationException:/);
    expect((await sim.truth()).map((t) => t.fault)).toEqual([undefined, 'unknown_model']);
  });
});

describe('Bedrock face: errors before the stream', () => {
  it.each([
    ['cold_start_s', 429, 'ModelNotReadyException', { cold_start_s: 30 }, 'cold_start'],
    [
      'rate_limit_in_flight',
      429,
      'ThrottlingException',
      { rate_limit_in_flight: 1, step_ms: 30 },
      'rate_limited',
    ],
    ['error_rate', 500, 'InternalServerException', { error_rate: 1 }, 'error_500'],
  ] as const)('%s → HTTP %i %s, as Bedrock sends it', async (_knob, status, exception, knobs, fault) => {
    const sim = await start(knobs);
    const replies = await Promise.all([
      post1(sim.origin, CONVERSE, converseBody('a', 3)),
      post2(sim.h2Origin, CONVERSE, converseBody('a', 3)),
    ]);
    const r = replies.find((x) => x.status === status);
    expect(r?.headers['x-amzn-errortype']).toBe(
      `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    );
    expect(r?.json).toEqual({ message: expect.any(String) as string });
    expect(r?.headers['x-amzn-requestid']).toEqual(expect.any(String));
    expect((await sim.truth()).some((t) => t.status === status && t.fault === fault)).toBe(true);
  });

  it('rejects an invalid body with ValidationException and a wrong method with 405; h2 answers unknown routes 404', async () => {
    const sim = await start();
    const bad = await post1(sim.origin, INVOKE, { nothing: true });
    expect(bad.status).toBe(400);
    expect(String(bad.json?.['message'])).toContain('required key [prompt] not found');
    const notJson = await post2(sim.h2Origin, CONVERSE, '{');
    expect(notJson.status).toBe(400);
    expect((await post2(sim.h2Origin, CONVERSE, '', 'GET')).status).toBe(405);
    const unknown = await post2(sim.h2Origin, '/v1/chat/completions', {});
    expect(unknown.status).toBe(404);
    expect(unknown.headers['x-amzn-errortype']).toMatch(/^UnknownOperationException:/);
  });
});

describe('Bedrock face: faults in the stream', () => {
  it('stream_error_rate and stream_throttle_rate end the stream with an exception frame', async () => {
    const sim = await start({ stream_error_rate: 1 });
    const r = await post1(sim.origin, CONVERSE, converseBody('a', 10));
    expect(r.frames.at(-1)).toMatchObject({ kind: 'exception', type: 'modelStreamErrorException' });
    const throttled = await start({ stream_throttle_rate: 1 });
    const t = await post2(throttled.h2Origin, INVOKE, { prompt: 'a', max_gen_len: 10 });
    expect(t.frames.at(-1)).toMatchObject({ kind: 'exception', type: 'throttlingException' });
    expect(t.frames.at(-1)?.body['message']).toContain('stream_throttle_rate');
    expect((await throttled.truth())[0]).toMatchObject({ fault: 'stream_throttle' });
  });

  it('malformed_rate sends one frame with a bad CRC, and the stream completes', async () => {
    const sim = await start({ malformed_rate: 1 });
    const r = await post1(sim.origin, CONVERSE, converseBody('a', 10));
    expect(r.frames.filter((f) => f.corrupt)).toHaveLength(1);
    expect(r.frames.at(-1)?.type).toBe('metadata');
  });

  it('disconnect_rate cuts the socket (HTTP/1.1) or resets the stream (HTTP/2) after some content', async () => {
    const sim = await start({ disconnect_rate: 1 });
    for (const r of [
      await post1(sim.origin, CONVERSE, converseBody('a', 10)),
      await post2(sim.h2Origin, CONVERSE, converseBody('a', 10)),
    ]) {
      expect(r.broken).toBe(true);
      expect(deltas(r.frames).length).toBeGreaterThanOrEqual(1);
      expect(r.frames.some((f) => f.type === 'metadata')).toBe(false);
    }
    expect((await sim.truth()).map((t) => t.fault)).toEqual(['disconnect', 'disconnect']);
  });

  it.each(['http1', 'http2'] as const)(
    'split_frames writes frames in two parts that arrive apart, over %s',
    async (transport) => {
      const sim = await start({ split_frames: true });
      const r =
        transport === 'http1'
          ? await post1(sim.origin, CONVERSE, converseBody('a', 4))
          : await post2(sim.h2Origin, CONVERSE, converseBody('a', 4));
      expect(r.frames.map((f) => f.type)).toEqual([
        'messageStart',
        ...Array<string>(4).fill('contentBlockDelta'),
        'contentBlockStop',
        'messageStop',
        'metadata',
      ]);
      expect(r.frames.some((f) => f.corrupt)).toBe(false);
      // Some piece ends inside a frame: its frame was not received whole.
      let offset = 0;
      const boundaries = new Set<number>([0]);
      const bytes = Buffer.concat(r.pieces);
      while (offset < bytes.length) boundaries.add((offset += bytes.readUInt32BE(offset)));
      let end = 0;
      const inside = r.pieces.filter((p) => !boundaries.has((end += p.length)));
      expect(inside.length).toBeGreaterThan(0);
    },
  );
});

describe('Bedrock face in a worker thread', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('reports the h2c origin in its addresses and serves ConverseStream on it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-worker-bedrock-'));
    const workerFile = join(dir, 'sim-worker.js');
    await build({
      entryPoints: [fileURLToPath(new URL('../../src/sim/worker-entry.ts', import.meta.url))],
      outfile: workerFile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
    const sim = await startSimulatorInWorker(FAST, { workerFile });
    try {
      expect(sim.h2Origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.h2Origin).not.toBe(sim.origin);
      const r = await post2(sim.h2Origin, CONVERSE, converseBody('hi', 3));
      expect(r.frames.at(-1)?.body).toMatchObject({ usage: { outputTokens: 3 } });
    } finally {
      await sim.close();
    }
  });
});
