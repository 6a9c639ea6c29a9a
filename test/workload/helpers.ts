import type { ScenarioConfig, TargetConfig } from '../../src/config/schema.js';
import { scenarioSchema, targetSchema } from '../../src/config/schema.js';

/** A validated scenario (schema defaults applied) with small, fast defaults that tests override. */
export function scenario(overrides: Record<string, unknown> = {}): ScenarioConfig {
  return scenarioSchema.parse({
    name: 'unit',
    concurrency: 2,
    requests: 20,
    input_tokens: { mean: 64, stddev: 16 },
    output_tokens: { mean: 32, stddev: 8 },
    ...overrides,
  });
}

/** A validated OpenAI-compatible target on loopback (never contacted by workload tests). */
export function target(overrides: Record<string, unknown> = {}): TargetConfig {
  return targetSchema.parse({
    provider: 'openai',
    base_url: 'http://127.0.0.1:8000/v1',
    model: 'm',
    ...overrides,
  });
}
