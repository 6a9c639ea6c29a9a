import { describe, expect, it } from 'vitest';
import {
  appendRun,
  BASELINE_SCHEMA_VERSION,
  BaselineFileError,
  emptyBaseline,
  formatBaseline,
  historyOf,
  parseBaseline,
  type AppendMeta,
  type BaselineFile,
} from '../../src/gate/baseline-file.js';
import { SUMMARY_PERCENTS } from '../../src/gate/stats/index.js';
import { METRIC_DEFINITIONS_VERSION } from '../../src/metrics/definitions.js';
import type { RunResult } from '../../src/results/schema.js';
import { TOOL_VERSION } from '../../src/version.js';
import { fingerprintOf, syntheticRunResult, type ScenarioShape } from '../helpers/run-result.js';

const FILE = '.llm-perf/baseline.json';

function meta(id: string, overrides: Partial<AppendMeta> = {}): AppendMeta {
  return { id, recordedAt: '2025-01-02T03:04:05.000Z', acceptedBy: 'gate-pass', history: 20, ...overrides };
}

function run(seed: number, extra: Partial<ScenarioShape> = {}, name = 'chat'): RunResult {
  return syntheticRunResult({ scenarios: [{ name, seed, requests: 120, ...extra }] });
}

/** Appends `results` in order with ids r1, r2, … */
function appendAll(results: readonly RunResult[], history = 20): BaselineFile {
  let baseline = emptyBaseline();
  results.forEach((r, i) => {
    ({ baseline } = appendRun(baseline, r, meta(`r${i + 1}`, { history })));
  });
  return baseline;
}

/** A valid baseline text with one run, as a plain object to break. */
function validObject(): Record<string, unknown> {
  return JSON.parse(formatBaseline(appendAll([run(1)]))) as Record<string, unknown>;
}

