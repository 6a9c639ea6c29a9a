/**
 * The load engine end to end through the Bedrock provider (created by the provider factory, credentials from the
 * default chain as in production), against the simulator: the records look exactly like the OpenAI provider's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { runScenario } from '../../src/load/engine.js';
import type { RequestRecord } from '../../src/load/record.js';
import { expandScenario } from '../../src/load/points.js';
import { createProvider } from '../../src/providers/index.js';
import {
  bedrockDemoTarget,
  SIMULATOR_CREDENTIALS,
  useSimulatorCredentials,
} from '../../src/sim/bedrock-demo.js';
import type { SimKnobs } from '../../src/sim/knobs.js';
import { startSimulator, type SimAddresses } from '../../src/sim/server.js';
import type { SimTruth } from '../../src/sim/truth.js';
import { countTokens } from '../../src/workload/tokenizer.js';
import { createWorkload } from '../../src/workload/workload.js';
import { clock, median } from '../helpers/scenario-run.js';

const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
  expect(useSimulatorCredentials()).toBe(true);
  expect(process.env['AWS_ACCESS_KEY_ID']).toBe(SIMULATOR_CREDENTIALS.AWS_ACCESS_KEY_ID);
});
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const SCENARIO = {
  name: 'bedrock-engine',
  concurrency: 4,
  requests: 16,
  warmup_requests: 4,
  input_tokens: { mean: 64, stddev: 8 },
  output_tokens: { mean: 12, stddev: 3, min: 4 },
  timeout_s: 10,
};

async function run(
  knobs: Partial<SimKnobs>,
  target: (a: SimAddresses) => Record<string, unknown>,
): Promise<{ records: RequestRecord[]; truth: SimTruth[] }> {
  const sim = await startSimulator({ log_truth: true, ...knobs });
  try {
    const config: Config = configSchema.parse({ target: target(sim), scenarios: [SCENARIO] });
    const scenario = config.scenarios[0]!;
    const point = expandScenario(scenario)[0]!;
    const provider = createProvider(config.target, {
      clock,
      concurrency: point.load.mode === 'closed' ? point.load.concurrency : 64,
    });
    try {
      const running = runScenario({
        point,
        workload: createWorkload(scenario, config.target),
        provider,
        clock,
        countTokens,
      });
      const records = (await running.done).records;
      return { records, truth: await sim.truth() };
    } finally {
      await provider.close();
    }
  } finally {
    await sim.close();
  }
}

describe('engine → Bedrock provider → simulator', () => {
  it.each([
    ['converse', 'http2'],
    ['invoke', 'http1'],
  ] as const)(
    '%s over %s: same records as the OpenAI provider, counts and TTFT match the truth',
    async (api, handler) => {
      const bedrock = await run({}, (a) => bedrockDemoTarget(a, api, handler));
      const openai = await run({}, (a) => ({ provider: 'openai', base_url: a.url, model: 'sim' }));
      const measured = bedrock.records.filter((r) => !r.warmup);
      expect(measured).toHaveLength(16);
      expect(measured.every((r) => r.outcome === 'ok')).toBe(true);
      const byId = new Map(bedrock.truth.map((t) => [t.requestId, t]));
      for (const r of measured) {
        const t = byId.get(r.requestId)!;
        expect(r.outputTokens).toBe(t.outputTokens);
        expect(r.outputTokensSource).toBe('usage');
        expect(r.inputTokensUsage).toBe(t.inputTokens);
        expect(r.chunkMs).toHaveLength(r.outputTokens);
        expect(r.serverLatencyMs).toBeGreaterThan(0);
      }
      // Same record fields as the OpenAI provider, plus Bedrock's server-reported latency.
      const fields = (records: RequestRecord[]) =>
        [...new Set(records.filter((r) => !r.warmup).flatMap((r) => Object.keys(r)))]
          .filter((k) => k !== 'connectMs')
          .sort();
      expect(fields(bedrock.records)).toEqual([...fields(openai.records), 'serverLatencyMs'].sort());
      const diffs = measured.map((r) => {
        const t = byId.get(r.requestId)!;
        return r.firstTokenMs! - r.sentMs - (t.firstTokenMs! - t.arrivalMs);
      });
      expect(Math.min(...diffs)).toBeGreaterThan(-0.5);
      // Generous for a loaded machine; the report gives the measured figures.
      expect(median(diffs)).toBeLessThan(25);
    },
  );

  it('fault knobs become error categories and the run completes', async () => {
    const { records } = await run({ stream_throttle_rate: 0.3, stream_error_rate: 0.2, seed: 7 }, (a) =>
      bedrockDemoTarget(a, 'converse'),
    );
    const measured = records.filter((r) => !r.warmup);
    expect(measured).toHaveLength(16);
    const categories = new Set(measured.flatMap((r) => (r.error ? [r.error.category] : [])));
    expect(categories).toEqual(new Set(['http_429', 'stream_error']));
    expect(measured.some((r) => r.outcome === 'ok')).toBe(true);
  });
});
