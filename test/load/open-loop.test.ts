import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { runProfile } from '../../src/load/profile.js';
import type { RequestRecord } from '../../src/load/record.js';
import { startSimulator } from '../../src/sim/server.js';
import { countTokens } from '../../src/workload/tokenizer.js';
import { maxOverlap, median, runAgainstSim, testConfig } from '../helpers/scenario-run.js';

const clock = () => performance.now();
const measured = (records: readonly RequestRecord[]) => records.filter((r) => !r.warmup);

describe('open-loop engine against the simulator', () => {
  it('sends on the seeded schedule: each request at its due time, whatever the endpoint does', async () => {
    const { run } = await runAgainstSim(
      { step_ms: 5 },
      { concurrency: undefined, rate: 80, arrival: 'poisson', requests: 120, output_tokens: { mean: 8 } },
    );
    const m = measured(run.records).sort((a, b) => a.scheduledMs - b.scheduledMs);
    expect(m).toHaveLength(120);
    const lags = m.map((r) => r.sentMs - r.scheduledMs);
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(0);
    expect(median(lags)).toBeLessThan(2);
    // The schedule's mean gap is 1/rate = 12.5 ms.
    const span = m.at(-1)!.scheduledMs - m[0]!.scheduledMs;
    expect(span / 119).toBeGreaterThan(12.5 * 0.75);
    expect(span / 119).toBeLessThan(12.5 * 1.25);
    expect(run.engine.schedule?.sent).toBe(120);
  });

  it('holds requests back at max_in_flight, and the dispatch lag shows it', async () => {
    const { run } = await runAgainstSim(
      { step_ms: 20 },
      {
        concurrency: undefined,
        rate: 100,
        arrival: 'constant',
        max_in_flight: 2,
        requests: 20,
        output_tokens: { mean: 5 },
      },
    );
    const m = measured(run.records);
    expect(maxOverlap(m.map((r) => [r.sentMs, r.endMs]))).toBeLessThanOrEqual(2);
    expect(run.engine.peakInFlight).toBe(2);
    expect(Math.max(...m.map((r) => r.sentMs - r.scheduledMs))).toBeGreaterThan(100);
  });
});

describe('profiles of load points', () => {
  it('runs every point of a sweep on the same workload, each with its own name and fingerprint', async () => {
    const sim = await startSimulator({});
    try {
      const config = testConfig(sim.url, { concurrency: [1, 3], requests: 6, output_tokens: { mean: 4 } });
      const profile = await runProfile(config, { clock, countTokens });
      expect(profile.scenarios.map((s) => s.point.name)).toEqual(['engine-test@c1', 'engine-test@c3']);
      const [a, b] = profile.scenarios;
      expect(a!.fingerprint).not.toBe(b!.fingerprint);
      const lengths = (o: typeof a) =>
        measured(o!.run.records)
          .sort((x, y) => x.index - y.index)
          .map((r) => [r.inputTokens, r.requestedOutputTokens]);
      expect(lengths(a)).toEqual(lengths(b));
      expect(b!.run.engine.peakInFlight).toBe(3);
      expect(a!.validity.valid).toBe(true);
    } finally {
      await sim.close();
    }
  });

  it('marks a point invalid when the load generator itself is starved of CPU', async () => {
    const sim = await startSimulator({ step_ms: 10 });
    try {
      const config = testConfig(sim.url, { concurrency: 4, requests: 24, output_tokens: { mean: 6 } });
      // A CPU-burning callback on the client's event loop: 40 ms of busy work after every finished request.
      const burn = () => {
        const until = performance.now() + 40;
        while (performance.now() < until);
      };
      const profile = await runProfile(config, { clock, countTokens, onRecord: burn });
      const { validity } = profile.scenarios[0]!;
      expect(validity.valid).toBe(false);
      expect(validity.reasons.join(' ')).toMatch(/event loop ran .* ms late|busy \d+% of the time/);
    } finally {
      await sim.close();
    }
  });

  it('flags an endpoint that ignores force_output_length as not comparable', async () => {
    const sim = await startSimulator({ ignore_force_rate: 0.5 });
    try {
      const config = testConfig(sim.url, {
        requests: 30,
        force_output_length: true,
        output_tokens: { mean: 20 },
      });
      const [point] = (await runProfile(config, { clock, countTokens })).scenarios;
      expect(point!.validity.valid).toBe(false);
      expect(point!.validity.outputLengthMismatch!.share).toBeGreaterThan(0.2);
      expect(point!.validity.reasons[0]).toMatch(/ignored force_output_length on \d+% of requests/);
    } finally {
      await sim.close();
    }
  });
});
