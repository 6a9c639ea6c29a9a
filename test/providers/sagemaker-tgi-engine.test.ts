/**
 * The load engine end to end over the TGI and SageMaker providers, against one simulator on loopback, next to the
 * OpenAI provider as the reference: the same kinds of records, token counts equal to the simulator's truth, and TTFT
 * within a small tolerance of the server-side TTFT.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { runScenario } from '../../src/load/engine.js';
import type { RequestRecord } from '../../src/load/record.js';
import { expandScenario } from '../../src/load/points.js';
import { createProvider } from '../../src/providers/index.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { sagemakerDemoTarget } from '../../src/sim/sagemaker-face.js';
import { tgiDemoTarget } from '../../src/sim/tgi-face.js';
import type { SimTruth } from '../../src/sim/truth.js';
import { countTokens } from '../../src/workload/tokenizer.js';
import { createWorkload } from '../../src/workload/workload.js';
import { clock, median } from '../helpers/scenario-run.js';

let sim: SimHandle;
beforeAll(async () => {
  // The SageMaker provider takes credentials from the SDK default chain only: dummy ones in the environment.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLLMPERFGATETEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret-not-real');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  sim = await startSimulator({ log_truth: true, step_ms: 4 });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim.close();
});

/** Run one scenario against the shared simulator through the provider for `target`. */
async function run(
  target: Record<string, unknown>,
  name: string,
): Promise<{ records: RequestRecord[]; truth: Map<string, SimTruth> }> {
  await sim.clearTruth();
  const config = configSchema.parse({
    target,
    scenarios: [
      {
        name,
        concurrency: 3,
        requests: 18,
        warmup_requests: 6,
        input_tokens: { mean: 96, stddev: 16 },
        output_tokens: { mean: 16, stddev: 4, min: 4 },
        timeout_s: 10,
      },
    ],
  });
  const scenario = config.scenarios[0]!;
  const point = expandScenario(scenario)[0]!;
  const provider = createProvider(config.target, {
    clock,
    concurrency: point.load.mode === 'closed' ? point.load.concurrency : 64,
  });
  try {
    const done = await runScenario({
      point,
      workload: createWorkload(scenario, config.target),
      provider,
      clock,
      countTokens,
    }).done;
    const truth = new Map((await sim.truth()).map((t) => [t.requestId, t]));
    return { records: done.records.filter((r) => !r.warmup), truth };
  } finally {
    await provider.close();
  }
}

/** Client TTFT minus the server's (same clock: the simulator runs in this process). */
function ttftDiffs(records: readonly RequestRecord[], truth: Map<string, SimTruth>): number[] {
  return records.map((r) => {
    const t = truth.get(r.requestId)!;
    return r.firstTokenMs! - r.sentMs - (t.firstTokenMs! - t.arrivalMs);
  });
}

const keys = (records: readonly RequestRecord[]) =>
  [...new Set(records.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'connectMs').sort();

describe('engine over the TGI and SageMaker providers', () => {
  it('records the same kinds of records as the OpenAI provider, with token counts equal to the truth', async () => {
    const reference = await run({ provider: 'openai', base_url: sim.url, model: 'sim' }, 'openai');
    const runs = {
      tgi: await run(tgiDemoTarget(sim), 'tgi'),
      'sagemaker-tgi': await run(sagemakerDemoTarget(sim, 'tgi'), 'sagemaker-tgi'),
      'sagemaker-messages': await run(
        { ...sagemakerDemoTarget(sim, 'messages'), extra_body: { stream_options: { include_usage: true } } },
        'sagemaker-messages',
      ),
    };
    const medians: Record<string, number> = { openai: median(ttftDiffs(reference.records, reference.truth)) };
    for (const [name, { records, truth }] of Object.entries(runs)) {
      expect(records, name).toHaveLength(18);
      expect(keys(records), name).toEqual(keys(reference.records));
      for (const r of records) {
        const t = truth.get(r.requestId);
        expect(t, `${name} ${r.requestId}`).toBeDefined();
        expect(r.outcome).toBe('ok');
        expect(r.outputTokens).toBe(t!.outputTokens);
        expect(r.outputTokensSource).toBe('usage');
        expect(r.outputTokensTokenizer).toBe(t!.outputTokens);
        expect(r.inputTokensUsage).toBe(t!.inputTokens);
        expect(r.chunkMs).toHaveLength(r.outputTokens);
        expect(r.chunkTokens.every((n) => n === 1)).toBe(true);
        expect(r.responseMs!).toBeLessThanOrEqual(r.firstTokenMs!);
      }
      // Connections are kept alive: at most one opened per concurrency slot, warmup included.
      expect(records.filter((r) => r.connectMs !== undefined).length, name).toBeLessThanOrEqual(3);
      const diffs = ttftDiffs(records, truth);
      // The client sees the first token only after the server wrote it.
      expect(Math.min(...diffs), name).toBeGreaterThan(-0.5);
      medians[name] = median(diffs);
    }
    // Loopback, parsing and (SageMaker) SigV4 signing plus the SDK's event-stream decoding, on a shared machine:
    // generous bounds; the benchmark reports the real figures.
    expect(medians.tgi).toBeLessThan(5);
    expect(medians['sagemaker-tgi']).toBeLessThan(20);
    expect(medians['sagemaker-messages']).toBeLessThan(20);
    console.info(
      'median client − server TTFT (ms): ' +
        Object.entries(medians)
          .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
          .join(', '),
    );
  });
});
