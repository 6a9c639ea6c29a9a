import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/workload/corpus.js';
import {
  requestListDigest,
  scenarioLoadFields,
  targetShapeFields,
  WORKLOAD_GENERATOR_VERSION,
  workloadFingerprint,
} from '../../src/workload/fingerprint.js';
import { encodeTokens, TOKENIZER_ID } from '../../src/workload/tokenizer.js';
import type { Workload } from '../../src/workload/types.js';
import { createWorkload, DURATION_FINGERPRINT_REQUESTS } from '../../src/workload/workload.js';
import { scenario, target } from './helpers.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const measuredList = (w: Workload, n: number) => range(n).map((i) => w.measured(i));

describe('createWorkload', () => {
  it('is deterministic: two workloads from one config are equal request by request', () => {
    const config = scenario({ seed: 7, warmup_requests: 3 });
    const a = createWorkload(config, target());
    const b = createWorkload(config, target());
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(measuredList(a, 20)).toEqual(measuredList(b, 20));
    expect(range(3).map((i) => a.warmup(i))).toEqual(range(3).map((i) => b.warmup(i)));
  });

  it('puts a prompt salt in every prompt without changing the fingerprint or the token counts', () => {
    const config = scenario({ seed: 3 });
    const plain = createWorkload(config, target());
    const salted = createWorkload(config, target(), { salt: 'gh-run-4242' });
    const other = createWorkload(config, target(), { salt: 'gh-run-4243' });
    expect(salted.fingerprint).toBe(plain.fingerprint);
    for (const i of range(10)) {
      const [p, s, o] = [plain.measured(i), salted.measured(i), other.measured(i)];
      expect(s.prompt.startsWith('Run gh-run-4242, request ')).toBe(true);
      expect(s.prompt).not.toBe(p.prompt);
      expect(s.prompt).not.toBe(o.prompt);
      expect(encodeTokens(s.prompt)).toHaveLength(p.inputTokens);
      expect([s.inputTokens, s.maxTokens]).toEqual([p.inputTokens, p.maxTokens]);
    }
    expect(createWorkload(config, target(), { salt: 'gh-run-4242' }).measured(0)).toEqual(salted.measured(0));
  });

  it('generates any request on demand, in any order', () => {
    const w = createWorkload(scenario({ requests: 50 }), target());
    const later = w.measured(40);
    measuredList(w, 40);
    expect(w.measured(40)).toEqual(later);
  });

  it('pins the fingerprint and first prompt of a fixed scenario (golden values)', () => {
    // A change here means runs recorded before it are no longer comparable: bump WORKLOAD_GENERATOR_VERSION.
    const w = createWorkload(
      scenario({
        name: 'golden',
        concurrency: 4,
        requests: 8,
        warmup_requests: 2,
        seed: 42,
        input_tokens: { mean: 256, stddev: 64 },
        output_tokens: { mean: 128, stddev: 32 },
      }),
      target(),
    );
    const first = w.measured(0);
    expect({ ...first, prompt: sha256(first.prompt) }).toEqual({
      index: 0,
      requestId: 'lpg-golden-m0',
      prompt: '857fa35ea0731fd24581422a4b5f9be0d968f47736c6594b288ca69947946d9f',
      inputTokens: 198,
      maxTokens: 148,
      forceOutputLength: false,
    });
    expect(w.fingerprint).toBe('42888e9d9131963f2e903260d352901fd810b874055b6def8d082e1d64beefe8');
  });

  it('fills in the request fields', () => {
    const w = createWorkload(
      scenario({ name: 'chat-short', warmup_requests: 2, force_output_length: true }),
      target(),
    );
    expect(w.scenario).toBe('chat-short');
    expect(w.tokenizer).toBe(TOKENIZER_ID);
    expect(w.count).toBe(20);
    expect(w.warmupCount).toBe(2);
    const m = w.measured(5);
    const u = w.warmup(1);
    expect([m.index, m.requestId, u.index, u.requestId]).toEqual([
      5,
      'lpg-chat-short-m5',
      1,
      'lpg-chat-short-w1',
    ]);
    expect(m.forceOutputLength).toBe(true);
    expect(Number.isInteger(m.maxTokens) && m.maxTokens >= 1).toBe(true);
  });

  it('never changes measured requests when warmup_requests changes', () => {
    const none = createWorkload(scenario({ warmup_requests: 0 }), target());
    const five = createWorkload(scenario({ warmup_requests: 5 }), target());
    expect(measuredList(five, 20)).toEqual(measuredList(none, 20));
  });

  it('starts every prompt with different tokens: no shared prefix for a prefix cache to reuse', () => {
    const w = createWorkload(scenario({ requests: 300, warmup_requests: 50 }), target());
    const prompts = [...measuredList(w, 300), ...range(50).map((i) => w.warmup(i))].map((r) => r.prompt);
    const heads = new Set(prompts.map((p) => encodeTokens(p).slice(0, 6).join(',')));
    expect(heads.size).toBe(prompts.length);
  });

  it('gives different salts (the points of a sweep) different prompt starts with the same lengths', () => {
    const c1 = createWorkload(scenario({ concurrency: 1 }), target(), { salt: 'unit@c1' });
    const c8 = createWorkload(scenario({ concurrency: 8 }), target(), { salt: 'unit@c8' });
    const head = (w: Workload) => encodeTokens(w.measured(0).prompt).slice(0, 16);
    expect(head(c1)).not.toEqual(head(c8));
    expect(c1.measured(0).inputTokens).toBe(c8.measured(0).inputTokens);
    expect(c1.fingerprint).toBe(c8.fingerprint);
  });

  it('samples lengths that respect min/max and match mean/stddev', () => {
    const w = createWorkload(
      scenario({
        requests: 3000,
        input_tokens: { mean: 24, stddev: 6, min: 12, max: 40 },
        output_tokens: { mean: 300, stddev: 50 },
      }),
      target(),
    );
    const requests = measuredList(w, 3000);
    const stats = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { mean, sd: Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)), xs };
    };
    const input = stats(requests.map((r) => r.inputTokens));
    const output = stats(requests.map((r) => r.maxTokens));
    expect(Math.min(...input.xs)).toBeGreaterThanOrEqual(12);
    expect(Math.max(...input.xs)).toBeLessThanOrEqual(40);
    expect(Math.max(...output.xs)).toBeLessThanOrEqual(500);
    // Standard errors: input mean 0.11, output mean 0.9; stddev about 2.5% of itself.
    expect(Math.abs(input.mean - 24)).toBeLessThan(0.5);
    expect(Math.abs(input.sd - 6)).toBeLessThan(0.5);
    expect(Math.abs(output.mean - 300)).toBeLessThan(4);
    expect(Math.abs(output.sd - 50)).toBeLessThan(4);
  });

  it('rejects request indexes outside the workload, naming the scenario', () => {
    const w = createWorkload(scenario({ name: 'bounded', requests: 3, warmup_requests: 1 }), target());
    expect(() => w.measured(3)).toThrow(
      /workload "bounded": measured request index 3 is not an integer in \[0, 3\)/,
    );
    expect(() => w.warmup(1)).toThrow(/warmup request index 1/);
    expect(() => w.measured(-1)).toThrow(RangeError);
    expect(() => w.measured(0.5)).toThrow(RangeError);
  });

  it('has no upper bound on measured requests for a duration run', () => {
    const w = createWorkload(scenario({ requests: undefined, duration_s: 30 }), target());
    expect(w.count).toBeUndefined();
    expect(w.measured(5_000_000).requestId).toBe('lpg-unit-m5000000');
    expect(() => w.measured(-1)).toThrow(/is not a non-negative integer/);
  });
});

