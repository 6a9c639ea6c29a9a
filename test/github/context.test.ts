import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { mergedPullRequest, pullRequestsForCommit } from '../../src/github/commit-pull-requests.js';
import { loadRunContext, runContextFromPayload, RunContextError } from '../../src/github/context.js';
import type { Env } from '../../src/github/context.js';
import { GitHubApiError } from '../../src/github/errors.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { DEFAULT_TOKEN, FakeGitHub } from '../helpers/github-server.js';

const fixture = (name: string): string => join(import.meta.dirname, '../../fixtures/github', name);

function actionsEnv(eventName: string, eventPath: string, extra: Env = {}): Env {
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme-ai/llm-serve',
    GITHUB_SHA: '5d1e2f3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0',
    GITHUB_REF: 'refs/pull/42/merge',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_RUN_ID: '13377331',
    GITHUB_RUN_ATTEMPT: '1',
    ...extra,
  };
}

describe('loadRunContext', () => {
  it('reads a pull_request opened from a fork', async () => {
    const context = await loadRunContext(
      actionsEnv('pull_request', fixture('pull-request-opened-fork.json')),
    );
    expect(context).toMatchObject({
      kind: 'pull_request',
      eventName: 'pull_request',
      action: 'opened',
      owner: 'acme-ai',
      repo: 'llm-serve',
      number: 42,
      baseRef: 'main',
      baseSha: '3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e',
      headRef: 'batch-512',
      headSha: '9f1c2b7a4e5d6c8b0a1f2e3d4c5b6a7980f1e2d3',
      headRepoFullName: 'octo-contributor/llm-serve',
      isFork: true,
      draft: false,
      labels: [],
      url: 'https://github.com/acme-ai/llm-serve/pull/42',
      runUrl: 'https://github.com/acme-ai/llm-serve/actions/runs/13377331',
    });
  });

  it('reads a synchronize from a branch of the same repository, with its labels', async () => {
    const env = actionsEnv('pull_request_target', fixture('pull-request-synchronize-same-repo.json'), {
      GITHUB_RUN_ATTEMPT: '2',
    });
    const context = await loadRunContext(env);
    if (context.kind !== 'pull_request')
      throw new Error(`expected a pull_request context, got ${context.kind}`);
    expect(context.eventName).toBe('pull_request_target');
    expect(context.isFork).toBe(false);
    expect(context.headSha).toBe('c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00');
    expect(context.labels).toEqual(['performance', 'perf-regression-accepted']);
    expect(context.draft).toBe(true);
    expect(context.runUrl).toBe('https://github.com/acme-ai/llm-serve/actions/runs/13377331/attempts/2');
  });

  it('reads a push to the default branch', async () => {
    const context = await loadRunContext(
      actionsEnv('push', fixture('push-main.json'), { GITHUB_REF: 'refs/heads/main' }),
    );
    expect(context).toMatchObject({
      kind: 'push',
      ref: 'refs/heads/main',
      branch: 'main',
      sha: 'e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b',
      beforeSha: '3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e',
      defaultBranch: 'main',
      isDefaultBranch: true,
    });
  });

  describe('with a temporary event file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'perf-gate-context-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('names the event file when it is not JSON', async () => {
      const path = join(dir, 'event.json');
      await writeFile(path, '{ not json');
      await expect(loadRunContext(actionsEnv('push', path))).rejects.toThrow(
        `GITHUB_EVENT_PATH ${path} is not valid JSON`,
      );
    });

    it('names the missing field of a malformed payload', async () => {
      const path = join(dir, 'event.json');
      await writeFile(
        path,
        JSON.stringify({ pull_request: { number: 3, html_url: 'x', head: { ref: 'a', sha: 'b' } } }),
      );
      const failure = loadRunContext(actionsEnv('pull_request', path));
      await expect(failure).rejects.toBeInstanceOf(RunContextError);
      await expect(failure).rejects.toThrow(/pull_request\.base: /);
      await expect(failure).rejects.toThrow(path);
    });
  });
});

