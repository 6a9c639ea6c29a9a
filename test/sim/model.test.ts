import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultKnobs } from '../../src/sim/knobs.js';
import { BatchingModel, type BatchTiming } from '../../src/sim/model.js';
import { createRng } from '../../src/sim/rng.js';

/** Whole-millisecond timing so fake-timer results are exact. */
const TIMING: BatchTiming = {
  ...defaultKnobs(),
  step_ms: 10,
  per_seq_ms: 1,
  prefill_ms_per_1k_tokens: 20,
  max_batch: 64,
  jitter: 0,
};

interface Recorded {
  /** [clock time, first token index, count] per sink call. */
  calls: [number, number, number][];
  doneAt: number | undefined;
}

/** A fake-timer clock with an adjustable skew, to make the model see a late timer. */
function setup(timing: Partial<BatchTiming> = {}) {
  let skew = 0;
  const now = () => Date.now() + skew;
  const model = new BatchingModel({ ...TIMING, ...timing }, createRng(1), now);
  const submit = (inputTokens: number, outputTokens: number, onToken?: (first: number) => void) => {
    const rec: Recorded = { calls: [], doneAt: undefined };
    const handle = model.submit(
      { inputTokens, outputTokens },
      {
        tokens: (first, count) => {
          rec.calls.push([now(), first, count]);
          onToken?.(first);
        },
        done: () => {
          rec.doneAt = now();
        },
      },
    );
    return { rec, handle };
  };
  return { model, submit, skew: (ms: number) => (skew += ms) };
}

const times = (rec: Recorded) => rec.calls.map(([at]) => at);