describe('workload fingerprint', () => {
  const base = { seed: 3, requests: 10 };
  const fingerprint = (s: Record<string, unknown> = {}, t: Record<string, unknown> = {}) =>
    createWorkload(scenario({ ...base, ...s }), target(t)).fingerprint;
  const reference = fingerprint();

  it('is a sha256 hex digest', () => {
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['seed', { seed: 4 }, {}],
    ['input lengths', { input_tokens: { mean: 65, stddev: 16 } }, {}],
    ['output lengths', { output_tokens: { mean: 32, stddev: 9 } }, {}],
    ['request count', { requests: 11 }, {}],
    ['warmup count', { warmup_requests: 1 }, {}],
    ['forced output length', { force_output_length: true }, {}],
    ['api', {}, { api: 'completions' }],
    ['extra_body', {}, { extra_body: { temperature: 0 } }],
    ['include_usage', {}, { include_usage: false }],
  ])('changes with the %s', (_what, s, t) => {
    expect(fingerprint(s, t)).not.toBe(reference);
  });

  it.each([
    ['base_url', {}, { base_url: 'https://llm.example.invalid/v1' }],
    ['model', {}, { model: 'another-model' }],
    ['api_key', {}, { api_key: 'sk-secret' }],
    ['headers', {}, { headers: { 'X-Team': 'perf' } }],
    ['tls', {}, { tls: { insecure_skip_verify: true } }],
    ['max_connections', {}, { max_connections: 64 }],
    ['scenario name', { name: 'renamed' }, {}],
    ['per-request timeout', { timeout_s: 5 }, {}],
    ['grace period', { grace_s: 1 }, {}],
    // The load shape is hashed by the caller as the `load` member (test/load/points.test.ts): a sweep's points share
    // one workload.
    ['concurrency', { concurrency: 3 }, {}],
    ['SLO', { slo: { ttft_ms: 200 } }, {}],
  ])('does not change with the %s', (_what, s, t) => {
    expect(fingerprint(s, t)).toBe(reference);
  });

  it('does not depend on the order keys were written in', () => {
    expect(fingerprint({}, { extra_body: { a: 1, b: { c: 2, d: 3 } } })).toBe(
      fingerprint({}, { extra_body: { b: { d: 3, c: 2 }, a: 1 } }),
    );
  });

  it('hashes every request of a count run and the first 1000 of a duration run', () => {
    const count = scenario({ ...base });
    const duration = scenario({
      ...base,
      requests: undefined,
      duration_s: 60,
      input_tokens: { mean: 8, stddev: 2 },
    });
    for (const [config, hashed] of [
      [count, 10],
      [duration, DURATION_FINGERPRINT_REQUESTS],
    ] as const) {
      const w = createWorkload(config, target());
      const expected = workloadFingerprint({
        generator: WORKLOAD_GENERATOR_VERSION,
        tokenizer: TOKENIZER_ID,
        corpus: loadCorpus().sha256,
        scenario: scenarioLoadFields(config),
        target: targetShapeFields(target()),
        requests: requestListDigest(measuredList(w, hashed)),
      });
      expect(w.fingerprint).toBe(expected);
    }
  });

  it('can be extended by other layers without touching the hash code', () => {
    const config = scenario(base);
    const extended = createWorkload(config, target(), {
      fingerprintExtra: { arrival: { rate: 5 } },
    }).fingerprint;
    expect(extended).not.toBe(reference);
    expect(createWorkload(config, target(), { fingerprintExtra: { arrival: { rate: 5 } } }).fingerprint).toBe(
      extended,
    );
    expect(
      () => createWorkload(config, target(), { fingerprintExtra: { seed: 1, corpus: 'x' } }).fingerprint,
    ).toThrow(/fingerprintExtra member "corpus" would replace a built-in member/);
  });
});
