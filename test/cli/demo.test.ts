import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/results/schema.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/llm-perf-gate.js', import.meta.url).pathname;

describe('the README first command: llm-perf-gate demo (the committed bundle, as a user runs it)', () => {
  it('runs against the simulated endpoint in a worker thread and prints a percentile table', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'lpg-demo-'));
    const { stdout, stderr } = await run(
      process.execPath,
      [BIN, 'demo', '--requests', '24', '--concurrency', '4', '--out', out, '--quiet'],
      { timeout: 60_000 },
    );
    expect(stderr).toMatch(
      /simulated endpoint listening at http:\/\/127\.0\.0\.1:\d+ \(OpenAI http:\/\/127\.0\.0\.1:\d+\/v1, /,
    );
    expect(stdout).toMatch(/Scenario demo-chat: 24 requests at concurrency 4/);
    expect(stdout).toMatch(/\| TTFT \(ms\) +\|/);
    const result = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as RunResult;
    expect(result.status).toBe('complete');
    expect(result.scenarios[0]!.summary.requests).toMatchObject({ measured: 24, ok: 24, errors: 0 });
  });

  it('passes simulator knobs through and exits 2 naming a bad one', async () => {
    const failure = await run(process.execPath, [BIN, 'demo', '--slowdown', 'fast'], {
      timeout: 30_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toMatch(/--slowdown: expected a number, got "fast"/);
  });

  it('prints usage with the exit codes', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    expect(stdout).toMatch(/Commands:\n {2}run/);
    expect(stdout).toMatch(/3 endpoint never ready/);
  });
});
