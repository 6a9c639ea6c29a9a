import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimKnobs } from '../../src/sim/knobs.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { chat, chunksOf, post } from './helpers.js';

const FAST = { step_ms: 2, per_seq_ms: 0, prefill_ms_per_1k_tokens: 0, jitter: 0, log_truth: true };

describe('sim fault knobs', () => {
  const sims: SimHandle[] = [];
  const start = async (knobs: Partial<SimKnobs>) => {
    const sim = await startSimulator({ ...FAST, ...knobs });
    sims.push(sim);
    return sim;
  };
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });

  it('error_rate: answers HTTP 500 with an OpenAI error body before streaming', async () => {
    const sim = await start({ error_rate: 1 });
    const result = await post(sim, '/chat/completions', chat('hi', 5));
    expect(result.status).toBe(500);
    expect(JSON.parse(result.body).error).toMatchObject({ type: 'InternalServerError', code: 500 });
    expect(await sim.truth()).toMatchObject([
      { status: 500, fault: 'error_500', outputTokens: 0, inputTokens: 1 },
    ]);
  });

  it('rate_limit_in_flight: answers 429 above N requests in flight, and admits again once they end', async () => {
    const sim = await start({ rate_limit_in_flight: 2, step_ms: 20 });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post(sim, '/chat/completions', chat('hi', 5))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(JSON.parse(limited.body).error).toMatchObject({ code: 429 });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await post(sim, '/chat/completions', chat('hi', 1))).status).toBe(200);
    const faults = (await sim.truth()).map((t) => t.fault).filter((f) => f === 'rate_limited');
    expect(faults).toHaveLength(3);
  });

  it('cold_start_s: every request gets 503 "model is not ready" until the model has loaded, then 200', async () => {
    const sim = await start({ cold_start_s: 0.4 });
    const cold = await post(sim, '/chat/completions', chat('hi', 2));
    expect(cold.status).toBe(503);
    const error = JSON.parse(cold.body).error;
    expect(error.message).toContain('model is not ready');
    expect(error.message).toContain('loading');
    expect(cold.headers.get('retry-after')).toBe('1');
    expect((await fetch(sim.url.replace('/v1', '/health'))).status).toBe(503);
    expect((await fetch(`${sim.url}/models`)).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await post(sim, '/chat/completions', chat('hi', 2))).status).toBe(200);
    expect((await fetch(sim.url.replace('/v1', '/health'))).status).toBe(200);
    expect((await sim.truth()).map((t) => [t.status, t.fault])).toEqual([
      [503, 'cold_start'],
      [200, undefined],
    ]);
  });

  it('disconnect_rate: destroys the socket mid-stream, after some content and before [DONE]', async () => {
    const sim = await start({ disconnect_rate: 1 });
    const result = await post(sim, '/chat/completions', chat('hi', 20));
    expect(result.status).toBe(200);
    expect(result.readError).toBeDefined();
    expect(result.events).not.toContain('[DONE]');
    const content = chunksOf(result).filter((c) => c.choices[0]?.delta?.content);
    expect(content.length).toBeGreaterThanOrEqual(1);
    expect(content.length).toBeLessThan(20);
    const [truth] = await sim.truth();
    expect(truth).toMatchObject({ status: 200, fault: 'disconnect', outputTokens: content.length });
  });

  it('malformed_rate: emits one unparseable data: event mid-stream and completes', async () => {
    const sim = await start({ malformed_rate: 1 });
    const result = await post(sim, '/chat/completions', chat('hi', 20));
    expect(result.events.at(-1)).toBe('[DONE]');
    const bad = result.events.filter((data) => {
      if (data === '[DONE]') return false;
      try {
        JSON.parse(data);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(1);
    const at = result.events.indexOf(bad[0]!);
    expect(at).toBeGreaterThan(1); // after the role chunk and at least one token
    expect(at).toBeLessThan(result.events.length - 1);
    expect(result.events.filter((d) => d.includes('"finish_reason":"length"'))).toHaveLength(1);
    expect((await sim.truth())[0]).toMatchObject({ fault: 'malformed', outputTokens: 20 });
  });

  it('stream_error_rate: emits a data: {"error": ...} event and ends without a finish reason', async () => {
    const sim = await start({ stream_error_rate: 1 });
    const result = await post(sim, '/chat/completions', chat('hi', 20));
    expect(result.status).toBe(200);
    const chunks = chunksOf(result);
    const errorAt = chunks.findIndex((c) => c.error !== undefined);
    expect(errorAt).toBeGreaterThan(1);
    expect(errorAt).toBe(chunks.length - 1);
    expect(chunks[errorAt]!.error).toMatchObject({ type: 'InternalServerError', code: 500 });
    expect(chunks.some((c) => c.choices?.[0]?.finish_reason)).toBe(false);
    expect(result.readError).toBeUndefined();
    expect((await sim.truth())[0]).toMatchObject({ fault: 'stream_error', outputTokens: errorAt - 1 });
  });

  it('records a client that goes away, and cancels its sequence', async () => {
    const sim = await start({ step_ms: 5 });
    const controller = new AbortController();
    const response = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(chat('hi', 1000)),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [truth] = await sim.truth();
    expect(truth).toMatchObject({ status: 200, fault: 'client_disconnect' });
    expect(truth!.outputTokens).toBeLessThan(1000);
  });

  it('is reproducible: same seed and same sequential requests give the same faults and lengths', async () => {
    const knobs = { error_rate: 0.3, early_stop_rate: 0.5, malformed_rate: 0.3 };
    const runOnce = async (seed: number) => {
      const sim = await start({ ...knobs, seed });
      const outcomes: string[] = [];
      for (let i = 0; i < 24; i++) {
        const result = await post(sim, '/chat/completions', chat('hi', 12));
        outcomes.push(`${result.status}:${result.events.join('|').replace(/"created":\d+/g, '')}`);
      }
      const faults = (await sim.truth()).map((t) => `${t.status}/${t.fault ?? '-'}/${t.outputTokens}`);
      await sim.close();
      return { outcomes, faults };
    };
    const first = await runOnce(11);
    const second = await runOnce(11);
    const other = await runOnce(12);
    expect(second.outcomes).toEqual(first.outcomes);
    expect(second.faults).toEqual(first.faults);
    expect(new Set(first.faults.map((f) => f.split('/')[1])).size).toBeGreaterThanOrEqual(3);
    expect(other.faults).not.toEqual(first.faults);
  });

  it('close() frees the port and ends open streams', async () => {
    const sim = await startSimulator({ ...FAST, step_ms: 10 });
    const streaming = post(sim, '/chat/completions', chat('hi', 10_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sim.close();
    const cut = await streaming;
    expect(cut.readError).toBeDefined();
    await expect(fetch(`${sim.url}/models`)).rejects.toThrow();
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(sim.port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => again.close(resolve));
  });

  it('listens on 127.0.0.1 by default', async () => {
    const sim = await start({});
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}/v1`);
  });
});
