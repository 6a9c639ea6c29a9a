import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { chat, chunksOf, post, streamedText } from './helpers.js';

/** Fast steps: these tests check the wire, not the timing. */
const FAST = { step_ms: 1, per_seq_ms: 0, prefill_ms_per_1k_tokens: 0, jitter: 0, log_truth: true };

describe('OpenAI face: vLLM-shaped streams', () => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await startSimulator(FAST);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('streams a chat completion like vLLM: role, content, finish, usage, [DONE]', async () => {
    const prompt = 'Summarise the following text in one sentence. '.repeat(20);
    const result = await post(
      sim,
      '/chat/completions',
      chat(prompt, 6, { stream_options: { include_usage: true } }),
      { 'x-request-id': 'req-42' },
    );
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(result.headers.get('x-request-id')).toBe('req-42');
    expect(result.events.at(-1)).toBe('[DONE]');
    const chunks = chunksOf(result);
    expect(chunks).toHaveLength(1 + 6 + 1);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: 'chatcmpl-req-42', object: 'chat.completion.chunk', model: 'sim' });
      expect(Number.isInteger(chunk.created)).toBe(true);
    }
    expect(chunks[0]!.choices).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
    ]);
    for (const chunk of chunks.slice(1, 6)) {
      expect(chunk.choices).toEqual([
        {
          index: 0,
          delta: { content: expect.stringMatching(/^ [a-z]+$/) },
          logprobs: null,
          finish_reason: null,
        },
      ]);
    }
    expect(chunks[6]!.choices[0]).toMatchObject({ finish_reason: 'length', stop_reason: null });
    expect(chunks[7]).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: countTokens(prompt),
        completion_tokens: 6,
        total_tokens: countTokens(prompt) + 6,
      },
    });
    expect(countTokens(streamedText(chunks, 'content'))).toBe(6);
    const truth = (await sim.truth()).find((t) => t.requestId === 'req-42');
    expect(truth).toMatchObject({ outputTokens: 6, inputTokens: countTokens(prompt), status: 200 });
    expect(truth!.fault).toBeUndefined();
    expect(truth!.firstTokenMs!).toBeGreaterThan(truth!.arrivalMs);
    expect(truth!.lastTokenMs!).toBeGreaterThanOrEqual(truth!.firstTokenMs!);
    expect(truth!.endMs).toBeGreaterThanOrEqual(truth!.lastTokenMs!);
  });

  it('honours max_tokens exactly and omits usage unless asked', async () => {
    for (const maxTokens of [1, 2, 37]) {
      const chunks = chunksOf(await post(sim, '/chat/completions', chat('hi', maxTokens)));
      expect(chunks.every((c) => c.usage === undefined)).toBe(true);
      expect(chunks.filter((c) => c.choices[0]?.delta?.content)).toHaveLength(maxTokens);
      expect(countTokens(streamedText(chunks, 'content'))).toBe(maxTokens);
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
    }
  });

  it('streams legacy completions as text_completion chunks, prompt as text or token ids', async () => {
    const result = await post(sim, '/completions', {
      model: 'sim',
      prompt: 'Once upon a time',
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = chunksOf(result);
    expect(chunks).toHaveLength(5);
    expect(chunks[0]).toMatchObject({
      object: 'text_completion',
      choices: [{ index: 0, text: expect.stringMatching(/^ [a-z]+$/), logprobs: null, finish_reason: null }],
    });
    expect(chunks[3]!.choices[0]!.finish_reason).toBe('length');
    expect(chunks[4]!.usage).toEqual({ prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 });
    expect(countTokens(streamedText(chunks, 'text'))).toBe(4);

    const ids = chunksOf(
      await post(sim, '/completions', {
        prompt: [1, 2, 3, 4, 5, 6, 7],
        max_tokens: 1,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(ids.at(-1)!.usage!.prompt_tokens).toBe(7);
  });

  it('answers one JSON body when stream is false', async () => {
    const chatBody = JSON.parse(
      (await post(sim, '/chat/completions', chat('hi', 5, { stream: false }))).body,
    );
    expect(chatBody).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'length' }],
      usage: { completion_tokens: 5, prompt_tokens: 1, total_tokens: 6 },
    });
    expect(countTokens(chatBody.choices[0].message.content)).toBe(5);
    const textBody = JSON.parse((await post(sim, '/completions', { prompt: 'x', max_tokens: 3 })).body);
    expect(textBody).toMatchObject({ object: 'text_completion', usage: { completion_tokens: 3 } });
    expect(countTokens(textBody.choices[0].text)).toBe(3);
  });

  it.each([
    ['not json', '{"model":', null],
    ['not an object', '[1,2]', null],
    ['no messages', { model: 'sim', max_tokens: 3 }, 'messages'],
    ['max_tokens 0', chat('hi', 0), 'max_tokens'],
    ['max_tokens fractional', chat('hi', 2.5), 'max_tokens'],
    ['min_tokens above max_tokens', chat('hi', 3, { min_tokens: 4 }), 'min_tokens'],
    ['ignore_eos not boolean', chat('hi', 3, { ignore_eos: 'yes' }), 'ignore_eos'],
    ['n = 2', chat('hi', 3, { n: 2 }), 'n'],
  ])('answers 400 with an OpenAI error for %s', async (_name, body, param) => {
    const result = await post(sim, '/chat/completions', body);
    expect(result.status).toBe(400);
    const error = JSON.parse(result.body).error;
    expect(error).toMatchObject({ type: 'BadRequestError', code: 400, param });
    expect(error.message).toEqual(expect.any(String));
  });

  it('serves /v1/models and /health, 404 for unknown routes, 405 for wrong methods', async () => {
    const models = await (await fetch(`${sim.url}/models`)).json();
    expect(models).toMatchObject({ object: 'list', data: [{ id: 'llm-perf-gate-sim', object: 'model' }] });
    expect((await fetch(sim.url.replace('/v1', '/health'))).status).toBe(200);
    const missing = await fetch(`${sim.url}/embeddings`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { error: { message: string } };
    expect(body.error.message).toContain('/v1/embeddings');
    expect((await fetch(`${sim.url}/chat/completions`)).status).toBe(405);
  });
});