function parseError(text: string): string {
  try {
    parseBaseline(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(BaselineFileError);
    return (err as Error).message;
  }
  throw new Error('parseBaseline accepted the text');
}

describe('parseBaseline', () => {
  it('names the file when the text is not JSON', () => {
    expect(parseError('{"schemaVersion": 1,')).toMatch(/^\.llm-perf\/baseline\.json is not valid JSON: /);
  });

  it('tells the user to upgrade when the file is from a newer version', () => {
    const data = { ...validObject(), schemaVersion: BASELINE_SCHEMA_VERSION + 1 };
    expect(parseError(JSON.stringify(data))).toMatch(
      /^\.llm-perf\/baseline\.json has schemaVersion 2, newer than this llm-perf-gate understands \(1\): upgrade the action$/,
    );
  });

  it('names the file and the field of a wrong type, down to the run index', () => {
    const data = validObject() as { scenarios: { chat: { runs: Record<string, unknown>[] } } };
    data.scenarios.chat.runs[0]!.requests = 'many';
    expect(parseError(JSON.stringify(data))).toMatch(
      /^\.llm-perf\/baseline\.json: scenarios\.chat\.runs\[0\]\.requests: .*number/i,
    );
  });

  it('names a malformed fingerprint, an unknown acceptedBy and a non-monotone quantile grid', () => {
    const bad = (mutate: (d: { scenarios: { chat: Record<string, unknown> } }) => void): string => {
      const data = validObject() as { scenarios: { chat: Record<string, unknown> } };
      mutate(data);
      return parseError(JSON.stringify(data));
    };
    expect(
      bad((d) => {
        d.scenarios.chat.fingerprint = 'abc';
      }),
    ).toMatch(/: scenarios\.chat\.fingerprint: /);
    expect(
      bad((d) => {
        (d.scenarios.chat.runs as Record<string, unknown>[])[0]!.acceptedBy = 'someone';
      }),
    ).toMatch(/: scenarios\.chat\.runs\[0\]\.acceptedBy: /);
    expect(
      bad((d) => {
        const entry = (
          d.scenarios.chat.runs as { distributions: Record<string, Record<string, number>> }[]
        )[0]!;
        const ttft = entry.distributions.ttft_ms!;
        ttft.p50 = ttft.p40! - 1;
      }),
    ).toMatch(/: scenarios\.chat\.runs\[0\]\.distributions\.ttft_ms\.p50: p50 is below p40$/);
  });

  it('rejects a file that is not a baseline at all, naming the root', () => {
    expect(parseError('null')).toMatch(/^\.llm-perf\/baseline\.json: \(root\): /);
    expect(parseError('{"schemaVersion":1,"tool":"other","scenarios":{}}')).toMatch(/: tool: /);
  });

  it('accepts an empty baseline and what formatBaseline wrote', () => {
    expect(parseBaseline(formatBaseline(emptyBaseline()), FILE)).toEqual(emptyBaseline());
  });
});

describe('appendRun', () => {
  it('creates the scenario on the first run with an entry that summarises it', () => {
    const result = run(1, { errors: 3 });
    const { baseline, notes } = appendRun(
      emptyBaseline(),
      result,
      meta('run-1', { commit: 'abc1234', runner: 'ubuntu-24.04' }),
    );
    const scenario = baseline.scenarios.chat!;
    expect(scenario.fingerprint).toBe(fingerprintOf('chat'));
    expect(scenario.runs).toHaveLength(1);
    const entry = scenario.runs[0]!;
    const s = result.scenarios[0]!;
    expect(entry).toMatchObject({
      id: 'run-1',
      commit: 'abc1234',
      recordedAt: '2025-01-02T03:04:05.000Z',
      acceptedBy: 'gate-pass',
      toolVersion: TOOL_VERSION,
      metricDefinitionsVersion: METRIC_DEFINITIONS_VERSION,
      target: { provider: 'openai', endpoint: 'http://127.0.0.1:8000/v1', model: 'synthetic-8b' },
      runner: 'ubuntu-24.04',
      requests: 120,
      errors: { errors: 3, total: 120 },
    });
    expect(entry.target.identity).toBe('synthetic endpoint');
    // The stored grid is the report's percentiles, to 4 significant digits.
    const ttft = entry.distributions.ttft_ms!;
    expect(ttft.n).toBe(117);
    expect(ttft.p50).toBeCloseTo(s.summary.metrics.ttft_ms.p50!, 0);
    expect(Math.abs(ttft.p50 / s.summary.metrics.ttft_ms.p50! - 1)).toBeLessThan(5e-4);
    expect(Math.abs(ttft.p99 / s.summary.metrics.ttft_ms.p99! - 1)).toBeLessThan(5e-4);
    expect(entry.distributions.e2el_ms?.n).toBe(117);
    // ITL is per token and not kept; TTFAT has no values in a run without reasoning.
    expect(entry.distributions.itl_ms).toBeUndefined();
    expect(entry.distributions.ttfat_ms).toBeUndefined();
    expect(Math.abs(entry.throughput!.value / s.summary.throughput.outputTokensPerS! - 1)).toBeLessThan(5e-4);
    expect(entry.throughput!.logSe).toBeGreaterThan(0.001);
    expect(entry.throughput!.logSe).toBeLessThan(0.1);
    expect(notes).toEqual(['chat: recorded run run-1 (1 of at most 20 in history)']);
    expect(historyOf(scenario)).toEqual([
      { distributions: entry.distributions, throughput: entry.throughput, errors: entry.errors },
    ]);
  });

  it('appends later runs oldest first, and leaves the baseline it was given unchanged', () => {
    const first = appendAll([run(1)]);
    const before = formatBaseline(first);
    const { baseline, notes } = appendRun(first, run(2), meta('r2'));
    expect(baseline.scenarios.chat!.runs.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(notes).toEqual(['chat: recorded run r2 (2 of at most 20 in history)']);
    expect(formatBaseline(first)).toBe(before);
  });

  it('drops the oldest runs beyond the history length, saying so', () => {
    const three = appendAll([run(1), run(2), run(3)], 3);
    const { baseline, notes } = appendRun(three, run(4), meta('r4', { history: 3 }));
    expect(baseline.scenarios.chat!.runs.map((r) => r.id)).toEqual(['r2', 'r3', 'r4']);
    expect(notes[0]).toBe('chat: recorded run r4 (3 of at most 3 in history); dropped 1 oldest');
    // A smaller history setting trims an existing history on the next append.
    const trimmed = appendRun(baseline, run(5), meta('r5', { history: 1 }));
    expect(trimmed.baseline.scenarios.chat!.runs.map((r) => r.id)).toEqual(['r5']);
    expect(trimmed.notes[0]).toMatch(/dropped 3 oldest$/);
  });

  it('restarts the history when the workload fingerprint changed', () => {
    const old = appendAll([run(1), run(2)]);
    const changed = run(3, { fingerprint: fingerprintOf('chat', 'v2') });
    const { baseline, notes } = appendRun(old, changed, meta('r3'));
    expect(baseline.scenarios.chat).toMatchObject({ fingerprint: fingerprintOf('chat', 'v2') });
    expect(baseline.scenarios.chat!.runs.map((r) => r.id)).toEqual(['r3']);
    expect(notes).toEqual([
      'chat: recorded run r3 (1 of at most 20 in history); the workload changed, so its history restarted',
    ]);
  });

  it('records a run id once: a retried update is a no-op', () => {
    const once = appendAll([run(1), run(2)]);
    const again = appendRun(once, run(2), meta('r2'));
    expect(formatBaseline(again.baseline)).toBe(formatBaseline(once));
    expect(again.notes).toEqual(['chat: run r2 is already recorded']);
  });

  it('records nothing from a run that did not complete', () => {
    const base = appendAll([run(1)]);
    for (const status of ['not_ready', 'aborted'] as const) {
      const result = syntheticRunResult({ status, scenarios: [{ name: 'chat', seed: 9, requests: 60 }] });
      expect(result.status).toBe(status);
      const { baseline, notes } = appendRun(base, result, meta('r9'));
      expect(baseline).toEqual(base);
      expect(notes).toEqual([`run not recorded: its status is ${status}`]);
    }
  });

  it('skips an aborted scenario and an invalid point, recording the valid ones beside them', () => {
    const result = syntheticRunResult({
      scenarios: [
        { name: 'chat', seed: 1, requests: 60 },
        { name: 'busy', seed: 2, requests: 60, eventLoopDelayP99Ms: 45 },
        { name: 'cut', seed: 3, requests: 60 },
      ],
    });
    expect(result.scenarios[1]!.validity.valid).toBe(false);
    const withAborted: RunResult = {
      ...result,
      scenarios: result.scenarios.map((s) => (s.name === 'cut' ? { ...s, aborted: true } : s)),
    };
    const { baseline, notes } = appendRun(emptyBaseline(), withAborted, meta('r1'));
    expect(Object.keys(baseline.scenarios)).toEqual(['chat']);
    expect(notes[0]).toMatch(/^chat: recorded run r1/);
    expect(notes[1]).toMatch(/^busy: not recorded \(the load generator's event loop ran 45\.0 ms late/);
    expect(notes[2]).toBe('cut: not recorded (aborted)');
  });
});

describe('formatBaseline', () => {
  const results = [1, 2, 3].map((seed) =>
    syntheticRunResult({
      scenarios: [
        { name: 'chat', seed, requests: 80 },
        { name: 'long', seed: seed + 10, requests: 80, errors: 2 },
      ],
    }),
  );
  const baseline = appendAll(results);
  const text = formatBaseline(baseline);

  it('keeps each distribution summary, throughput and error count on one line', () => {
    const lines = text.split('\n');
    const grids = lines.filter((l) => l.includes('"p50"'));
    // 2 scenarios × 3 runs × 4 gateable metrics with values (TTFT, TPOT, E2EL, request output tokens/s).
    expect(grids).toHaveLength(24);
    for (const line of grids) {
      expect(line).toMatch(/^\s+"[a-z0-9_]+": \{ "n": \d+, "mean": [\d.e+-]+, "p0": /);
      for (const p of SUMMARY_PERCENTS) expect(line).toContain(`"p${p}": `);
      expect(line.trimEnd()).toMatch(/\}(,)?$/);
    }
    expect(
      lines.filter((l) => /^\s+"throughput": \{ "value": [\d.]+, "logSe": [\d.e-]+ \},?$/.test(l)),
    ).toHaveLength(6);
    expect(lines.filter((l) => /^\s+"errors": \{ "errors": \d+, "total": 80 \},?$/.test(l))).toHaveLength(6);
    // Everything else is one key per line with two-space indentation.
    expect(lines[0]).toBe('{');
    expect(lines[1]).toBe('  "schemaVersion": 1,');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('round-trips through parseBaseline', () => {
    expect(parseBaseline(text, FILE)).toEqual(baseline);
    expect(formatBaseline(parseBaseline(text, FILE))).toBe(text);
  });

  it('stays well under 200 KB with 20 runs of 3 scenarios', () => {
    const shapes = (k: number): ScenarioShape[] => [
      { name: 'chat', seed: 100 + k, requests: 100 },
      { name: 'rag-long-context', seed: 200 + k, requests: 100 },
      { name: 'batch', seed: 300 + k, requests: 100, errors: 1 },
    ];
    let full = emptyBaseline();
    for (let k = 1; k <= 20; k++) {
      ({ baseline: full } = appendRun(
        full,
        syntheticRunResult({ scenarios: shapes(k) }),
        meta(`${1_000_000 + k}`, { commit: 'f'.repeat(40), runner: 'GitHub Actions 12' }),
      ));
    }
    const big = formatBaseline(full);
    expect(Object.values(full.scenarios).map((s) => s.runs.length)).toEqual([20, 20, 20]);
    expect(Buffer.byteLength(big)).toBeLessThan(200_000);
    expect(Buffer.byteLength(big)).toBeGreaterThan(20_000);
  });
});
