/** Synthetic runs for the gate's tests: lognormal TTFT, a decode time, and the parts of the throughput estimator. */
import { createRng } from '../../src/gate/stats/rng.js';
import type { CurrentRun } from '../../src/gate/stats/runs.js';

export interface RunShape {
  readonly requests?: number;
  /** Multiplies every TTFT. */
  readonly ttftScale?: number;
  /** Multiplies every decode time (so throughput falls as it grows). */
  readonly decodeScale?: number;
  readonly sigma?: number;
  readonly errors?: number;
  readonly seed: number;
}

/** A closed-loop run of `requests` requests at concurrency 8 with the given shape. */
export function syntheticRun(shape: RunShape): CurrentRun {
  const { requests = 200, ttftScale = 1, decodeScale = 1, sigma = 0.4, errors = 0, seed } = shape;
  const rng = createRng(seed);
  const ttft: number[] = [];
  const e2el: number[] = [];
  const outputTokens = new Float64Array(requests);
  const busyMs = new Float64Array(requests);
  let tokens = 0;
  let busy = 0;
  for (let i = 0; i < requests; i++) {
    const first = 200 * ttftScale * Math.exp(sigma * rng.normal());
    const count = Math.max(16, Math.round(256 + 64 * rng.normal()));
    busyMs[i] = first + (count - 1) * 25 * decodeScale * Math.exp(0.15 * rng.normal());
    busy += busyMs[i] as number;
    if (i < errors) continue;
    ttft.push(first);
    e2el.push(busyMs[i] as number);
    outputTokens[i] = count;
    tokens += count;
  }
  return {
    samples: { ttft_ms: ttft, e2el_ms: e2el },
    throughput: { value: (8 * tokens * 1000) / busy, outputTokens, busyMs },
    errors: { errors, total: requests },
  };
}