describe('OpenAI face: output shaping knobs', () => {
  const sims: SimHandle[] = [];
  const start = async (knobs: Record<string, unknown>) => {
    const sim = await startSimulator({ ...FAST, ...knobs });
    sims.push(sim);
    return sim;
  };
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
  });

  it('404s another model name when the model knob is set', async () => {
    const sim = await start({ model: 'llama-3-8b' });
    const wrong = await post(sim, '/chat/completions', chat('hi', 2));
    expect(wrong.status).toBe(404);
    expect(JSON.parse(wrong.body).error).toMatchObject({ code: 404, param: 'model' });
    const right = await post(sim, '/chat/completions', chat('hi', 2, { model: 'llama-3-8b' }));
    expect(right.status).toBe(200);
    expect(chunksOf(right)[0]!.model).toBe('llama-3-8b');
    expect((await sim.truth()).map((t) => t.fault)).toEqual(['unknown_model', undefined]);
  });

  it('stops early with early_stop_rate unless the length is forced', async () => {
    const sim = await start({ early_stop_rate: 1 });
    for (let i = 0; i < 5; i++) {
      const free = chunksOf(await post(sim, '/chat/completions', chat('hi', 50)));
      const tokens = countTokens(streamedText(free, 'content'));
      expect(tokens).toBeGreaterThanOrEqual(1);
      expect(tokens).toBeLessThan(50);
      expect(free.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    }
    const withMin = chunksOf(await post(sim, '/chat/completions', chat('hi', 50, { min_tokens: 45 })));
    expect(countTokens(streamedText(withMin, 'content'))).toBeGreaterThanOrEqual(45);
    for (const force of [{ ignore_eos: true }, { min_tokens: 50 }]) {
      const forced = chunksOf(await post(sim, '/chat/completions', chat('hi', 50, force)));
      expect(countTokens(streamedText(forced, 'content'))).toBe(50);
      expect(forced.at(-1)!.choices[0]!.finish_reason).toBe('length');
    }
    const faults = (await sim.truth()).map((t) => t.fault);
    expect(faults.slice(0, 5)).toEqual(Array(5).fill('early_stop'));
    expect(faults.slice(6)).toEqual([undefined, undefined]);
  });

  it('stops forced requests early with ignore_force_rate', async () => {
    const sim = await start({ ignore_force_rate: 1 });
    const forced = chunksOf(await post(sim, '/chat/completions', chat('hi', 50, { ignore_eos: true })));
    expect(countTokens(streamedText(forced, 'content'))).toBeLessThan(50);
    expect(forced.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    const free = chunksOf(await post(sim, '/chat/completions', chat('hi', 20)));
    expect(countTokens(streamedText(free, 'content'))).toBe(20);
  });

  it('packs tokens_per_chunk tokens per chunk after the first', async () => {
    const sim = await start({ tokens_per_chunk: 4 });
    const result = await post(
      sim,
      '/chat/completions',
      chat('hi', 11, { stream_options: { include_usage: true } }),
    );
    const chunks = chunksOf(result);
    const sizes = chunks
      .map((c) => c.choices[0]?.delta?.content)
      .filter((text): text is string => text !== undefined && text !== '')
      .map((text) => countTokens(text));
    expect(sizes).toEqual([1, 4, 4, 2]);
    expect(chunks.at(-1)!.usage!.completion_tokens).toBe(11);
  });

  it('streams the first reasoning_tokens tokens as reasoning_content', async () => {
    const sim = await start({ reasoning_tokens: 3 });
    const chunks = chunksOf(await post(sim, '/chat/completions', chat('hi', 5)));
    const kinds = chunks.slice(1).map((c) => Object.keys(c.choices[0]!.delta!)[0]);
    expect(kinds).toEqual([
      'reasoning_content',
      'reasoning_content',
      'reasoning_content',
      'content',
      'content',
    ]);
    expect(countTokens(streamedText(chunks, 'reasoning_content'))).toBe(3);
    expect(countTokens(streamedText(chunks, 'content'))).toBe(2);
    const once = JSON.parse((await post(sim, '/chat/completions', chat('hi', 5, { stream: false }))).body);
    expect(countTokens(once.choices[0].message.reasoning_content)).toBe(3);
    expect(countTokens(once.choices[0].message.content)).toBe(2);
  });

  it('never sends usage when the usage knob is off', async () => {
    const sim = await start({ usage: false });
    const chunks = chunksOf(
      await post(sim, '/chat/completions', chat('hi', 3, { stream_options: { include_usage: true } })),
    );
    expect(chunks.some((c) => c.usage !== undefined)).toBe(false);
    expect(chunks).toHaveLength(4);
  });

  it('records no truth unless log_truth is on', async () => {
    const sim = await start({ log_truth: false });
    await post(sim, '/chat/completions', chat('hi', 2));
    expect(await sim.truth()).toEqual([]);
  });
});
