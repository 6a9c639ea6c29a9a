import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import type { RequestRecord } from '../../src/load/record.js';
import type { RunResult } from '../../src/results/schema.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { memoryIO } from '../helpers/memory-io.js';

const SECRET = 'sk-test-0123456789abcdef';

function profileYaml(baseUrl: string, extra = ''): string {
  return `target:
  provider: openai
  base_url: ${baseUrl}
  model: sim
  api_key: \${TEST_API_KEY}
readiness:
  timeout_s: 0.5
  initial_interval_s: 0.05
${extra}scenarios:
  - name: short
    concurrency: 4
    requests: 16
    warmup_requests: 2
    input_tokens: { mean: 64, stddev: 8 }
    output_tokens: { mean: 12, stddev: 2 }
  - name: other
    concurrency: 2
    requests: 4
    input_tokens: { mean: 32 }
    output_tokens: { mean: 8 }
`;
}

let dir: string;
let sim: SimHandle;
const env = { TEST_API_KEY: SECRET };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lpg-cli-'));
  sim = await startSimulator({});
});
afterAll(async () => {
  await sim.close();
});

async function writeConfig(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

const readJsonl = async (file: string): Promise<RequestRecord[]> =>
  (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RequestRecord);

describe('llm-perf-gate run', () => {
  it('runs every scenario, writes results.json and requests.jsonl, prints a table, and never shows the key', async () => {
    const config = await writeConfig('ok.yml', profileYaml(sim.url));
    const out = path.join(dir, 'out-ok');
    const io = memoryIO({ env });
    const code = await main(['run', '--config', config, '--out', out], io);
    expect(io.stderr()).not.toMatch(/internal error/);
    expect(code).toBe(EXIT.ok);
    const result = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as RunResult;
    expect(result.schemaVersion).toBe(1);
    expect(result.status).toBe('complete');
    expect(result.metricDefinitions.metrics.length).toBeGreaterThan(5);
    expect(result.scenarios.map((s) => s.name)).toEqual(['short', 'other']);
    expect(result.scenarios[0]!.summary.requests).toMatchObject({ measured: 16, ok: 16 });
    expect(result.scenarios[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((result.config as { target: { api_key: string } }).target.api_key).toBe('***');
    const records = await readJsonl(path.join(out, 'requests.jsonl'));
    expect(records).toHaveLength(16 + 2 + 4);
    expect(io.stdout()).toMatch(/TTFT \(ms\)/);
    expect(io.stdout()).toMatch(/Scenario short: 16 requests at concurrency 4 after 2 warmup/);
    for (const text of [io.stdout(), io.stderr(), JSON.stringify(result), JSON.stringify(records)]) {
      expect(text).not.toContain(SECRET);
    }
  });

  it('runs only the scenarios named with --scenario, and rejects unknown names with the list', async () => {
    const config = await writeConfig('only.yml', profileYaml(sim.url));
    const io = memoryIO({ env });
    expect(await main(['run', '-c', config, '-s', 'other', '-o', path.join(dir, 'only'), '-q'], io)).toBe(
      EXIT.ok,
    );
    const result = JSON.parse(await readFile(path.join(dir, 'only', 'results.json'), 'utf8')) as RunResult;
    expect(result.scenarios.map((s) => s.name)).toEqual(['other']);

    const bad = memoryIO({ env });
    expect(await main(['run', '-c', config, '-s', 'nope'], bad)).toBe(EXIT.config);
    expect(bad.stderr()).toMatch(/unknown scenario "nope"; the config has "short", "other"/);
  });

  it('reports a bad config with field paths and lines, exit code 2', async () => {
    const config = await writeConfig(
      'bad.yml',
      profileYaml(sim.url)
        .replace('concurrency: 4', 'concurrency: eight')
        .replace('model: sim', 'modle: sim'),
    );
    const io = memoryIO({ env });
    expect(await main(['run', '--config', config], io)).toBe(EXIT.config);
    expect(io.stderr()).toMatch(
      /scenarios\[0\]\.concurrency: expected a positive integer \(or a list of them\), got "eight" \(.*bad\.yml:11\)/,
    );
    expect(io.stderr()).toMatch(/target\.modle: unknown key \(did you mean "model"\?\)/);
  });

  it('names a missing environment variable without running anything', async () => {
    const config = await writeConfig('env.yml', profileYaml(sim.url));
    const io = memoryIO({ env: {} });
    expect(await main(['run', '--config', config], io)).toBe(EXIT.config);
    expect(io.stderr()).toMatch(/target\.api_key: environment variable TEST_API_KEY is not set/);
  });

  it('exits 2 without --config and for unknown options', async () => {
    const io = memoryIO();
    expect(await main(['run'], io)).toBe(EXIT.config);
    expect(io.stderr()).toMatch(/--config is required/);
    const io2 = memoryIO();
    expect(await main(['run', '--confg', 'x'], io2)).toBe(EXIT.config);
    expect(io2.stderr()).toMatch(/Unknown option '--confg'/);
  });

  it('exits 3 and writes a not_ready results.json when the endpoint never answers', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as AddressInfo).port;
    await new Promise<void>((r) => holder.close(() => r()));
    const config = await writeConfig('down.yml', profileYaml(`http://127.0.0.1:${port}/v1`));
    const out = path.join(dir, 'down');
    const io = memoryIO({ env });
    expect(await main(['run', '--config', config, '--out', out], io)).toBe(EXIT.notReady);
    expect(io.stderr()).toMatch(/not ready after .*readiness\.timeout_s = 0\.5.*refused/);
    const result = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as RunResult;
    expect(result.status).toBe('not_ready');
    expect(result.scenarios).toEqual([]);
  });

  it('on cancellation exits 4 and keeps the finished requests on disk', async () => {
    const slow = await startSimulator({ step_ms: 15 });
    try {
      const config = await writeConfig(
        'cancel.yml',
        profileYaml(slow.url)
          .replace('requests: 16', 'requests: 400')
          .replace('mean: 12, stddev: 2', 'mean: 10'),
      );
      const out = path.join(dir, 'cancel');
      const controller = new AbortController();
      const io = memoryIO({ env, signal: controller.signal });
      const running = main(['run', '--config', config, '--out', out, '-q'], io);
      // Cancel once some requests have finished.
      const file = path.join(out, 'requests.jsonl');
      for (let i = 0; i < 200; i++) {
        await new Promise((r) => setTimeout(r, 25));
        const lines = await readFile(file, 'utf8').catch(() => '');
        if (lines.split('\n').length > 12) break;
      }
      controller.abort();
      expect(await running).toBe(EXIT.aborted);
      const records = await readJsonl(file);
      expect(records.length).toBeGreaterThan(10);
      expect(records.length).toBeLessThan(400);
      const result = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as RunResult;
      expect(result.status).toBe('aborted');
      expect(result.scenarios[0]!.summary.requests.measured).toBe(records.filter((r) => !r.warmup).length);
      expect(io.stderr()).toMatch(/run cancelled/);
    } finally {
      await slow.close();
    }
  });
});
