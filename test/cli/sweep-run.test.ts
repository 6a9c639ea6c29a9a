/**
 * A sweep end to end against the real simulator: a continuous-batching engine running at most 8 sequences at once,
 * swept in a closed loop over concurrency 1 … 32 by executeRun (the profile runner, engine and OpenAI provider on
 * loopback). Past concurrency 8 requests only queue, so output throughput stops growing there: the knee must be at 8,
 * or at 16 (one step on: in a closed loop at exactly the batch size, a slot idles while its next request travels,
 * so the first doubling past the limit may still gain a little). The run also writes the sweep's SVG chart.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { executeRun, type ExecuteRunResult } from '../../src/cli/execute-run.js';
import { configSchema } from '../../src/config/schema.js';
import { summarizeSweep } from '../../src/metrics/sweep.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { memoryIO, type MemoryIO } from '../helpers/memory-io.js';
import { parseXml } from '../report/well-formed-xml.js';

const LEVELS = [1, 2, 4, 8, 16, 32];

describe('a concurrency sweep against a simulator with max_batch 8', () => {
  let sim: SimHandle;
  let dir: string;
  let io: MemoryIO;
  let outcome: ExecuteRunResult;

  beforeAll(async () => {
    sim = await startSimulator({
      max_batch: 8,
      step_ms: 4,
      per_seq_ms: 0,
      prefill_ms_per_1k_tokens: 0,
      jitter: 0,
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'lpg-sweep-'));
    const config = configSchema.parse({
      target: { provider: 'openai', base_url: sim.url, model: 'sim' },
      readiness: { timeout_s: 5, initial_interval_s: 0.05, max_interval_s: 0.2 },
      scenarios: [
        {
          name: 'batch',
          concurrency: LEVELS,
          duration_s: 0.6,
          warmup_s: 0.1,
          cooldown_s: 0.1,
          grace_s: 5,
          input_tokens: { mean: 32 },
          output_tokens: { mean: 48 },
          force_output_length: true,
          slo: { ttft_ms: 100 },
        },
      ],
    });
    io = memoryIO();
    outcome = await executeRun(io, { config, secrets: [], outDir: dir, progress: false });
  });

  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every level and summarises the sweep', () => {
    expect(outcome.exitCode).toBe(EXIT.ok);
    const sweep = outcome.result.sweeps[0];
    expect(sweep?.points.map((p) => p.name)).toEqual(LEVELS.map((c) => `batch@c${c}`));
    expect(sweep?.points.every((p) => p.outputTokensPerS !== null && p.outputTokensPerS > 0)).toBe(true);
  });

  it('finds the knee where throughput stops growing', () => {
    const sweep = outcome.result.sweeps[0]!;
    // The knee leaves out levels the load generator flagged (a noisy machine may flag one); judged on the whole curve
    // here so that the check is about the simulator's saturation, not about this machine's load.
    const judged = summarizeSweep({
      scenario: sweep.scenario,
      parameter: sweep.parameter,
      levels: outcome.result.scenarios.map((s) => ({
        name: s.name,
        value: s.sweep?.value ?? 0,
        valid: true,
        summary: s.summary,
      })),
    });
    expect([8, 16]).toContain(judged.knee?.value);
    if (sweep.points.every((p) => p.valid)) expect(sweep.knee).toEqual(judged.knee);
    // past the batch limit requests queue: p95 TTFT at 32 (four waves deep) far exceeds that at 8
    const ttft = (c: number) => sweep.points.find((p) => p.value === c)?.ttftP95Ms ?? NaN;
    expect(ttft(32)).toBeGreaterThan(3 * ttft(8));
  });

  it('prints the sweep table and writes the SVG chart', async () => {
    expect(io.stdout()).toContain('Sweep batch: concurrency 1 → 32');
    expect(io.stdout()).toMatch(/\nKnee: /);
    expect(io.stdout()).toMatch(/\nCapacity: /);
    const chart = path.join(dir, 'sweep-batch.svg');
    expect(outcome.chartPaths).toEqual([chart]);
    expect(io.stderr()).toContain(`sweep chart: ${chart}`);
    const elements = parseXml(await readFile(chart, 'utf8'));
    const sweep = outcome.result.sweeps[0]!;
    const charted = sweep.points.filter((p) => p.outputTokensPerS !== null && p.ttftP95Ms !== null);
    const labels = charted.map((p) => `c${p.value}${p.valid ? '' : ' (invalid)'}`);
    expect(elements.filter((e) => e.name === 'text').map((e) => e.text)).toEqual(
      expect.arrayContaining([...labels, ...(sweep.knee ? ['knee'] : [])]),
    );
  });
});
