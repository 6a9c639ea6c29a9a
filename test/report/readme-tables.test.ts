import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { parseBaseline } from '../../src/gate/baseline-file.js';
import {
  renderExampleComment,
  renderReadmeTables,
  type ReadmeInputs,
} from '../../src/report/readme-tables.js';
import { parseResults } from '../../src/results/read.js';

async function read(relative: string): Promise<string> {
  return readFile(new URL(`../../${relative}`, import.meta.url), 'utf8');
}

async function exampleInputs(): Promise<ReadmeInputs> {
  const baseline = 'examples/pr-comment/baseline.json';
  const results = 'examples/pr-comment/results.json';
  return {
    exampleBaseline: parseBaseline(await read(baseline), baseline),
    exampleResults: parseResults(await read(results), results),
  };
}

describe('README generated sections', () => {
  it('match the code (regenerate: npm run readme)', async () => {
    const readme = await read('README.md');
    expect(renderReadmeTables(readme, await exampleInputs())).toBe(readme);
  });

  it('replace only what is between the markers, and complain when a marker is missing', async () => {
    const inputs = await exampleInputs();
    const text =
      'a\n<!-- metric-definitions:start -->\nold\n<!-- metric-definitions:end -->\nb\n' +
      '<!-- example-comment:start -->\n<!-- example-comment:end -->\n';
    const out = renderReadmeTables(text, inputs);
    expect(out.startsWith('a\n<!-- metric-definitions:start -->\n| metric |')).toBe(true);
    expect(out).toContain('\n<!-- metric-definitions:end -->\nb\n<!-- example-comment:start -->\n> ## ❌');
    expect(() => renderReadmeTables('no markers', inputs)).toThrow(/metric-definitions:start/);
  });

  it('quote the example comment: a 20% slower simulator FAILs TTFT p50 against a 5-run baseline', async () => {
    const quoted = renderExampleComment(await exampleInputs());
    const lines = quoted.split('\n');
    expect(lines.every((l) => l === '>' || l.startsWith('> '))).toBe(true);
    expect(quoted).toMatch(/^> ## ❌ llm-perf-gate: regression: TTFT p50 in `chat-c8`/);
    expect(quoted).toContain('> Noise: 5 baseline runs');
    expect(quoted).toContain('> <details>');
  });

  it('come from a run of the example config, whose workload the baseline recorded', async () => {
    const { config } = parseConfigText(await read('examples/pr-comment/perf.yml'), 'perf.yml', {
      SIM_URL: 'http://127.0.0.1:18432/v1',
    });
    const { exampleBaseline, exampleResults } = await exampleInputs();
    expect(config.scenarios.map((s) => s.name)).toEqual(['chat-c8']);
    expect(exampleResults.config).toMatchObject({
      scenarios: [{ name: 'chat-c8', concurrency: 8, requests: 200 }],
    });
    expect(exampleBaseline.scenarios['chat-c8']?.fingerprint).toBe(exampleResults.scenarios[0]?.fingerprint);
  });
});
