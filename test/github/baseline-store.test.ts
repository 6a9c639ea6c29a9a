import { inspect } from 'node:util';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { backoffDelay } from '../../src/github/backoff.js';
import {
  DEFAULT_BOT_BRANCH,
  RepoWriteError,
  parseUpdateStrategy,
  updateRepoFile,
} from '../../src/github/baseline-store.js';
import type { UpdateRepoFileRequest, UpdateStrategy } from '../../src/github/baseline-store.js';
import { GitHubApiError } from '../../src/github/errors.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { DEFAULT_TOKEN, FakeGitHub, READ_ONLY, WRITE_ALL } from '../helpers/github-server.js';
import type { RecordedRequest } from '../helpers/github-server.js';

const PATH = '.github/llm-perf-gate/baseline.jsonl';
const READ_ONLY_TOKEN = 'ghs_readOnlyTokenMustNeverLeak42';
const FAST = { initialMs: 1, maxMs: 4 };

const append =
  (line: string) =>
  (current: string | undefined): string =>
    `${current ?? ''}${line}\n`;

/** Hold the first `count` requests matching `match` until all of them have arrived. */
function barrier(fake: FakeGitHub, count: number, match: (request: RecordedRequest) => boolean): void {
  const waiting: Array<() => void> = [];
  let seen = 0;
  fake.onRequest(async (request) => {
    if (!match(request) || seen >= count) return;
    seen += 1;
    if (seen < count) await new Promise<void>((resolve) => waiting.push(resolve));
    else for (const release of waiting) release();
  });
}

const isContentsGet = (request: RecordedRequest): boolean =>
  request.method === 'GET' && request.path.includes('/contents/');

