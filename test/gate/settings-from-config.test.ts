import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseGateSection } from '../../src/config/load.js';
import { gateSchema, type GateConfig } from '../../src/config/schema.js';
import { gateSettingsFrom } from '../../src/gate/settings-from-config.js';
import { DEFAULT_GATE_SETTINGS } from '../../src/gate/stats/index.js';

function gateIssues(input: unknown): string[] {
  const parsed = gateSchema.safeParse(input);
  if (parsed.success) throw new Error('the gate section was accepted');
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function configError(text: string, file = 'perf.yml'): ConfigError {
  try {
    parseGateSection(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('parseGateSection accepted the text');
}

describe('gateSettingsFrom', () => {
  it('gives the statistics core its defaults when the gate section is empty', () => {
    const gate = gateSchema.parse({});
    expect(gate).toEqual({ history: 20, accept_label: 'perf-regression-accepted' });
    expect(gateSettingsFrom(gate)).toEqual(DEFAULT_GATE_SETTINGS);
  });

  it('maps custom metrics onto request, throughput and error-rate gates with their limits', () => {
    const gate = gateSchema.parse({
      metrics: [
        { metric: 'ttft_ms', statistic: 'p99', tolerance: 0.2, max: 800 },
        { metric: 'tpot_ms', statistic: 'mean', tolerance: 0.05 },
        { metric: 'request_output_tokens_per_s', statistic: 'p50', tolerance: 0.1, min: 25 },
        { metric: 'output_tokens_per_s', tolerance: 0.08, min: 1200 },
        { metric: 'error_rate', tolerance: 0.02, max: 0.05 },
      ],
      alpha: 0.01,
      confidence: 0.9,
      noise_floor: 0.08,
      min_history_runs: 4,
    });
    const settings = gateSettingsFrom(gate);
    expect(settings.metrics).toEqual([
      { kind: 'request', metric: 'ttft_ms', statistic: 'p99', tolerance: 0.2, limit: 800 },
      { kind: 'request', metric: 'tpot_ms', statistic: 'mean', tolerance: 0.05 },
      { kind: 'request', metric: 'request_output_tokens_per_s', statistic: 'p50', tolerance: 0.1, limit: 25 },
      { kind: 'throughput', metric: 'output_tokens_per_s', tolerance: 0.08, limit: 1200 },
      { kind: 'error_rate', metric: 'error_rate', tolerance: 0.02, limit: 0.05 },
    ]);
    expect(settings).toMatchObject({ alpha: 0.01, confidence: 0.9, noiseFloor: 0.08, minHistoryRuns: 4 });
    // What the config cannot set keeps its default.
    expect(settings.bootstrapReplicates).toBe(DEFAULT_GATE_SETTINGS.bootstrapReplicates);
    expect(settings.seed).toBe(DEFAULT_GATE_SETTINGS.seed);
  });

  it('names the field when settings built without the schema are out of range', () => {
    const bad = { history: 20, accept_label: 'x', alpha: 0.7 } as GateConfig;
    expect(() => gateSettingsFrom(bad)).toThrow(/^gate: alpha must be within \(0, 0\.5\), got 0\.7$/);
  });
});

describe('gateSchema', () => {
  it('rejects a statistic on a run-level metric', () => {
    expect(
      gateIssues({ metrics: [{ metric: 'output_tokens_per_s', statistic: 'p50', tolerance: 0.1 }] }),
    ).toEqual(['metrics.0.statistic: output_tokens_per_s is one number per run: remove statistic']);
    expect(gateIssues({ metrics: [{ metric: 'error_rate', statistic: 'mean', tolerance: 0.01 }] })).toEqual([
      'metrics.0.statistic: error_rate is one number per run: remove statistic',
    ]);
  });

  it('requires a statistic on a per-request metric', () => {
    expect(gateIssues({ metrics: [{ metric: 'e2el_ms', tolerance: 0.1 }] })).toEqual([
      'metrics.0.statistic: e2el_ms needs a statistic (p50, p90, p95, p99 or mean)',
    ]);
  });

  it('rejects max on a higher-is-better metric and min on a lower-is-better one', () => {
    expect(gateIssues({ metrics: [{ metric: 'output_tokens_per_s', tolerance: 0.1, max: 10 }] })).toEqual([
      'metrics.0.max: output_tokens_per_s is better when higher: use min, not max',
    ]);
    expect(
      gateIssues({
        metrics: [{ metric: 'request_output_tokens_per_s', statistic: 'p50', tolerance: 0.1, max: 10 }],
      }),
    ).toEqual(['metrics.0.max: request_output_tokens_per_s is better when higher: use min, not max']);
    expect(
      gateIssues({ metrics: [{ metric: 'ttft_ms', statistic: 'p50', tolerance: 0.1, min: 10 }] }),
    ).toEqual(['metrics.0.min: ttft_ms is better when lower: use max, not min']);
  });

  it('rejects a metric gated twice, pointing at the second', () => {
    expect(
      gateIssues({
        metrics: [
          { metric: 'ttft_ms', statistic: 'p95', tolerance: 0.1 },
          { metric: 'ttft_ms', statistic: 'p50', tolerance: 0.1 },
          { metric: 'ttft_ms', statistic: 'p95', tolerance: 0.2 },
          { metric: 'error_rate', tolerance: 0.01 },
          { metric: 'error_rate', tolerance: 0.02 },
        ],
      }),
    ).toEqual([
      'metrics.2.metric: ttft_ms p95 is gated twice',
      'metrics.4.metric: error_rate is gated twice',
    ]);
  });

  it('rejects an empty metric list, tolerances outside (0, 1) and a history over 200', () => {
    expect(gateIssues({ metrics: [] })[0]).toMatch(/^metrics: /);
    expect(gateIssues({ metrics: [{ metric: 'error_rate', tolerance: 0 }] })[0]).toMatch(
      /^metrics\.0\.tolerance: /,
    );
    expect(gateIssues({ metrics: [{ metric: 'error_rate', tolerance: 1 }] })[0]).toMatch(
      /^metrics\.0\.tolerance: /,
    );
    expect(gateIssues({ history: 201 })[0]).toMatch(/^history: /);
    expect(gateIssues({ min_history_runs: 2 })[0]).toMatch(/^min_history_runs: /);
  });
});

describe('parseGateSection', () => {
  const PROFILE = `target:
  provider: openai
  base_url: \${UNSET_BASE_URL}
  api_key: \${UNSET_API_KEY}
scenarios:
  - name: chat
    concurrency: eight
gate:
  history: 5
  metrics:
    - metric: ttft_ms
      statistic: p95
      tolerance: 1.5
    - metric: output_tokens_per_s
      tolerance: 0.1
      max: 100
`;

  it('reports the gate problems with their path and line, and nothing about the rest of the file', () => {
    const err = configError(PROFILE);
    expect(err.message.split('\n')).toEqual([
      'Invalid config perf.yml:',
      expect.stringMatching(/^ {2}gate\.metrics\[0\]\.tolerance: .+ \(perf\.yml:13\)$/),
      '  gate.metrics[1].max: output_tokens_per_s is better when higher: use min, not max (perf.yml:16)',
    ]);
    expect(err.issues.map((i) => i.path)).toEqual(['gate.metrics[0].tolerance', 'gate.metrics[1].max']);
  });

  it('validates only the gate section: unset variables and a bad scenario elsewhere do not fail it', () => {
    const text = PROFILE.replace('tolerance: 1.5', 'tolerance: 0.15').replace('max: 100', 'min: 100');
    expect(parseGateSection(text, 'perf.yml')).toEqual({
      history: 5,
      accept_label: 'perf-regression-accepted',
      metrics: [
        { metric: 'ttft_ms', statistic: 'p95', tolerance: 0.15 },
        { metric: 'output_tokens_per_s', tolerance: 0.1, min: 100 },
      ],
    });
  });

  it('gives the defaults for a file without a gate section, and reads JSON too', () => {
    expect(parseGateSection('target: {}\n', 'perf.yml')).toEqual(gateSchema.parse({}));
    expect(parseGateSection('{"gate": {"alpha": 0.01}}', 'perf.json')).toMatchObject({
      alpha: 0.01,
      history: 20,
    });
  });

  it('names an unknown gate key with a suggestion, and a YAML syntax error with its line', () => {
    const typo = configError('gate:\n  histroy: 5\n');
    expect(typo.message).toMatch(/gate\.histroy: unknown key \(did you mean "history"\?\) \(perf\.yml:2\)/);
    const syntax = configError('gate:\n  history: [5\n');
    expect(syntax.message).toMatch(/^Invalid config perf\.yml:\n {2}perf\.yml:\d+:\d+: /);
  });
});
