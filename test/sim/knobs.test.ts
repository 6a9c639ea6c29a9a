import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  defaultKnobs,
  formatKnobHelp,
  knobArgOptions,
  knobsFromFlags,
  parseKnobs,
  SIM_KNOBS,
  SimKnobError,
} from '../../src/sim/knobs.js';

describe('sim knobs', () => {
  it('derives defaults, flags and help from one table', () => {
    const defaults = defaultKnobs();
    expect(parseKnobs({})).toEqual(defaults);
    expect(Object.keys(defaults)).toEqual(SIM_KNOBS.map((spec) => spec.name));
    for (const spec of SIM_KNOBS) {
      expect(spec.flag).toBe(`--${spec.name.replaceAll('_', '-')}`);
      expect(spec.default).toEqual(defaults[spec.name]);
      expect(formatKnobHelp()).toContain(spec.flag);
    }
    expect(defaults).toMatchObject({
      step_ms: 8,
      max_batch: 64,
      slowdown: 1,
      usage: true,
      tokens_per_chunk: 1,
    });
  });

  it('gives realistic default timing: ~120 tokens/s per stream at batch 1, TTFT tens of ms at 512 tokens', () => {
    const k = defaultKnobs();
    const itl = k.step_ms + k.per_seq_ms;
    expect(1000 / itl).toBeGreaterThan(100);
    expect(1000 / itl).toBeLessThan(150);
    const ttft = itl + (k.prefill_ms_per_1k_tokens * 512) / 1000;
    expect(ttft).toBeGreaterThan(10);
    expect(ttft).toBeLessThan(50);
  });

  it('keeps valid overrides and fills in the rest', () => {
    const knobs = parseKnobs({ step_ms: 12, usage: false, model: 'llama', seed: 7, per_seq_ms: undefined });
    expect(knobs.step_ms).toBe(12);
    expect(knobs.usage).toBe(false);
    expect(knobs.model).toBe('llama');
    expect(knobs.per_seq_ms).toBe(defaultKnobs().per_seq_ms);
  });

  it.each([
    [{ step_ms: 0 }, 'step_ms (--step-ms)'],
    [{ step_ms: -1 }, 'step_ms'],
    [{ max_batch: 1.5 }, 'max_batch (--max-batch)'],
    [{ error_rate: 1.2 }, 'error_rate'],
    [{ jitter: -0.1 }, 'jitter'],
    [{ usage: 'yes' }, 'usage (--usage)'],
    [{ tokens_per_chunk: 0 }, 'tokens_per_chunk'],
    [{ seed: -3 }, 'seed'],
    [{ model: 5 }, 'model'],
  ])('rejects %j naming the knob', (partial, name) => {
    expect(() => parseKnobs(partial)).toThrow(SimKnobError);
    expect(() => parseKnobs(partial)).toThrow(name);
  });

  it('rejects unknown knobs and lists every problem', () => {
    let message = '';
    try {
      parseKnobs({ stepms: 3, slowdown: 0 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('unknown sim knob "stepms"');
    expect(message).toContain('step_ms');
    expect(message).toContain('slowdown (--slowdown)');
  });

  it('parses command-line flags through parseArgs', () => {
    const args = [
      '--port',
      '8000',
      '--step-ms',
      '12',
      '--usage',
      'false',
      '--model',
      'llama',
      '--max-batch',
      '4',
    ];
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, ...knobArgOptions() } });
    const knobs = knobsFromFlags(values);
    expect(knobs).toMatchObject({ step_ms: 12, usage: false, model: 'llama', max_batch: 4 });
    expect(values.port).toBe('8000');
  });

  it('names the flag when a flag value is wrong', () => {
    expect(() => knobsFromFlags({ 'step-ms': 'fast' })).toThrow('--step-ms: expected a number, got "fast"');
    expect(() => knobsFromFlags({ 'log-truth': 'maybe' })).toThrow('--log-truth: expected true or false');
    expect(() => knobsFromFlags({ 'max-batch': '2.5' })).toThrow('max_batch (--max-batch)');
  });
});