describe('BatchingModel (fake timers, exact)', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'],
      now: 0,
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('times a lone sequence: prefill in the first step, then one token per step', () => {
    const { submit } = setup();
    const { rec } = submit(500, 4);
    vi.runAllTimers();
    // step 1 = 10 + 1×1 + 20×0.5 = 21 (pure prefill); then 11 per step
    expect(times(rec)).toEqual([21, 32, 43, 54]);
    expect(rec.calls.map(([, first, count]) => [first, count])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(rec.doneAt).toBe(54);
    expect(vi.getTimerCount()).toBe(0); // idle: no timer left armed
  });

  it('applies prefill_slowdown to TTFT only, decode_slowdown to ITL only, slowdown to both', () => {
    const run = (timing: Partial<BatchTiming>) => {
      const start = Date.now();
      const { submit } = setup(timing);
      const { rec } = submit(500, 3);
      vi.runAllTimers();
      return times(rec).map((at) => at - start);
    };
    expect(run({})).toEqual([21, 32, 43]);
    expect(run({ prefill_slowdown: 2 })).toEqual([42, 53, 64]);
    expect(run({ decode_slowdown: 2 })).toEqual([21, 43, 65]);
    expect(run({ slowdown: 2 })).toEqual([42, 64, 86]);
    expect(run({ slowdown: 2, prefill_slowdown: 1.5, decode_slowdown: 0.5 })).toEqual([63, 74, 85]);
  });

  it('grows the step with the batch and charges prefill of newly admitted sequences to everyone', () => {
    const { submit } = setup();
    const a = submit(0, 3);
    vi.advanceTimersByTime(15); // a's first token at 11; its second step runs 11..22
    const b = submit(1000, 2); // admitted at the next step start, 22
    vi.runAllTimers();
    // step 3 (22..): 2 running, b admitted with 1000 tokens: (10 + 2) + 20 = 32 → 54
    // a finished at 54, so step 4 (54..) runs b alone: 11 → 65
    expect(times(a.rec)).toEqual([11, 22, 54]);
    expect(times(b.rec)).toEqual([54, 65]);
  });

  it('queues beyond max_batch in FIFO order: the extra sequence waits for a full generation', () => {
    const { submit } = setup({ max_batch: 2 });
    const seqs = [submit(0, 5), submit(0, 5), submit(0, 5)];
    vi.runAllTimers();
    const [a, b, c] = seqs.map((s) => s.rec);
    expect(times(a!)).toEqual([12, 24, 36, 48, 60]);
    expect(times(b!)).toEqual([12, 24, 36, 48, 60]);
    expect(times(c!)).toEqual([71, 82, 93, 104, 115]);
  });

  it('groups tokens per chunk after the first token, with a smaller last group', () => {
    const { submit } = setup({ tokens_per_chunk: 3 });
    const { rec } = submit(0, 8);
    vi.runAllTimers();
    expect(rec.calls.map(([at, first, count]) => [at, first, count])).toEqual([
      [11, 0, 1],
      [44, 1, 3],
      [77, 4, 3],
      [88, 7, 1],
    ]);
  });

  it('corrects drift: a timer that fires late does not delay the following steps', () => {
    const { submit, skew } = setup();
    const { rec } = submit(0, 4, (first) => {
      if (first === 1) skew(3); // the model sees this step end 3 ms late
    });
    vi.runAllTimers();
    expect(times(rec)).toEqual([11, 22, 36, 47].map((t, i) => (i >= 2 ? t - 3 : t)));
  });

  it('restarts the schedule after a stall longer than a step instead of bursting', () => {
    const { submit, skew } = setup();
    const { rec } = submit(0, 4, (first) => {
      if (first === 1) skew(50);
    });
    vi.runAllTimers();
    // token 1 at 22, then the clock jumps by 50: the next step starts "now" (72) and ends 11 later
    expect(times(rec)).toEqual([11, 22, 83, 94]);
  });

  it('cancels queued and running sequences without calling their sinks again', () => {
    const { model, submit } = setup({ max_batch: 1 });
    const a = submit(0, 5);
    const b = submit(0, 5);
    vi.advanceTimersByTime(22);
    expect(model.load()).toEqual({ running: 1, queued: 1 });
    b.handle.cancel();
    a.handle.cancel();
    expect(model.load()).toEqual({ running: 0, queued: 0 });
    vi.runAllTimers();
    expect(a.rec.calls).toHaveLength(2);
    expect(a.rec.doneAt).toBeUndefined();
    expect(b.rec.calls).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets a sink cancel its own sequence mid-step', () => {
    const { submit } = setup();
    const s = submit(0, 5, (first) => {
      if (first === 2) s.handle.cancel();
    });
    vi.runAllTimers();
    expect(s.rec.calls.map(([, first]) => first)).toEqual([0, 1, 2]);
    expect(s.rec.doneAt).toBeUndefined();
  });

  it('stops for good', () => {
    const { model, submit } = setup();
    const { rec } = submit(0, 5);
    vi.advanceTimersByTime(11);
    model.stop();
    vi.runAllTimers();
    expect(rec.calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(() => model.submit({ inputTokens: 0, outputTokens: 1 }, { tokens() {}, done() {} })).toThrow(
      'stopped',
    );
  });

  it('rejects invalid jobs naming the field', () => {
    const { model } = setup();
    const sink = { tokens() {}, done() {} };
    expect(() => model.submit({ inputTokens: 0, outputTokens: 0 }, sink)).toThrow('outputTokens');
    expect(() => model.submit({ inputTokens: -1, outputTokens: 1 }, sink)).toThrow('inputTokens');
  });

  it('adds seeded lognormal jitter with mean 1', () => {
    const { submit } = setup({ jitter: 0.1, step_ms: 100, per_seq_ms: 0 });
    const { rec } = submit(0, 400);
    vi.runAllTimers();
    const t = times(rec);
    const gaps = t.slice(1).map((at, i) => at - (t[i] as number));
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeGreaterThan(97);
    expect(mean).toBeLessThan(103);
    expect(sd / mean).toBeGreaterThan(0.07);
    expect(sd / mean).toBeLessThan(0.13);
  });
});
