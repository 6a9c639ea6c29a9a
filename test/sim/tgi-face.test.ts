import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimKnobs } from '../../src/sim/knobs.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { tgiDemoTarget } from '../../src/sim/tgi-face.js';
import { parseSse } from '../../src/providers/sse.js';

/** Fast steps: these tests check the wire, not the timing. */
const FAST = { step_ms: 1, per_seq_ms: 0, prefill_ms_per_1k_tokens: 0, jitter: 0, log_truth: true };

interface TgiEvent {
  index: number;
  token: { id: number; text: string; logprob: number; special: boolean };
  generated_text: string | null;
  details: { finish_reason: string; generated_tokens: number; seed: null; input_length: number } | null;
}

const sims: SimHandle[] = [];
async function start(knobs: Partial<SimKnobs> = {}): Promise<SimHandle> {
  const sim = await startSimulator({ ...FAST, ...knobs });
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

interface Result {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** Data of every SSE event (TGI writes `data:` without a space, which the OpenAI helpers do not read). */
  readonly events: string[];
}

/** POST a JSON body (or raw text) to a TGI route and read the whole response. */
async function post(
  sim: SimHandle,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Result> {
  const response = await fetch(sim.origin + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const isStream = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  return {
    status: response.status,
    headers: response.headers,
    body: bytes.toString('utf8'),
    events: isStream ? parseSse(bytes).map((e) => e.data) : [],
  };
}
const generateBody = (inputs: string, maxNewTokens: number, details = true) => ({
  inputs,
  parameters: { max_new_tokens: maxNewTokens, details, temperature: 0.5 },
});

describe('TGI face', () => {
  it('streams one event per token like TGI, the last with generated_text and details', async () => {
    const sim = await start();
    const prompt = 'Tell me a story about a lighthouse keeper. '.repeat(10);
    const result = await post(sim, '/generate_stream', generateBody(prompt, 5), {
      'x-request-id': 'tgi-1',
    });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('text/event-stream');
    const events = result.events.map((data) => JSON.parse(data) as TgiEvent);
    expect(events.map((e) => e.index)).toEqual([1, 2, 3, 4, 5]);
    for (const e of events.slice(0, 4)) {
      expect(e).toEqual({
        index: expect.any(Number),
        token: {
          id: expect.any(Number),
          text: expect.stringMatching(/^ [a-z]+$/),
          logprob: expect.any(Number),
          special: false,
        },
        generated_text: null,
        details: null,
      });
    }
    const text = events.map((e) => e.token.text).join('');
    expect(events[4]).toMatchObject({
      generated_text: text,
      details: {
        finish_reason: 'length',
        generated_tokens: 5,
        seed: null,
        input_length: countTokens(prompt),
      },
    });
    expect(countTokens(text)).toBe(5);
    expect(await sim.truth()).toMatchObject([{ requestId: 'tgi-1', outputTokens: 5, status: 200 }]);
  });

  it('writes `data:` without a space, as axum does', async () => {
    const sim = await start();
    const response = await fetch(`${sim.origin}/generate_stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(generateBody('hi', 2)),
    });
    expect(await response.text()).toMatch(
      /^data:\{"index":1,"token":\{"id":\d+,"text":" [a-z]+",.*\}\n\ndata:\{"index":2,.*\}\n\n$/s,
    );
  });

  it('ends an early stop with the special EOS token, counted in generated_tokens but not in generated_text', async () => {
    const sim = await start({ early_stop_rate: 1, seed: 3 });
    const result = await post(sim, '/generate_stream', generateBody('hi', 40));
    const events = result.events.map((data) => JSON.parse(data) as TgiEvent);
    const last = events.at(-1)!;
    expect(last.token).toEqual({ id: 2, text: '</s>', logprob: expect.any(Number), special: true });
    expect(last.details).toMatchObject({ finish_reason: 'eos_token', generated_tokens: events.length });
    expect(events.length).toBeLessThan(40);
    const words = events
      .slice(0, -1)
      .map((e) => e.token.text)
      .join('');
    expect(last.generated_text).toBe(words);
    expect((await sim.truth())[0]).toMatchObject({ outputTokens: events.length, fault: 'early_stop' });
  });

  it('drops details when the usage knob is off, but still ends with generated_text', async () => {
    const sim = await start({ usage: false });
    const result = await post(sim, '/generate_stream', generateBody('hi', 3));
    const last = JSON.parse(result.events.at(-1)!) as TgiEvent;
    expect(last.details).toBeNull();
    expect(typeof last.generated_text).toBe('string');
  });

  it('reports overload and validation as error events on a 200 stream, and bad JSON as plain-text 400/422', async () => {
    const sim = await start({ rate_limit_in_flight: 1, step_ms: 20 });
    const [first, second] = await Promise.all([
      post(sim, '/generate_stream', generateBody('hi', 3)),
      post(sim, '/generate_stream', generateBody('hi', 3)),
    ]);
    const overloaded = [first!, second!].find((r) => r.events.length === 1)!;
    expect(overloaded.status).toBe(200);
    expect(JSON.parse(overloaded.events[0]!)).toEqual({
      error: 'Model is overloaded',
      error_type: 'overloaded',
    });

    const invalid = await post(sim, '/generate_stream', generateBody('hi', 0));
    expect(invalid.status).toBe(200);
    expect(JSON.parse(invalid.events[0]!)).toMatchObject({ error_type: 'validation' });
    expect(JSON.parse(invalid.events[0]!).error).toContain('max_new_tokens');

    const syntax = await post(sim, '/generate_stream', '{"inputs":');
    expect(syntax.status).toBe(400);
    const data = await post(sim, '/generate_stream', { parameters: {} });
    expect(data.status).toBe(422);
    expect(data.body).toContain('missing field `inputs`');
    const faults = (await sim.truth()).map((t) => [t.status, t.fault]);
    expect(faults).toEqual(
      expect.arrayContaining([
        [200, 'rate_limited'],
        [200, 'bad_request'],
        [400, 'bad_request'],
        [422, 'bad_request'],
      ]),
    );
  });

  it('answers error_rate with HTTP 500 and the cold start with 503 "not ready"', async () => {
    const failing = await start({ error_rate: 1 });
    const failed = await post(failing, '/generate_stream', generateBody('hi', 3));
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toMatchObject({ error_type: 'incomplete_generation' });

    const cold = await start({ cold_start_s: 30 });
    const loading = await post(cold, '/generate_stream', generateBody('hi', 3));
    expect(loading.status).toBe(503);
    expect(JSON.parse(loading.body).error).toMatch(/not ready/);
    expect((await fetch(`${cold.origin}/info`)).status).toBe(503);
  });

  it('ends the stream with a generation error event (stream_error_rate)', async () => {
    const sim = await start({ stream_error_rate: 1 });
    const result = await post(sim, '/generate_stream', generateBody('hi', 10));
    const last = JSON.parse(result.events.at(-1)!) as { error: string; error_type: string };
    expect(last).toEqual({ error: expect.stringContaining('stream_error_rate'), error_type: 'generation' });
    expect((await sim.truth())[0]).toMatchObject({ fault: 'stream_error' });
  });

  it('serves /generate as one JSON body and /info with the model id', async () => {
    const sim = await start({ model: 'sim-tgi' });
    const result = await post(sim, '/generate', generateBody('hi', 4));
    expect(result.status).toBe(200);
    const body = JSON.parse(result.body) as {
      generated_text: string;
      details: { generated_tokens: number; tokens: unknown[] };
    };
    expect(countTokens(body.generated_text)).toBe(4);
    expect(body.details).toMatchObject({ finish_reason: 'length', generated_tokens: 4 });
    expect(body.details.tokens).toHaveLength(4);
    const info = (await (await fetch(`${sim.origin}/info`)).json()) as { model_id: string };
    expect(info.model_id).toBe('sim-tgi');
    expect((await fetch(`${sim.origin}/generate`)).status).toBe(405);
  });

  it('gives the demo a TGI target at the simulator origin', () => {
    expect(
      tgiDemoTarget({
        url: 'http://127.0.0.1:9/v1',
        origin: 'http://127.0.0.1:9',
        h2Origin: 'https://127.0.0.1:10',
        port: 9,
      }),
    ).toEqual({
      provider: 'tgi',
      base_url: 'http://127.0.0.1:9',
    });
  });
});
