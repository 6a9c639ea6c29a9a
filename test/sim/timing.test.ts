/**
 * The timing model seen through HTTP and the truth log, with real timers. Assertions compare orders of magnitude or
 * ratios with wide tolerances so a busy machine cannot make them flake.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SimKnobs } from '../../src/sim/knobs.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import type { SimTruth } from '../../src/sim/truth.js';
import { chat, median, post } from './helpers.js';

const QUIET = { jitter: 0, per_seq_ms: 0, prefill_ms_per_1k_tokens: 0, log_truth: true };

const ttft = (t: SimTruth) => (t.firstTokenMs as number) - t.arrivalMs;
const itl = (t: SimTruth) => ((t.lastTokenMs as number) - (t.firstTokenMs as number)) / (t.outputTokens - 1);

/** A prompt of about `tokens` cl100k tokens (each " the" is one token). */
const prompt = (tokens: number) => ' the'.repeat(tokens);

describe('sim timing model over HTTP', () => {
  const sims: SimHandle[] = [];
  const start = async (knobs: Partial<SimKnobs>) => {
    const sim = await startSimulator({ ...QUIET, ...knobs });
    sims.push(sim);
    return sim;
  };
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });

  it('queues requests beyond max_batch: their TTFT includes about one full generation per batch ahead', async () => {
    const sim = await start({ max_batch: 2, step_ms: 5 });
    const generationMs = 20 * 5;
    await Promise.all(Array.from({ length: 6 }, () => post(sim, '/chat/completions', chat('hi', 20))));
    const ttfts = (await sim.truth()).map(ttft).sort((a, b) => a - b);
    expect(ttfts).toHaveLength(6);
    expect(ttfts[1]).toBeLessThan(generationMs / 2);
    expect(ttfts[2]).toBeGreaterThan(generationMs * 0.8);
    expect(ttfts[4]).toBeGreaterThan(generationMs * 1.8);
  });

  it('makes steps longer as the batch grows (per_seq_ms)', async () => {
    const sim = await start({ step_ms: 3, per_seq_ms: 1 });
    await post(sim, '/chat/completions', chat('hi', 40));
    const alone = itl((await sim.truth())[0]!);
    await sim.clearTruth();
    await Promise.all(Array.from({ length: 16 }, () => post(sim, '/chat/completions', chat('hi', 40))));
    const batched = median((await sim.truth()).map(itl));
    // planned: 4 ms alone, 19 ms with 16 running
    expect(batched / alone).toBeGreaterThan(3);
    expect(alone).toBeGreaterThan(3);
  });

  it('makes TTFT grow with prompt length (prefill)', async () => {
    const sim = await start({ step_ms: 5, prefill_ms_per_1k_tokens: 20 });
    for (let i = 0; i < 5; i++) await post(sim, '/chat/completions', chat(prompt(100), 2));
    for (let i = 0; i < 5; i++) await post(sim, '/chat/completions', chat(prompt(4000), 2));
    const truth = await sim.truth();
    expect(truth.map((t) => t.inputTokens)).toEqual([...Array(5).fill(100), ...Array(5).fill(4000)]);
    const short = median(truth.slice(0, 5).map(ttft));
    const long = median(truth.slice(5).map(ttft));
    // planned: 7 ms vs 85 ms
    expect(long - short).toBeGreaterThan(60);
    expect(short).toBeLessThan(40);
  });

  it('slowdown 1.3 makes TTFT and ITL about 30% longer', async () => {
    const measure = async (slowdown: number) => {
      const sim = await start({ step_ms: 10, prefill_ms_per_1k_tokens: 20, slowdown });
      for (let i = 0; i < 7; i++) await post(sim, '/chat/completions', chat(prompt(1000), 25));
      const truth = await sim.truth();
      return { ttft: median(truth.map(ttft)), itl: median(truth.map(itl)) };
    };
    const base = await measure(1);
    const slow = await measure(1.3);
    expect(slow.ttft / base.ttft).toBeGreaterThan(1.15);
    expect(slow.ttft / base.ttft).toBeLessThan(1.45);
    expect(slow.itl / base.itl).toBeGreaterThan(1.15);
    expect(slow.itl / base.itl).toBeLessThan(1.45);
  });

  it('keeps server truth consistent with what the client sees', async () => {
    const sim = await start({ step_ms: 8, prefill_ms_per_1k_tokens: 15 });
    const sentAt = performance.now();
    const result = await post(sim, '/chat/completions', chat(prompt(512), 10), {
      'x-request-id': 'client-1',
    });
    const [truth] = await sim.truth();
    const clientTtft = (result.eventMs[1] as number) - sentAt; // events: role chunk + first token arrive together
    expect(truth!.requestId).toBe('client-1');
    expect(ttft(truth!)).toBeGreaterThan(8 + 7);
    expect(clientTtft).toBeGreaterThanOrEqual(ttft(truth!));
    expect(clientTtft - ttft(truth!)).toBeLessThan(100);
  });
});