describe('runContextFromPayload', () => {
  const env: Env = { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'acme-ai/llm-serve' };

  it('marks a push to another branch or a tag as not the default branch', () => {
    const repository = {
      name: 'llm-serve',
      full_name: 'acme-ai/llm-serve',
      owner: { login: 'acme-ai' },
      default_branch: 'main',
    };
    const branch = runContextFromPayload(env, { ref: 'refs/heads/release-1', after: 'abc', repository });
    const tag = runContextFromPayload(env, { ref: 'refs/tags/v1.0.0', after: 'abc', repository });
    expect(branch).toMatchObject({ kind: 'push', branch: 'release-1', isDefaultBranch: false });
    expect(tag).toMatchObject({ kind: 'push', branch: undefined, isDefaultBranch: false });
  });

  it('treats a pull request whose fork was deleted as a fork', () => {
    const context = runContextFromPayload(
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'acme-ai/llm-serve' },
      {
        pull_request: {
          number: 9,
          html_url: 'https://github.com/acme-ai/llm-serve/pull/9',
          head: { ref: 'gone', sha: 'a'.repeat(40), repo: null },
          base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'acme-ai/llm-serve' } },
        },
      },
    );
    expect(context).toMatchObject({ kind: 'pull_request', isFork: true, headRepoFullName: undefined });
  });

  it('describes other events with ref, sha and the default branch when the payload has it', () => {
    const context = runContextFromPayload(
      {
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_REPOSITORY: 'acme-ai/llm-serve',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: 'f00',
      },
      {
        inputs: {},
        repository: {
          name: 'llm-serve',
          full_name: 'acme-ai/llm-serve',
          owner: { login: 'acme-ai' },
          default_branch: 'main',
        },
      },
    );
    expect(context).toEqual({
      kind: 'other',
      eventName: 'workflow_dispatch',
      owner: 'acme-ai',
      repo: 'llm-serve',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      runUrl: undefined,
      ref: 'refs/heads/main',
      sha: 'f00',
      defaultBranch: 'main',
    });
  });

  it('takes the repository from the payload when GITHUB_REPOSITORY is absent, and rejects a malformed one', () => {
    const payload = {
      ref: 'refs/heads/main',
      after: 'abc',
      repository: { name: 'svc', full_name: 'org/svc', owner: { login: 'org' }, default_branch: 'main' },
    };
    expect(runContextFromPayload({ GITHUB_EVENT_NAME: 'push' }, payload)).toMatchObject({
      owner: 'org',
      repo: 'svc',
    });
    expect(() =>
      runContextFromPayload({ GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'no-slash' }, payload),
    ).toThrow('GITHUB_REPOSITORY must look like "owner/repo", got "no-slash"');
  });

  it('refuses to run outside a workflow', () => {
    expect(() => runContextFromPayload({}, {})).toThrow('GITHUB_EVENT_NAME is not set');
  });
});

describe('pullRequestsForCommit', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await FakeGitHub.start({ files: { 'README.md': 'hello\n' } });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('finds the merged pull request and its labels for a merge commit', async () => {
    const mergeSha = fake.writeFile('main', 'serve.py', 'fp8 = True\n', 'Switch the KV cache to fp8 (#57)');
    fake.addPullRequest({
      number: 57,
      headRef: 'kv-fp8',
      labels: ['perf-regression-accepted'],
      mergeCommitSha: mergeSha,
    });
    fake.addPullRequest({ number: 58, headRef: 'other', headSha: mergeSha });
    const octokit = createGitHubClient({ token: DEFAULT_TOKEN, apiUrl: fake.url });

    const pulls = await pullRequestsForCommit({ octokit, owner: fake.owner, repo: fake.repo, sha: mergeSha });

    expect(pulls.map((pull) => pull.number).sort()).toEqual([57, 58]);
    const merged = mergedPullRequest(pulls, { sha: mergeSha, branch: 'main' });
    expect(merged).toMatchObject({
      number: 57,
      merged: true,
      labels: ['perf-regression-accepted'],
      baseRef: 'main',
    });
    expect(fake.count('GET', `/commits/${mergeSha}/pulls`)).toBe(1);
  });

  it('returns nothing merged for a direct push', async () => {
    const sha = fake.writeFile('main', 'x.txt', 'direct\n');
    const octokit = createGitHubClient({ token: DEFAULT_TOKEN, apiUrl: fake.url });
    const pulls = await pullRequestsForCommit({ octokit, owner: fake.owner, repo: fake.repo, sha });
    expect(pulls).toEqual([]);
    expect(mergedPullRequest(pulls, { sha, branch: 'main' })).toBeUndefined();
  });

  it('names the request when GitHub does not know the commit', async () => {
    const octokit = createGitHubClient({ token: DEFAULT_TOKEN, apiUrl: fake.url });
    const sha = '0'.repeat(40);
    const failure = pullRequestsForCommit({ octokit, owner: fake.owner, repo: fake.repo, sha });
    await expect(failure).rejects.toBeInstanceOf(GitHubApiError);
    await expect(failure).rejects.toThrow(
      `GitHub API GET /repos/acme-ai/llm-serve/commits/${sha}/pulls failed with 422: No commit found for SHA: ${sha}`,
    );
  });
});
