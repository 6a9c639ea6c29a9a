/**
 * The gate's commands in-process through main(): compare, baseline update and calibrate (against a real simulator on
 * loopback, behind a recording proxy that keeps every prompt sent).
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { formatBaseline, parseBaseline, type BaselineFile } from '../../src/gate/baseline-file.js';
import type { RunResult } from '../../src/results/schema.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { memoryIO } from '../helpers/memory-io.js';
import { baselineOf, fingerprintOf, syntheticRunResult, type ScenarioShape } from '../helpers/run-result.js';

let dir: string;

const HISTORY = [1, 2, 3, 4, 5].map((k) =>
  syntheticRunResult({ scenarios: [{ name: 'chat', seed: 100 + k, requests: 150 }] }),
);

function result(shape: Partial<ScenarioShape> = {}, startedAt?: string): RunResult {
  return syntheticRunResult({
    scenarios: [{ name: 'chat', seed: 901, requests: 150, ...shape }],
    ...(startedAt ? { startedAt } : {}),
  });
}

async function write(name: string, content: string | object): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof content === 'string' ? content : `${JSON.stringify(content)}\n`);
  return file;
}

async function readBaseline(file: string): Promise<BaselineFile> {
  return parseBaseline(await readFile(file, 'utf8'), file);
}

let baselinePath: string;
let equivalentPath: string;
let slowerPath: string;
let changedPath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lpg-gate-cli-'));
  baselinePath = await write('baseline.json', formatBaseline(baselineOf(HISTORY)));
  equivalentPath = await write('equivalent.json', result());
  slowerPath = await write('slower.json', result({ ttftScale: 1.4 }));
  changedPath = await write('changed.json', result({ fingerprint: fingerprintOf('chat', 'v2') }));
});

async function cli(...argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  expect(io.stderr()).not.toMatch(/internal error/);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('llm-perf-gate compare', () => {
  it('exits 0 on a pass and prints the plain report', async () => {
    const { code, stdout, stderr } = await cli(
      'compare',
      '--results',
      equivalentPath,
      '--baseline',
      baselinePath,
    );
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^## ✅ llm-perf-gate: no regression\n/);
    expect(stdout).toContain('| TTFT p50 (ms) ');
    expect(stdout).not.toContain('<details');
    expect(stdout).not.toContain('```mermaid');
  });

  it('exits 1 on a regression, unless --fail-on never', async () => {
    const failed = await cli('compare', '-r', slowerPath, '-b', baselinePath);
    expect(failed.code).toBe(EXIT.regression);
    expect(failed.stdout).toMatch(/^## ❌ llm-perf-gate: regression: TTFT p50 in `chat`/);
    const never = await cli('compare', '-r', slowerPath, '-b', baselinePath, '--fail-on', 'never');
    expect(never.code).toBe(EXIT.ok);
    expect(never.stdout).toBe(failed.stdout);
  });

  it('exits 0 on a warning, and 1 with --fail-on warn', async () => {
    const warned = await cli('compare', '-r', changedPath, '-b', baselinePath);
    expect(warned.code).toBe(EXIT.ok);
    expect(warned.stdout).toMatch(/^## ⚠️ llm-perf-gate: inconclusive — see warnings/);
    expect(warned.stdout).toContain('the workload changed');
    expect((await cli('compare', '-r', changedPath, '-b', baselinePath, '--fail-on', 'warn')).code).toBe(
      EXIT.regression,
    );
    expect((await cli('compare', '-r', equivalentPath, '-b', baselinePath, '--fail-on', 'warn')).code).toBe(
      EXIT.ok,
    );
  });

  it('prints verdicts as JSON with --format json', async () => {
    const { code, stdout } = await cli('compare', '-r', slowerPath, '-b', baselinePath, '--format', 'json');
    expect(code).toBe(EXIT.regression);
    const json = JSON.parse(stdout) as {
      version: number;
      status: string;
      scenarios: {
        name: string;
        kind: string;
        fingerprint: string;
        historyRuns: number;
        verdicts: {
          metric: string;
          statistic: string;
          status: string;
          ratio: number | null;
          ci: number[] | null;
        }[];
      }[];
    };
    expect(json).toMatchObject({ version: 1, status: 'fail' });
    const [chat] = json.scenarios;
    expect(chat).toMatchObject({
      name: 'chat',
      kind: 'compared',
      fingerprint: fingerprintOf('chat'),
      historyRuns: 5,
    });
    expect(chat!.verdicts.map((v) => `${v.metric} ${v.statistic}`)).toEqual([
      'ttft_ms p50',
      'ttft_ms p95',
      'output_tokens_per_s value',
      'error_rate rate',
    ]);
    expect(chat!.verdicts[0]!.status).toBe('fail');
    expect(chat!.verdicts[0]!.ratio).toBeGreaterThan(1.25);
    expect(chat!.verdicts[0]!.ci).toHaveLength(2);
  });

  it('prints the job-summary markdown with --format markdown', async () => {
    const { code, stdout } = await cli('compare', '-r', slowerPath, '-b', baselinePath, '-f', 'markdown');
    expect(code).toBe(EXIT.regression);
    expect(stdout).toContain('<details open>');
    expect(stdout).toContain('```mermaid\nxychart-beta\n');
  });

  it('passes with a note on stderr when there is no baseline file', async () => {
    const missing = path.join(dir, 'nowhere', 'baseline.json');
    const { code, stdout, stderr } = await cli('compare', '-r', slowerPath, '-b', missing);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe(`no baseline at ${missing}: every scenario passes as "no baseline yet"\n`);
    expect(stdout).toMatch(/^## ✅ llm-perf-gate: no baseline yet\n/);
  });

  it('gates with the settings of --config, ignoring the rest of that file', async () => {
    const config = await write(
      'lenient.yml',
      `target:
  provider: openai
  base_url: \${NOT_SET_HERE}
  model: m
scenarios:
  - name: chat
    concurrency: 8
    requests: 150
gate:
  metrics:
    - metric: ttft_ms
      statistic: p50
      tolerance: 0.6
`,
    );
    const { code, stdout } = await cli('compare', '-r', slowerPath, '-b', baselinePath, '-c', config);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^## ✅ /);
    expect(stdout).toContain('| TTFT p50 (ms) ');
    expect(stdout).not.toContain('TTFT p95 (ms)');
  });

  it('exits 2 naming the file for a bad results file, a bad baseline or a bad gate section', async () => {
    const notJson = await write('broken.json', '{"schemaVersion": 1,');
    const bad = await cli('compare', '-r', notJson, '-b', baselinePath);
    expect(bad.code).toBe(EXIT.config);
    expect(bad.stderr).toMatch(new RegExp(`^error: ${escape(notJson)} is not valid JSON: `));

    const other = await write('other.json', {
      tool: { name: 'llm-perf-gate' },
      schemaVersion: 99,
      scenarios: [],
    });
    const newer = await cli('compare', '-r', other, '-b', baselinePath);
    expect(newer.code).toBe(EXIT.config);
    expect(newer.stderr).toContain(
      `${other} has results schemaVersion 99; this llm-perf-gate reads version 1`,
    );

    const absent = path.join(dir, 'absent.json');
    const missing = await cli('compare', '-r', absent, '-b', baselinePath);
    expect(missing.code).toBe(EXIT.config);
    expect(missing.stderr).toBe(`error: cannot read results file ${absent}: ENOENT\n`);

    const corrupt = await write('corrupt-baseline.json', '{"schemaVersion": 1, "tool": "llm-perf-gate"}');
    const badBaseline = await cli('compare', '-r', equivalentPath, '-b', corrupt);
    expect(badBaseline.code).toBe(EXIT.config);
    expect(badBaseline.stderr).toMatch(new RegExp(`^error: ${escape(corrupt)}: scenarios: `));

    const folder = await cli('compare', '-r', equivalentPath, '-b', dir);
    expect(folder.code).toBe(EXIT.config);
    expect(folder.stderr).toMatch(new RegExp(`^error: cannot read baseline ${escape(dir)}: EISDIR`));

    const config = await write('bad-gate.yml', 'gate:\n  alpha: 0.9\n');
    const badGate = await cli('compare', '-r', equivalentPath, '-b', baselinePath, '-c', config);
    expect(badGate.code).toBe(EXIT.config);
    expect(badGate.stderr).toMatch(/gate\.alpha: .* \(.*bad-gate\.yml:2\)/);
  });

  it('exits 2 for a missing --results and unknown --format or --fail-on values', async () => {
    expect((await cli('compare', '-b', baselinePath)).stderr).toMatch(/--results is required/);
    const format = await cli('compare', '-r', equivalentPath, '--format', 'html');
    expect(format.code).toBe(EXIT.config);
    expect(format.stderr).toMatch(/--format: expected one of text, markdown, json, got "html"/);
    const failOn = await cli('compare', '-r', equivalentPath, '--fail-on', 'always');
    expect(failOn.code).toBe(EXIT.config);
    expect(failOn.stderr).toMatch(/--fail-on: expected one of fail, warn, never, got "always"/);
  });

  it('resolves relative paths against the working directory it was given', async () => {
    // CliIO.cwd is the command's working directory (run resolves --config and --out against it).
    const io = memoryIO({ cwd: dir });
    const code = await main(['compare', '--results', 'equivalent.json', '--baseline', 'baseline.json'], io);
    expect(io.stderr()).toBe('');
    expect(code).toBe(EXIT.ok);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('llm-perf-gate baseline update', () => {
  it('creates the baseline, then appends, and records a run id once', async () => {
    const file = path.join(dir, 'update', '.llm-perf', 'baseline.json');
    const first = await write('update/first.json', result({}, '2025-03-01T10:00:00.000Z'));
    const second = await write('update/second.json', result({ ttftScale: 1.05 }, '2025-03-02T10:00:00.000Z'));

    const created = await cli(
      'baseline',
      'update',
      '--results',
      first,
      '--baseline',
      file,
      '--commit',
      'abc1234',
    );
    expect(created.code).toBe(EXIT.ok);
    expect(created.stderr).toBe(
      `chat: recorded run 2025-03-01T10:00:00.000Z (1 of at most 20 in history)\nwrote ${file}\n`,
    );
    let baseline = await readBaseline(file);
    expect(baseline.scenarios.chat!.fingerprint).toBe(fingerprintOf('chat'));
    expect(baseline.scenarios.chat!.runs).toEqual([
      expect.objectContaining({
        id: '2025-03-01T10:00:00.000Z',
        commit: 'abc1234',
        acceptedBy: 'manual',
        recordedAt: '2025-03-01T10:01:30.000Z',
        requests: 150,
      }),
    ]);

    expect((await cli('baseline', 'update', '-r', second, '-b', file, '--id', 'nightly-7')).code).toBe(
      EXIT.ok,
    );
    baseline = await readBaseline(file);
    expect(baseline.scenarios.chat!.runs.map((r) => r.id)).toEqual(['2025-03-01T10:00:00.000Z', 'nightly-7']);

    const again = await cli('baseline', 'update', '-r', second, '-b', file, '--id', 'nightly-7');
    expect(again.code).toBe(EXIT.ok);
    expect(again.stderr).toContain('chat: run nightly-7 is already recorded');
    expect((await readBaseline(file)).scenarios.chat!.runs).toHaveLength(2);
  });

  it('keeps the history length of --config', async () => {
    const file = path.join(dir, 'short-history', 'baseline.json');
    const config = await write(
      'short-history/perf.yml',
      'target:\n  provider: openai\n  base_url: ${UNSET}\n  model: m\nscenarios: []\ngate:\n  history: 2\n',
    );
    for (const day of [1, 2, 3]) {
      const results = await write(`short-history/r${day}.json`, result({}, `2025-04-0${day}T00:00:00.000Z`));
      const { code, stderr } = await cli('baseline', 'update', '-r', results, '-b', file, '-c', config);
      expect(code).toBe(EXIT.ok);
      if (day === 3) expect(stderr).toContain('(2 of at most 2 in history); dropped 1 oldest');
    }
    expect((await readBaseline(file)).scenarios.chat!.runs.map((r) => r.id)).toEqual([
      '2025-04-02T00:00:00.000Z',
      '2025-04-03T00:00:00.000Z',
    ]);
  });

  it('records nothing from an incomplete run', async () => {
    const file = path.join(dir, 'incomplete', 'baseline.json');
    const aborted = await write(
      'incomplete/aborted.json',
      syntheticRunResult({ status: 'aborted', scenarios: [{ name: 'chat', seed: 3, requests: 40 }] }),
    );
    const { code, stderr } = await cli('baseline', 'update', '-r', aborted, '-b', file);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toContain('run not recorded: its status is aborted');
    expect((await readBaseline(file)).scenarios).toEqual({});
  });

  it('exits 2 for a bad positional or a missing --results', async () => {
    for (const argv of [
      ['baseline', 'updte', '-r', equivalentPath],
      ['baseline', '-r', equivalentPath],
      ['baseline', 'update', 'now', '-r', equivalentPath],
    ]) {
      const { code, stderr } = await cli(...argv);
      expect(code).toBe(EXIT.config);
      expect(stderr).toMatch(/expected `llm-perf-gate baseline update --results results\.json \[\.\.\.\]`/);
    }
    const noResults = await cli('baseline', 'update');
    expect(noResults.code).toBe(EXIT.config);
    expect(noResults.stderr).toMatch(/--results is required/);
  });
});

/** An HTTP proxy on loopback that forwards to `target` and keeps the body of every POST. */
async function recordingProxy(target: string): Promise<{ url: string; bodies: string[]; server: Server }> {
  const upstream = new URL(target);
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST') bodies.push(body.toString('utf8'));
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, bodies, server };
}

