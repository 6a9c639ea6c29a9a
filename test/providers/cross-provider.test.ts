/**
 * The same scenario through every provider against one simulator: the gate works unchanged only if every wire
 * protocol yields the same request records, so TTFT and throughput must agree with each other and with the
 * simulator's own server-side truth.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTarget, type DemoProvider } from '../../src/cli/demo-command.js';
import { configSchema } from '../../src/config/schema.js';
import { runProfile } from '../../src/load/profile.js';
import { summarizeScenario } from '../../src/metrics/summary.js';
import { SIMULATOR_CREDENTIALS } from '../../src/sim/bedrock-demo.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { countTokens } from '../../src/workload/tokenizer.js';
import { median } from '../helpers/scenario-run.js';

const clock = () => performance.now();
const VARIANTS: [DemoProvider, string | undefined][] = [
  ['openai', 'chat'],
  ['openai', 'completions'],
  ['tgi', undefined],
  ['bedrock', 'converse'],
  ['bedrock', 'invoke'],
  ['sagemaker', 'tgi'],
  ['sagemaker', 'messages'],
];

let sim: SimHandle;
const saved = { ...process.env };

beforeAll(async () => {
  // Prefill-dominated TTFT (≈ 20 ms) so the protocols' sub-millisecond differences are small next to it.
  sim = await startSimulator({ log_truth: true, step_ms: 4, prefill_ms_per_1k_tokens: 40, jitter: 0 });
  Object.assign(process.env, SIMULATOR_CREDENTIALS);
});
afterAll(async () => {
  await sim.close();
  for (const k of Object.keys(SIMULATOR_CREDENTIALS)) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('every provider against the same simulator', () => {
  it('gives TTFT and throughput within a few percent of each other and of the server-side truth', async () => {
    const rows: {
      variant: string;
      ttftP50: number;
      truthP50: number;
      tps: number;
      truthTps: number;
    }[] = [];
    for (const [provider, api] of VARIANTS) {
      await sim.clearTruth();
      const config = configSchema.parse({
        target: demoTarget(sim, provider, api),
        readiness: { timeout_s: 5 },
        scenarios: [
          {
            name: 'same',
            concurrency: 4,
            requests: 40,
            warmup_requests: 4,
            input_tokens: { mean: 512 },
            output_tokens: { mean: 24 },
            seed: 9,
          },
        ],
      });
      const profile = await runProfile(config, { clock, countTokens });
      const records = profile.scenarios[0]!.run.records;
      const summary = summarizeScenario(records);
      expect(summary.requests.ok, `${provider} ${api ?? ''}`).toBe(40);
      const truth = await sim.truth();
      const byId = new Map(truth.map((t) => [t.requestId, t]));
      const measured = records.filter((r) => !r.warmup);
      // The server's throughput over the same span: the measured requests' tokens, from the first one's arrival to
      // the last one's end (durations only: the simulator may keep its own clock origin).
      const served = measured.flatMap((r) => byId.get(r.requestId) ?? []);
      const spanMs = Math.max(...served.map((t) => t.endMs)) - Math.min(...served.map((t) => t.arrivalMs));
      const truthTps = (served.reduce((n, t) => n + t.outputTokens, 0) * 1000) / spanMs;
      const serverTtft = measured.flatMap((r) => {
        const t = byId.get(r.requestId);
        return t?.firstTokenMs === undefined ? [] : [t.firstTokenMs - t.arrivalMs];
      });
      // Every request was matched with the server's record of it (the request id reaches the server).
      expect(serverTtft, `${provider} ${api ?? ''}`).toHaveLength(40);
      rows.push({
        variant: `${provider}${api ? `/${api}` : ''}`,
        ttftP50: summary.metrics.ttft_ms.p50!,
        truthP50: median(serverTtft),
        tps: summary.throughput.outputTokensPerS!,
        truthTps,
      });
    }
    console.log(
      rows
        .map(
          (r) =>
            `${r.variant}: TTFT p50 ${r.ttftP50.toFixed(2)} ms (server ${r.truthP50.toFixed(2)}), ${r.tps.toFixed(0)} tok/s (server ${r.truthTps.toFixed(0)})`,
        )
        .join('\n'),
    );
    const ttfts = rows.map((r) => r.ttftP50);
    const tps = rows.map((r) => r.tps);
    const mid = (xs: number[]) => median(xs);
    for (const r of rows) {
      expect(Math.abs(r.ttftP50 / mid(ttfts) - 1), r.variant).toBeLessThan(0.1);
      // Each variant's throughput is its own run's: on a loaded machine the simulator itself runs slower for one variant
      // than another, so the variants agree to 10%, and each agrees with what the server measured to 3%.
      expect(Math.abs(r.tps / mid(tps) - 1), r.variant).toBeLessThan(0.1);
      expect(Math.abs(r.tps / r.truthTps - 1), r.variant).toBeLessThan(0.03);
      // The client sees the first token after the server wrote it, a few ms at most later on loopback.
      expect(r.ttftP50 - r.truthP50, r.variant).toBeGreaterThan(0);
      expect(r.ttftP50 / r.truthP50 - 1, r.variant).toBeLessThan(0.15);
    }
  }, 60_000);
});
