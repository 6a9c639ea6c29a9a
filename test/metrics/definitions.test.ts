import { describe as group, expect, it } from 'vitest';
import {
  METRIC_DEFINITIONS,
  METRIC_DEFINITIONS_VERSION,
  METRIC_IDS,
  RUN_METRIC_IDS,
  metricDefinition,
  renderMetricDefinitionsMarkdown,
  type MetricId,
  type RunMetricId,
} from '../../src/metrics/definitions.js';

const ids = METRIC_DEFINITIONS.map((d) => d.id);

group('metric definitions', () => {
  it('has a version', () => {
    expect(METRIC_DEFINITIONS_VERSION).toMatch(/^\d+$/);
  });

  it('defines every metric id exactly once, and nothing else', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...METRIC_IDS, ...RUN_METRIC_IDS].sort());
  });

  it('gives request scope to per-request metrics and run scope to whole-run metrics', () => {
    for (const d of METRIC_DEFINITIONS) {
      const expected = (METRIC_IDS as readonly string[]).includes(d.id) ? 'request' : 'run';
      expect(d.scope, d.id).toBe(expected);
    }
  });

  it('puts the unit in the id', () => {
    for (const d of METRIC_DEFINITIONS) {
      if (d.id.startsWith('usd_per_')) expect(d.unit, d.id).toBe('USD');
      else if (d.id.endsWith('_ms')) expect(d.unit, d.id).toBe('ms');
      else if (d.id.endsWith('_tokens_per_s')) expect(d.unit, d.id).toBe('tokens/s');
      else if (d.id.endsWith('requests_per_s')) expect(d.unit, d.id).toBe('requests/s');
      else if (d.id.endsWith('_tokens')) expect(d.unit, d.id).toBe('tokens');
      else if (d.id.endsWith('_rate') || d.id.endsWith('_cv')) expect(d.unit, d.id).toBe('ratio');
      else throw new Error(`metric id ${d.id} does not end with a unit`);
    }
  });

  it('states latencies lower-better and throughputs higher-better', () => {
    for (const d of METRIC_DEFINITIONS) {
      const attainment = d.id === 'slo_attainment_rate';
      if (d.unit === 'ms' || d.unit === 'USD' || (d.unit === 'ratio' && !attainment)) {
        expect(d.betterWhen, d.id).toBe('lower');
      }
      if (d.unit.endsWith('/s') || attainment) expect(d.betterWhen, d.id).toBe('higher');
    }
  });

  it('writes each definition as one sentence and names a peer or "—" for every tool', () => {
    for (const d of METRIC_DEFINITIONS) {
      expect(d.definition, d.id).toMatch(/^[A-ZΣ(].*\.$/);
      expect(d.definition, d.id).not.toMatch(/\n|\. [A-Z]/);
      for (const peer of [d.vllm, d.llmperf, d.aiperf])
        expect(peer, d.id).toMatch(/^(—|[a-z][a-z0-9_]*( \(.+\))?)$/);
    }
  });

  it('maps the peer tools’ metric names', () => {
    const peers = (tool: 'vllm' | 'llmperf' | 'aiperf'): Record<string, string> =>
      Object.fromEntries(METRIC_DEFINITIONS.map((d) => [d.id, d[tool].split(' ')[0] as string]));
    expect(peers('vllm')).toMatchObject({
      ttft_ms: 'ttft_ms',
      tpot_ms: 'tpot_ms',
      itl_ms: 'itl_ms',
      e2el_ms: 'e2el_ms',
      output_tokens_per_s: 'output_throughput',
      requests_per_s: 'request_throughput',
      total_tokens_per_s: 'total_token_throughput',
    });
    expect(peers('llmperf')).toMatchObject({
      ttft_ms: 'ttft_s',
      e2el_ms: 'end_to_end_latency_s',
      request_output_tokens_per_s: 'request_output_throughput_token_per_s',
      output_tokens: 'number_output_tokens',
      output_tokens_per_s: 'mean_output_throughput_token_per_s',
    });
    expect(peers('aiperf')).toMatchObject({
      ttft_ms: 'time_to_first_token',
      tpot_ms: 'inter_token_latency',
      itl_ms: 'inter_chunk_latency',
      e2el_ms: 'request_latency',
      output_tokens_per_s: 'output_token_throughput',
      requests_per_s: 'request_throughput',
    });
  });

  it('looks definitions up by id and rejects unknown ids', () => {
    expect(metricDefinition('itl_ms').name).toBe('ITL');
    expect(() => metricDefinition('ttft_s' as MetricId | RunMetricId)).toThrow(/unknown metric id "ttft_s"/);
  });
});

group('renderMetricDefinitionsMarkdown', () => {
  const table = renderMetricDefinitionsMarkdown();
  const lines = table.split('\n');
  /** Cells of one row, splitting on pipes that are not escaped. */
  const cells = (line: string): string[] =>
    line
      .replace(/^\| /, '')
      .replace(/ \|$/, '')
      .split(/ (?<!\\)\| /);

  it('renders a header, a delimiter row and one row per definition', () => {
    expect(cells(lines[0] as string)).toEqual(['metric', 'unit', 'definition', 'vLLM', 'LLMPerf', 'AIPerf']);
    expect(lines[1]).toMatch(/^\|( -+ \|)+$/);
    expect(lines).toHaveLength(METRIC_DEFINITIONS.length + 2);
    expect(table.endsWith('\n')).toBe(false);
  });

  it('renders each definition in its row, peers in backticks and qualifiers in plain text', () => {
    METRIC_DEFINITIONS.forEach((d, i) => {
      const row = cells(lines[i + 2] as string);
      expect(row, d.id).toHaveLength(6);
      expect(row[0]).toBe(`\`${d.id}\` (${d.name})`);
      expect(row[1]).toBe(d.unit);
      expect(row[2]).toBe(d.definition);
    });
    const itl = cells(lines[2 + ids.indexOf('itl_ms')] as string);
    expect(itl[3]).toBe('`itl_ms` (per chunk)');
    const dispatch = cells(lines[2 + ids.indexOf('dispatch_lag_ms')] as string);
    expect(dispatch.slice(3)).toEqual(['—', '—', '—']);
  });
});
