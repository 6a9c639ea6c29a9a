/**
 * The bundled action (dist/index.js) run as the GitHub runner runs it: INPUT_* variables, a real event payload in
 * GITHUB_EVENT_PATH, GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, against the simulator and a loopback GitHub API.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/gate/baseline-file.js';
import { startSimulator, type SimHandle } from '../../src/sim/server.js';
import { DEFAULT_TOKEN, FakeGitHub, READ_ONLY, WRITE_ALL } from '../helpers/github-server.js';

const DIST = new URL('../../dist/index.js', import.meta.url).pathname;
const READ_ONLY_TOKEN = 'ghs_forkReadOnlyToken000000000000';
const OWNER = 'acme-ai';
const REPO = 'llm-serve';
const HEAD_SHA = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';

// A simulator whose TTFT is dominated by prefill (steady, ~25 ms) so that machine noise is small next to a 30% change.
const KNOBS = { step_ms: 2, per_seq_ms: 0.05, prefill_ms_per_1k_tokens: 40, jitter: 0.01 } as const;

function profile(gate = ''): string {
  return `target:
  provider: openai
  base_url: \${SIM_URL}
  model: sim
readiness:
  timeout_s: 10
scenarios:
  - name: chat
    concurrency: 4
    requests: 100
    warmup_requests: 8
    input_tokens: { mean: 512 }
    output_tokens: { mean: 16 }
${gate}`;
}

let fake: FakeGitHub;
let sim: SimHandle;
let slow: SimHandle;
let workspace: string;
let runs = 0;

beforeAll(async () => {
  sim = await startSimulator(KNOBS);
  slow = await startSimulator({ ...KNOBS, slowdown: 1.3 });
  fake = await FakeGitHub.start({
    owner: OWNER,
    repo: REPO,
    files: { 'perf.yml': profile() },
    tokens: { [DEFAULT_TOKEN]: WRITE_ALL, [READ_ONLY_TOKEN]: READ_ONLY },
  });
  workspace = await mkdtemp(path.join(os.tmpdir(), 'lpg-action-'));
  await writeFile(path.join(workspace, 'perf.yml'), profile());
});

afterAll(async () => {
  await Promise.all([sim?.close(), slow?.close(), fake?.close()]);
});

interface ActionRun {
  readonly code: number;
  readonly stdout: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

function pushEvent(): unknown {
  return {
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: fake.branchHead('main'),
    repository: {
      name: REPO,
      full_name: `${OWNER}/${REPO}`,
      owner: { login: OWNER },
      default_branch: 'main',
    },
  };
}

function pullRequestEvent(number: number, fork = false): unknown {
  const base = `${OWNER}/${REPO}`;
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      html_url: `https://github.com/${base}/pull/${number}`,
      draft: false,
      labels: [],
      head: { ref: 'feature', sha: HEAD_SHA, repo: { full_name: fork ? `someone/${REPO}` : base } },
      base: { ref: 'main', sha: fake.branchHead('main'), repo: { full_name: base } },
    },
    repository: { name: REPO, full_name: base, owner: { login: OWNER }, default_branch: 'main' },
  };
}

/** GITHUB_OUTPUT uses `name<<DELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

async function runAction(options: {
  event: 'push' | 'pull_request';
  payload: unknown;
  simUrl: string;
  token?: string;
  inputs?: Record<string, string>;
}): Promise<ActionRun> {
  const n = ++runs;
  const eventPath = path.join(workspace, `event-${n}.json`);
  const summaryPath = path.join(workspace, `summary-${n}.md`);
  const outputPath = path.join(workspace, `output-${n}`);
  await writeFile(eventPath, JSON.stringify(options.payload));
  await writeFile(summaryPath, '');
  await writeFile(outputPath, '');
  const inputs: Record<string, string> = {
    config: 'perf.yml',
    'github-token': options.token ?? DEFAULT_TOKEN,
    'results-dir': `results-${n}`,
    ...options.inputs,
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SIM_URL: options.simUrl,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: String(1000 + n),
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, [DIST], { env, cwd: workspace, timeout: 90_000 }, (error, out, err) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: `${out}${err}` });
    });
  });
  return {
    code,
    stdout,
    outputs: parseOutputs(await readFile(outputPath, 'utf8')),
    summary: await readFile(summaryPath, 'utf8'),
  };
}

const baselineOnMain = () =>
  parseBaseline(fake.readFile('main', '.llm-perf/baseline.json') ?? '', 'baseline');
const comments = (pr: number) => fake.comments(pr);

describe('the bundled action', () => {
  it('records merges in the baseline; two merges whose writes collide both land', async () => {
    const first = await runAction({ event: 'push', payload: pushEvent(), simUrl: sim.url });
    expect(first.code, first.stdout).toBe(0);
    expect(first.outputs['baseline-updated']).toBe('true');
    expect(first.summary).toMatch(/Recorded in \.llm-perf\/baseline\.json/);

    // Merge A measures, reads the baseline and sends its write, which is held; merge B then measures alone (two
    // measurements at once would load the endpoint twice as hard), reads the same baseline and writes. Both writes
    // carry the same blob sha: one lands, the other gets 409, re-reads, re-appends and lands.
    let releaseA: (() => void) | undefined;
    let aWriting: () => void = () => undefined;
    const aHeld = new Promise<void>((resolve) => (aWriting = resolve));
    fake.onRequest(async (request) => {
      if (request.method !== 'PUT' || !request.path.includes('/contents/')) return;
      if (releaseA === undefined) {
        await new Promise<void>((resolve) => {
          releaseA = resolve;
          aWriting();
        });
      } else releaseA();
    });
    try {
      const a = runAction({ event: 'push', payload: pushEvent(), simUrl: sim.url });
      await aHeld;
      const b = await runAction({ event: 'push', payload: pushEvent(), simUrl: sim.url });
      const resultA = await a;
      expect(resultA.code, resultA.stdout).toBe(0);
      expect(b.code, b.stdout).toBe(0);
      expect(`${resultA.summary}${b.summary}`).toMatch(/after 2 attempts/);
    } finally {
      fake.onRequest(undefined);
    }
    for (let i = 0; i < 2; i++) {
      const r = await runAction({ event: 'push', payload: pushEvent(), simUrl: sim.url });
      expect(r.code, r.stdout).toBe(0);
    }
    const ids = baselineOnMain().scenarios.chat?.runs.map((r) => r.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids)).toEqual(new Set(['run-1001', 'run-1002', 'run-1003', 'run-1004', 'run-1005']));
  });

  it('passes an unchanged endpoint and posts one sticky comment', async () => {
    fake.addPullRequest({ number: 7, headRef: 'feature', headSha: HEAD_SHA });
    const r = await runAction({ event: 'pull_request', payload: pullRequestEvent(7), simUrl: sim.url });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs.verdict).toBe('pass');
    const list = comments(7);
    expect(list).toHaveLength(1);
    expect(list[0]!.body).toMatch(/^<!-- llm-perf-gate:sticky:default -->\n## /);
    expect(list[0]!.body).toMatch(/## ✅ llm-perf-gate: no regression/);
    expect(list[0]!.body).toMatch(/\| TTFT p50 \(ms\) +\|/);
    expect(JSON.parse(r.outputs.gated!)).toMatchObject({ status: 'pass' });
    expect(await readFile(r.outputs['comment-body-path']!, 'utf8')).toBe(list[0]!.body);
  });

  it('fails a 30% slower endpoint and updates the same comment with ❌; the PR cannot loosen its own gate', async () => {
    // The PR's own config tries to tolerate 90%: the base branch settings apply.
    await writeFile(
      path.join(workspace, 'perf.yml'),
      profile('gate:\n  metrics:\n    - { metric: ttft_ms, statistic: p50, tolerance: 0.9 }\n'),
    );
    try {
      const r = await runAction({ event: 'pull_request', payload: pullRequestEvent(7), simUrl: slow.url });
      expect(r.code, r.stdout).toBe(1);
      expect(r.outputs.verdict).toBe('fail');
      expect(r.stdout).toMatch(/::error title=llm-perf-gate%3A TTFT p50 regressed::/);
      const list = comments(7);
      expect(list).toHaveLength(1);
      expect(list[0]!.body).toMatch(/## ❌ llm-perf-gate: regression: TTFT p50 in `chat`/);
      expect(list[0]!.body).toMatch(/changes the gate settings; the base branch's settings apply/);
      expect(r.summary).toMatch(/<details open>/);
    } finally {
      await writeFile(path.join(workspace, 'perf.yml'), profile());
    }
  });

  it('does not record a regressed merge without the accept label', async () => {
    const r = await runAction({ event: 'push', payload: pushEvent(), simUrl: slow.url });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/not recorded in the baseline: this merge regressed/);
    expect(r.outputs['baseline-updated']).toBe('false');
    expect(baselineOnMain().scenarios.chat?.runs).toHaveLength(5);
  });

  it('on a fork with a read-only token: no crash, the report goes to the job summary with a warning', async () => {
    fake.addPullRequest({
      number: 8,
      headRef: 'feature',
      headSha: HEAD_SHA,
      headRepoFullName: `someone/${REPO}`,
    });
    const r = await runAction({
      event: 'pull_request',
      payload: pullRequestEvent(8, true),
      simUrl: sim.url,
      token: READ_ONLY_TOKEN,
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/::warning title=llm-perf-gate could not comment::/);
    expect(comments(8)).toHaveLength(0);
    expect(r.summary).toMatch(/pull-requests: write/);
    // The only place the token appears is the runner's mask command, which hides it from the log.
    expect(r.stdout.replaceAll(`::add-mask::${READ_ONLY_TOKEN}`, '')).not.toContain(READ_ONLY_TOKEN);
  });
});
