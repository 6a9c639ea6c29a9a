import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  streamGeneration,
  type GeneratePlan,
  type GenerationResponse,
  type StreamWire,
} from '../../src/sim/generation.js';
import { parseKnobs } from '../../src/sim/knobs.js';
import { Simulation } from '../../src/sim/simulation.js';

/** A response that holds every write callback until the test flushes it, like a socket that has not sent yet. */
class HeldResponse extends EventEmitter implements GenerationResponse {
  readonly writes: string[] = [];
  readonly #callbacks: ((error?: Error | null) => void)[] = [];
  ended = false;

  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean {
    this.writes.push(String(chunk));
    if (callback !== undefined) this.#callbacks.push(callback);
    return true;
  }

  end(chunk?: string | Uint8Array): void {
    if (chunk !== undefined) this.writes.push(String(chunk));
    this.ended = true;
  }

  destroy(): void {
    this.emit('close');
  }

  /** Call the held write callbacks, as a socket does once the bytes are sent (or with the error that lost them). */
  flush(error?: Error): void {
    for (const callback of this.#callbacks.splice(0)) callback(error);
  }
}

const WIRE: StreamWire = {
  tokens: (first, count) => `tokens ${first}+${count};`,
  malformed: () => 'malformed;',
  streamError: (message) => `error ${message};`,
  end: (written) => `end ${written};`,
};

/** A simulator whose steps take exactly 10 ms of fake time, and one accepted two-token request on a held response. */
function start(outputTokens = 2) {
  const sim = new Simulation(
    parseKnobs({
      log_truth: true,
      step_ms: 10,
      per_seq_ms: 0,
      prefill_ms_per_1k_tokens: 0,
      jitter: 0,
      early_stop_rate: 0,
    }),
    () => Date.now(),
  );
  sim.markStarted();
  expect(sim.enter()).toBe(true);
  const plan = sim.plan({ maxTokens: outputTokens, minTokens: outputTokens }) as GeneratePlan;
  expect(plan.kind).toBe('generate');
  const res = new HeldResponse();
  const t0 = Date.now();
  streamGeneration({ sim, requestId: 'r1', arrivalMs: t0, inputTokens: 4, plan }, res, WIRE);
  return { sim, res, t0 };
}

describe('streamGeneration truth', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stamps tokens when their write is flushed, and records the truth once the last one is', async () => {
    const { sim, res, t0 } = start();
    await vi.advanceTimersByTimeAsync(13); // the first token was handed over at t0 + 10
    expect(res.writes).toEqual(['tokens 0+1;']);
    res.flush();
    await vi.advanceTimersByTimeAsync(14); // the second token and the end at t0 + 20
    expect(res.ended).toBe(true);
    expect(res.writes.slice(1)).toEqual(['tokens 1+1;', 'end 2;']);
    expect(sim.inFlight).toBe(0);
    expect(sim.truth.list()).toEqual([]); // its last token has not left yet
    res.flush();
    expect(sim.truth.list()).toEqual([
      {
        requestId: 'r1',
        arrivalMs: t0,
        firstTokenMs: t0 + 13,
        lastTokenMs: t0 + 27,
        endMs: t0 + 27,
        outputTokens: 2,
        inputTokens: 4,
        status: 200,
      },
    ]);
  });

  it('records a response that closes with unflushed writes at once, without stamping what never left', async () => {
    const { sim, res, t0 } = start(3);
    await vi.advanceTimersByTimeAsync(15);
    res.emit('close');
    expect(sim.inFlight).toBe(0);
    expect(sim.truth.list()).toEqual([
      {
        requestId: 'r1',
        arrivalMs: t0,
        endMs: t0 + 15,
        outputTokens: 1,
        inputTokens: 4,
        status: 200,
        fault: 'client_disconnect',
      },
    ]);
    res.flush(new Error('socket destroyed'));
    expect(sim.truth.list()).toHaveLength(1);
  });
});