describe('updateRepoFile', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await FakeGitHub.start({
      files: { [PATH]: 'run-0\n' },
      tokens: { [DEFAULT_TOKEN]: WRITE_ALL, [READ_ONLY_TOKEN]: READ_ONLY },
    });
  });
  afterEach(async () => {
    await fake.close();
  });

  const update = (
    mutate: UpdateRepoFileRequest['mutate'],
    strategy: UpdateStrategy = { kind: 'commit' },
    extra: Partial<UpdateRepoFileRequest> = {},
  ) =>
    updateRepoFile({
      octokit: createGitHubClient({ token: DEFAULT_TOKEN, apiUrl: fake.url }),
      owner: fake.owner,
      repo: fake.repo,
      path: PATH,
      branch: 'main',
      message: 'perf: record run',
      mutate,
      strategy,
      backoff: FAST,
      ...extra,
    });

  describe('commit strategy', () => {
    it('commits the mutated file with the blob sha it replaces', async () => {
      const result = await update(append('run-1'));

      expect(fake.readFile('main', PATH)).toBe('run-0\nrun-1\n');
      expect(result).toEqual({
        changed: true,
        commitSha: fake.branchHead('main'),
        attempts: 1,
        branch: 'main',
        url: `https://github.com/acme-ai/llm-serve/commit/${fake.branchHead('main')}`,
      });
      const put = fake.requests.find((request) => request.method === 'PUT');
      expect(put?.body).toMatchObject({
        branch: 'main',
        message: 'perf: record run',
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      });
    });

    it('creates the file when it does not exist yet', async () => {
      const seen: Array<string | undefined> = [];
      const result = await update(
        (current) => {
          seen.push(current);
          return '{"runs":[]}\n';
        },
        { kind: 'commit' },
        { path: 'perf/new-baseline.json' },
      );
      expect(seen).toEqual([undefined]);
      expect(result.changed).toBe(true);
      expect(fake.readFile('main', 'perf/new-baseline.json')).toBe('{"runs":[]}\n');
      expect(fake.requests.find((request) => request.method === 'PUT')?.body).not.toHaveProperty('sha');
    });

    it('commits nothing when mutate changes nothing', async () => {
      const head = fake.branchHead('main');
      const result = await update((current) => current ?? '');
      expect(result).toEqual({
        changed: false,
        commitSha: undefined,
        attempts: 1,
        branch: 'main',
        url: undefined,
      });
      expect(fake.branchHead('main')).toBe(head);
      expect(fake.count('PUT')).toBe(0);
    });

    it('lands two concurrent appends: the loser re-reads and retries', async () => {
      barrier(fake, 2, isContentsGet);

      const results = await Promise.all([update(append('run-A')), update(append('run-B'))]);

      const lines = fake.readFile('main', PATH)?.trim().split('\n');
      expect(lines?.slice(0, 1)).toEqual(['run-0']);
      expect([...(lines?.slice(1) ?? [])].sort()).toEqual(['run-A', 'run-B']);
      expect(results.map((result) => result.attempts).sort()).toEqual([1, 2]);
      const conflicts = fake.requests.filter((request) => request.method === 'PUT' && request.status === 409);
      expect(conflicts).toHaveLength(1);
      expect(fake.count('PUT')).toBe(3);
    });

    it('lands five concurrent appends', async () => {
      barrier(fake, 5, isContentsGet);

      const results = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((name) => update(append(`run-${name}`))),
      );

      const lines = fake.readFile('main', PATH)?.trim().split('\n') ?? [];
      expect(lines.sort()).toEqual(['run-0', 'run-a', 'run-b', 'run-c', 'run-d', 'run-e']);
      expect(Math.max(...results.map((result) => result.attempts))).toBeGreaterThan(1);
    });

    it('retries when another writer creates the file between the read and the write (422 "sha" missing)', async () => {
      let raced = false;
      fake.onRequest((request) => {
        if (request.method === 'PUT' && !raced) {
          raced = true;
          fake.writeFile('main', 'perf/fresh.json', 'other\n');
        }
      });

      const result = await update(append('mine'), { kind: 'commit' }, { path: 'perf/fresh.json' });

      expect(result.attempts).toBe(2);
      expect(fake.readFile('main', 'perf/fresh.json')).toBe('other\nmine\n');
      expect(
        fake.requests.filter((request) => request.method === 'PUT').map((request) => request.status),
      ).toEqual([422, 200]);
    });

    it('gives up after maxAttempts when every write conflicts', async () => {
      let intruders = 0;
      fake.onRequest((request) => {
        if (request.method === 'PUT')
          fake.writeFile('main', PATH, `${fake.readFile('main', PATH)}intruder-${++intruders}\n`);
      });

      const failure = await update(append('run-1'), { kind: 'commit' }, { maxAttempts: 3 }).catch(
        (error: unknown) => error,
      );

      expect(failure).toBeInstanceOf(RepoWriteError);
      expect(failure).toMatchObject({ reason: 'conflict', status: 409 });
      expect((failure as Error).message).toBe(
        `gave up writing ${PATH} on branch main after 3 attempts: another writer changed it every time (last answer ` +
          `to PUT /repos/acme-ai/llm-serve/contents/${PATH}: 409 ${PATH} does not match ` +
          `${(fake.requests.at(-1)?.body as { sha: string }).sha}). Runs that update the baseline should share a ` +
          'workflow `concurrency` group.',
      );
      expect(fake.count('PUT')).toBe(3);
      expect(fake.readFile('main', PATH)).not.toContain('run-1');
    });

    it('explains a protected branch and suggests the other strategies, without retrying', async () => {
      fake.protectBranch('main');

      const failure = await update(append('run-1')).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(RepoWriteError);
      expect(failure).toMatchObject({ reason: 'protected-branch', status: 409 });
      const message = (failure as Error).message;
      expect(message).toContain('branch main is protected');
      expect(message).toContain(
        'Repository rule violations found Changes must be made through a pull request.',
      );
      expect(message).toContain('`update-strategy: pull-request`');
      expect(message).toContain('`update-strategy: branch:NAME`');
      expect(fake.count('PUT')).toBe(1);
    });

    it('recognises classic branch protection answers too', async () => {
      fake.protectBranch('main', {
        status: 422,
        message: 'Protected branch update failed for refs/heads/main.',
      });
      await expect(update(append('run-1'))).rejects.toMatchObject({
        reason: 'protected-branch',
        status: 422,
      });
    });

    it('names `contents: write` and the strategies when the token is read-only; never the token', async () => {
      const failure = await updateRepoFile({
        octokit: createGitHubClient({ token: READ_ONLY_TOKEN, apiUrl: fake.url }),
        owner: fake.owner,
        repo: fake.repo,
        path: PATH,
        branch: 'main',
        message: 'perf: record run',
        mutate: append('run-1'),
        strategy: { kind: 'commit' },
      }).catch((error: unknown) => error);

      expect(failure).toMatchObject({ reason: 'forbidden', status: 403 });
      const message = (failure as Error).message;
      expect(message).toContain(
        `GitHub refused PUT /repos/acme-ai/llm-serve/contents/${PATH} (403 Resource not accessible by integration)`,
      );
      expect(message).toContain('`contents: write`');
      expect(message).toContain('`update-strategy: pull-request`');
      expect(inspect(failure, { depth: 20 })).not.toContain(READ_ONLY_TOKEN);
      expect(JSON.stringify(fake.requests)).not.toContain(READ_ONLY_TOKEN);
    });

    it('fails clearly when the branch does not exist', async () => {
      const failure = update(append('run-1'), { kind: 'commit' }, { branch: 'trunk' });
      await expect(failure).rejects.toBeInstanceOf(GitHubApiError);
      await expect(failure).rejects.toThrow('The ref "trunk" does not exist in acme-ai/llm-serve');
    });
  });

  describe('branch strategy', () => {
    it('creates the branch from main on first use, then commits on it', async () => {
      const mainHead = fake.branchHead('main');

      const first = await update(append('run-1'), { kind: 'branch', name: 'perf-baseline' });
      const second = await update(append('run-2'), { kind: 'branch', name: 'perf-baseline' });

      expect(fake.readFile('perf-baseline', PATH)).toBe('run-0\nrun-1\nrun-2\n');
      expect(fake.readFile('main', PATH)).toBe('run-0\n');
      expect(fake.branchHead('main')).toBe(mainHead);
      expect(first).toMatchObject({ changed: true, branch: 'perf-baseline', attempts: 1 });
      expect(second.commitSha).toBe(fake.branchHead('perf-baseline'));
      expect(fake.count('POST', '/git/refs')).toBe(1);
      expect(fake.requests.find((request) => request.method === 'POST')?.body).toEqual({
        ref: 'refs/heads/perf-baseline',
        sha: mainHead,
      });
    });

    it('tolerates another run creating the branch first', async () => {
      barrier(
        fake,
        2,
        (request) => request.method === 'GET' && request.path.includes('/git/ref/heads/perf-baseline'),
      );

      await Promise.all([
        update(append('run-A'), { kind: 'branch', name: 'perf-baseline' }),
        update(append('run-B'), { kind: 'branch', name: 'perf-baseline' }),
      ]);

      expect(fake.readFile('perf-baseline', PATH)?.trim().split('\n').sort()).toEqual([
        'run-0',
        'run-A',
        'run-B',
      ]);
      const creates = fake.requests.filter(
        (request) => request.method === 'POST' && request.path.endsWith('/git/refs'),
      );
      expect(creates.map((request) => request.status).sort()).toEqual([201, 422]);
    });

    it('rejects an invalid branch name before any request', async () => {
      await expect(update(append('x'), { kind: 'branch', name: 'bad name' })).rejects.toThrow(
        'update-strategy branch "bad name" is not a valid git branch name',
      );
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('pull-request strategy', () => {
    it('opens one pull request, then adds later runs to it', async () => {
      fake.protectBranch('main');

      const first = await update(append('run-1'), { kind: 'pull-request' });
      const second = await update(append('run-2'), { kind: 'pull-request', body: 'Two runs pending.' });

      const pulls = fake.pulls();
      expect(pulls).toHaveLength(1);
      expect(pulls[0]).toMatchObject({
        state: 'open',
        headRef: DEFAULT_BOT_BRANCH,
        baseRef: 'main',
        title: 'perf: record run',
        body: 'Two runs pending.',
      });
      expect(first.pullRequest).toEqual({ number: pulls[0]?.number, url: first.url, created: true });
      expect(second.pullRequest).toEqual({ ...first.pullRequest, created: false });
      expect(first.url).toBe(`https://github.com/acme-ai/llm-serve/pull/${pulls[0]?.number}`);
      expect(fake.readFile(DEFAULT_BOT_BRANCH, PATH)).toBe('run-0\nrun-1\nrun-2\n');
      expect(fake.readFile('main', PATH)).toBe('run-0\n');
      expect(fake.count('POST', '/pulls')).toBe(1);
      expect(fake.count('PATCH', '/pulls/')).toBe(1);
      expect(fake.count('PATCH', '/git/refs/')).toBe(0);
    });

    it('starts again from the base branch after its pull request was closed unmerged', async () => {
      const first = await update(append('rejected-run'), {
        kind: 'pull-request',
        branch: 'perf/baseline-bot',
      });
      const pull = fake.pull(first.pullRequest?.number ?? -1);
      if (pull === undefined) throw new Error('no pull request opened');
      pull.state = 'closed';
      fake.writeFile('main', 'README.md', 'moved on\n');

      const second = await update(append('run-2'), { kind: 'pull-request', branch: 'perf/baseline-bot' });

      expect(second.pullRequest?.created).toBe(true);
      expect(second.pullRequest?.number).not.toBe(first.pullRequest?.number);
      expect(fake.readFile('perf/baseline-bot', PATH)).toBe('run-0\nrun-2\n');
      expect(fake.readFile('perf/baseline-bot', 'README.md')).toBe('moved on\n');
      const reset = fake.requests.find(
        (request) => request.method === 'PATCH' && request.path.includes('/git/refs/'),
      );
      expect(reset?.body).toEqual({
        sha: fake.branchHead('main'),
        force: true,
      });
    });

    it('explains the repository setting when Actions may not open pull requests', async () => {
      fake.setActionsCanCreatePullRequests(false);
      const failure = update(append('run-1'), { kind: 'pull-request' });
      await expect(failure).rejects.toThrow(
        'GitHub API POST /repos/acme-ai/llm-serve/pulls failed with 403: GitHub Actions is not permitted to create or ' +
          'approve pull requests.. Opening the pull request needs `pull-requests: write`',
      );
      await expect(failure).rejects.toThrow('"Allow GitHub Actions to create and approve pull requests"');
    });

    it('refuses a bot branch equal to the base branch', async () => {
      await expect(update(append('x'), { kind: 'pull-request', branch: 'main' })).rejects.toThrow(
        'must differ from the base branch "main"',
      );
    });
  });
});

describe('parseUpdateStrategy', () => {
  it('reads the input forms', () => {
    expect(parseUpdateStrategy('commit')).toEqual({ kind: 'commit' });
    expect(parseUpdateStrategy(' pull-request ')).toEqual({ kind: 'pull-request' });
    expect(parseUpdateStrategy('pull-request:bots/perf')).toEqual({
      kind: 'pull-request',
      branch: 'bots/perf',
    });
    expect(parseUpdateStrategy('branch:perf-baseline')).toEqual({ kind: 'branch', name: 'perf-baseline' });
    expect(() => parseUpdateStrategy('branch:')).toThrow('update-strategy must be "commit", "pull-request"');
    expect(() => parseUpdateStrategy('push')).toThrow('got "push"');
  });
});

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt up to the cap, never below half of it', () => {
    const options = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, options, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, options, () => 0.999999))).toEqual(
      [100, 200, 400, 800, 1000, 1000].map((ceiling) => expect.closeTo(ceiling, 3)),
    );
  });
});
