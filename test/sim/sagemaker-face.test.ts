import { afterEach, describe, expect, it } from 'vitest';
import { parseSse } from '../../src/providers/sse.js';
import { decodeFrames } from '../../src/sim/event-stream.js';
import type { SimKnobs } from '../../src/sim/knobs.js';
import { sagemakerDemoTarget, SIM_ENDPOINT_NAME } from '../../src/sim/sagemaker-face.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';

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

interface Invocation {
  readonly status: number;
  readonly headers: Headers;
  readonly frames: { headers: Record<string, unknown>; body: string }[];
  /** The container output: every PayloadPart's bytes, concatenated. */
  readonly payload: string;
  readonly body: string;
}

/** POST to the InvokeEndpointWithResponseStream route, the way the SDK does (without signing). */
async function invoke(
  sim: SimHandle,
  body: unknown,
  endpoint = 'my-endpoint',
  headers: Record<string, string> = {},
): Promise<Invocation> {
  const response = await fetch(
    `${sim.origin}/endpoints/${encodeURIComponent(endpoint)}/invocations-response-stream`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  const isStream = response.headers.get('content-type') === 'application/vnd.amazon.eventstream';
  const frames = isStream ? decodeFrames(bytes) : [];
  const payload = frames
    .filter((f) => f.headers[':event-type'] === 'PayloadPart')
    .map((f) => f.body)
    .join('');
  return {
    status: response.status,
    headers: response.headers,
    frames,
    payload,
    body: isStream ? '' : Buffer.from(bytes).toString(),
  };
}

const tgiBody = (maxNewTokens: number) => ({
  inputs: 'Explain continuous batching.',
  parameters: { max_new_tokens: maxNewTokens, details: true },
  stream: true,
});

describe('SageMaker face', () => {
  it('streams the TGI container output in PayloadPart frames cut at arbitrary offsets', async () => {
    const sim = await start();
    const result = await invoke(sim, tgiBody(12), 'my-endpoint', {
      'x-amzn-sagemaker-inference-id': 'inf-7',
    });
    expect(result.status).toBe(200);
    expect(result.headers.get('x-amzn-sagemaker-content-type')).toBe('text/event-stream');
    for (const frame of result.frames) {
      expect(frame.headers).toMatchObject({ ':message-type': 'event', ':event-type': 'PayloadPart' });
    }
    // Some part ends inside an event: the client must reassemble.
    expect(result.frames.some((f) => !f.body.endsWith('\n\n'))).toBe(true);
    expect(result.frames.length).toBeGreaterThan(12);
    const events = parseSse(Buffer.from(result.payload)).map(
      (e) => JSON.parse(e.data) as Record<string, unknown>,
    );
    expect(events).toHaveLength(12);
    expect(events.at(-1)).toMatchObject({ details: { finish_reason: 'length', generated_tokens: 12 } });
    expect(await sim.truth()).toMatchObject([{ requestId: 'inf-7', outputTokens: 12, status: 200 }]);
  });

  it('cuts the same request at the same offsets for the same seed', async () => {
    const lengths = async () => {
      const sim = await start({ seed: 9 });
      return (await invoke(sim, tgiBody(8))).frames.map((f) => f.body.length);
    };
    expect(await lengths()).toEqual(await lengths());
  });

  it('streams OpenAI chat chunks for a messages payload, with usage when asked', async () => {
    const sim = await start();
    const result = await invoke(sim, {
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true },
    });
    const data = parseSse(Buffer.from(result.payload)).map((e) => e.data);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { object: string; usage?: unknown });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 4 });
  });

  it('sends a complete body in payload parts when the payload does not ask to stream', async () => {
    const sim = await start();
    const result = await invoke(sim, { inputs: 'hi', parameters: { max_new_tokens: 3, details: true } });
    expect(result.headers.get('x-amzn-sagemaker-content-type')).toBe('application/json');
    expect(JSON.parse(result.payload)).toMatchObject({ details: { generated_tokens: 3 } });
  });

  it('answers errors as SageMaker does, named by x-amzn-ErrorType', async () => {
    const named = await start({ model: 'the-endpoint' });
    const unknown = await invoke(named, tgiBody(2), 'other-endpoint');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('ValidationError');
    expect(JSON.parse(unknown.body).Message).toContain('other-endpoint');
    expect((await invoke(named, tgiBody(2), 'the-endpoint')).status).toBe(200);

    const badBody = await invoke(named, '{"inputs": 3}', 'the-endpoint');
    expect(badBody.status).toBe(424);
    expect(badBody.headers.get('x-amzn-errortype')).toBe('ModelError');
    expect(JSON.parse(badBody.body)).toMatchObject({ OriginalStatusCode: 422 });

    const cold = await invoke(await start({ cold_start_s: 30 }), tgiBody(2));
    expect(cold.status).toBe(429);
    expect(cold.headers.get('x-amzn-errortype')).toBe('ModelNotReadyException');

    const failing = await invoke(await start({ error_rate: 1 }), tgiBody(2));
    expect(failing.status).toBe(424);
    expect(JSON.parse(failing.body)).toMatchObject({
      OriginalStatusCode: 500,
      ErrorCode: 'SERVER_ERROR_FROM_MODEL',
    });

    const limited = await start({ rate_limit_in_flight: 1, step_ms: 20 });
    const both = await Promise.all([invoke(limited, tgiBody(3)), invoke(limited, tgiBody(3))]);
    const throttled = both.find((r) => r.status !== 200)!;
    expect(throttled.status).toBe(400);
    expect(throttled.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
  });

  it('ends a stream_error_rate stream with a ModelStreamError exception frame', async () => {
    const sim = await start({ stream_error_rate: 1 });
    const result = await invoke(sim, tgiBody(10));
    const last = result.frames.at(-1)!;
    expect(last.headers).toMatchObject({
      ':message-type': 'exception',
      ':exception-type': 'ModelStreamError',
    });
    expect(JSON.parse(last.body)).toMatchObject({ ErrorCode: 'StreamBroken' });
    expect((await sim.truth())[0]).toMatchObject({ fault: 'stream_error' });
  });

  it('gives the demo a SageMaker target pointing the SDK at the simulator', () => {
    const addresses = {
      url: 'http://127.0.0.1:9/v1',
      origin: 'http://127.0.0.1:9',
      h2Origin: 'https://127.0.0.1:10',
      port: 9,
    };
    expect(sagemakerDemoTarget(addresses, 'messages')).toEqual({
      provider: 'sagemaker',
      endpoint_name: SIM_ENDPOINT_NAME,
      region: 'us-east-1',
      endpoint_url: 'http://127.0.0.1:9',
      payload: 'messages',
    });
  });
});