describe('llm-perf-gate calibrate', () => {
  let sim: SimHandle;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;

  beforeAll(async () => {
    sim = await startSimulator({ step_ms: 2, per_seq_ms: 0.02 });
    proxy = await recordingProxy(sim.origin);
  });
  afterAll(async () => {
    proxy?.server.closeAllConnections();
    await new Promise((resolve) => proxy?.server.close(resolve));
    await sim?.close();
  });

  it('runs the profile twice with different prompt salts and seeds the baseline with both runs', async () => {
    const config = await write(
      'calibrate/perf.yml',
      `target:
  provider: openai
  base_url: ${proxy.url}
  model: sim
readiness:
  timeout_s: 5
scenarios:
  - name: short
    concurrency: 2
    requests: 20
    input_tokens: { mean: 96 }
    output_tokens: { mean: 6, stddev: 1 }
  - name: tiny
    concurrency: 2
    requests: 20
    input_tokens: { mean: 64 }
    output_tokens: { mean: 4 }
`,
    );
    const baselineFile = path.join(dir, 'calibrate', 'baseline.json');
    const out = path.join(dir, 'calibrate', 'out');
    const io = memoryIO();
    const code = await main(
      ['calibrate', '--config', config, '--runs', '2', '--baseline', baselineFile, '--out', out, '--quiet'],
      io,
    );
    expect(io.stderr()).not.toMatch(/internal error/);
    expect(code).toBe(EXIT.ok);
    expect(io.stderr()).toMatch(/calibration run 1 of 2\n[\s\S]*calibration run 2 of 2\n/);
    expect(io.stderr()).toContain(`wrote ${baselineFile}`);

    // The baseline: both runs of each scenario, accepted by calibrate, under one fingerprint. A point the load
    // generator itself limited (its event loop lagging on a loaded machine) is not recorded, so the runs expected are
    // the valid ones: both, unless the machine was swamped.
    const baseline = await readBaseline(baselineFile);
    const [first, second] = await Promise.all(
      [1, 2].map(
        async (k) =>
          JSON.parse(await readFile(path.join(out, `run-${k}`, 'results.json'), 'utf8')) as RunResult,
      ),
    );
    for (const [i, name] of ['short', 'tiny'].entries()) {
      const valid = [first!, second!].flatMap((r, k) => (r.scenarios[i]!.validity.valid ? [k + 1] : []));
      const entry = baseline.scenarios[name]!;
      expect(first!.scenarios[i]!.fingerprint).toBe(entry.fingerprint);
      expect(second!.scenarios[i]!.fingerprint).toBe(entry.fingerprint);
      expect(entry.runs.map((r) => Number(r.id.slice(-1)))).toEqual(valid);
      for (const r of entry.runs) {
        expect(r).toMatchObject({ acceptedBy: 'calibrate', requests: 20 });
        expect(r.id).toMatch(/^calibrate-[0-9a-z]+-[12]$/);
        expect(r.distributions.ttft_ms?.n).toBe(20);
      }
    }
    if ([first!, second!].every((r) => r.scenarios.every((x) => x.validity.valid))) {
      expect(Object.values(baseline.scenarios).map((e) => e.runs.length)).toEqual([2, 2]);
    }

    // The prompts: each run's carry its own salt; without the salt the two runs sent the same workload. (Prompts are
    // longer than their preamble here: a prompt shorter than it is cut from the preamble, salt included.)
    const prompts = proxy.bodies
      .map((b) => JSON.parse(b) as { messages?: { content: string }[] })
      .flatMap((b) => (b.messages ? [b.messages[0]!.content] : []))
      .filter((p) => /^Run [^,]+, calibrate-/.test(p));
    expect(prompts).toHaveLength(2 * 2 * 20);
    // "Run <point name>, <salt>, request m0 of workload …": the salt follows the point's name.
    const salts = new Set(prompts.map((p) => /^Run [^,]+, ([^,]+), request/.exec(p)?.[1]));
    expect([...salts].map((s) => s?.replace(/-\w+-/, '-*-'))).toEqual(['calibrate-*-1', 'calibrate-*-2']);
    const [saltOne, saltTwo] = [...salts] as [string, string];
    const runOne = prompts.filter((p) => p.includes(`, ${saltOne}, request`));
    const runTwo = prompts.filter((p) => p.includes(`, ${saltTwo}, request`));
    expect(runOne).toHaveLength(40);
    expect(runTwo).toHaveLength(40);
    expect(new Set(runOne).size + new Set(runTwo).size).toBe(new Set(prompts).size);
    const preamble = (p: string, salt: string) => p.slice(0, p.indexOf('Passage:')).replace(salt, 'SALT');
    expect(runOne.map((p) => preamble(p, saltOne)).sort()).toEqual(
      runTwo.map((p) => preamble(p, saltTwo)).sort(),
    );

    // The noise table.
    const stdout = io.stdout();
    expect(stdout).toContain('Run-to-run noise measured by calibrate');
    expect(stdout).toMatch(
      /\| scenario +\| metric +\| run-to-run spread +\| smallest detectable regression +\| tolerance +\|/,
    );
    expect(stdout).toMatch(/\| short +\| TTFT p50 +\| +(—|\d+\.\d%) +\| +\d+\.\d% +\| +10% +\|/);
    expect(stdout).toMatch(/\| tiny +\| Error rate +\| .*\| +1\.00 pts +\|/);
  });

  it('says which points it could not record instead of claiming every run was recorded', async () => {
    // One connection for two requests in flight: the client, not the endpoint, limits every point (invalid).
    const config = await write(
      'calibrate/one-connection.yml',
      `target:
  provider: openai
  base_url: ${sim.url}
  model: sim
  max_connections: 1
readiness:
  timeout_s: 5
scenarios:
  - name: pooled
    concurrency: 2
    requests: 10
    input_tokens: { mean: 64 }
    output_tokens: { mean: 4 }
`,
    );
    const baselineFile = path.join(dir, 'calibrate', 'one-connection.json');
    const io = memoryIO();
    const code = await main(
      [
        'calibrate',
        '-c',
        config,
        '--runs',
        '2',
        '-b',
        baselineFile,
        '-o',
        path.join(dir, 'calibrate', 'oc'),
        '-q',
      ],
      io,
    );
    expect(io.stderr()).not.toMatch(/internal error/);
    // Whether calibrate should then exit non-zero is left open; what it writes must be true.
    expect(code).not.toBe(EXIT.internal);
    expect((await readBaseline(baselineFile)).scenarios).toEqual({});
    expect(io.stderr()).toMatch(/pooled: not recorded \(up to 2 requests were in flight on 1 connections/);
    expect(io.stderr()).not.toMatch(/with 2 calibration runs per scenario|recorded per scenario: pooled 2/);
  });

  it('refuses fewer than 2 runs and a missing --config', async () => {
    const one = await cli('calibrate', '--config', 'perf.yml', '--runs', '1');
    expect(one.code).toBe(EXIT.config);
    expect(one.stderr).toMatch(/--runs: at least 2 runs are needed/);
    expect((await cli('calibrate', '--runs', '3')).stderr).toMatch(/--config is required/);
  });
});
