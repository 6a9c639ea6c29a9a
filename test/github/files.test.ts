import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { GitHubApiError } from '../../src/github/errors.js';
import { normalizeRepoPath, readRepoFile } from '../../src/github/files.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import type { GitHubClient } from '../../src/github/octokit.js';
import { DEFAULT_TOKEN, FakeGitHub, gitBlobSha } from '../helpers/github-server.js';

const BASELINE = '.github/llm-perf-gate/baseline.json';

describe('readRepoFile', () => {
  let fake: FakeGitHub;
  let octokit: GitHubClient;
  beforeEach(async () => {
    fake = await FakeGitHub.start({
      files: { [BASELINE]: '{"runs":[1]}\n', 'perf.yml': 'gate:\n  ttft: 5%\n' },
    });
    octokit = createGitHubClient({ token: DEFAULT_TOKEN, apiUrl: fake.url });
  });
  afterEach(async () => {
    await fake.close();
  });

  const read = (path: string, ref?: string) =>
    readRepoFile({
      octokit,
      owner: fake.owner,
      repo: fake.repo,
      path,
      ...(ref === undefined ? {} : { ref }),
    });

  it('reads the base branch, not the pull request head', async () => {
    fake.createBranch('loosen-gate');
    const headCommit = fake.writeFile('loosen-gate', 'perf.yml', 'gate:\n  ttft: 500%\n');

    const base = await read('perf.yml', 'main');
    const head = await read('perf.yml', 'loosen-gate');
    const atCommit = await read('perf.yml', headCommit);

    expect(base).toEqual({ text: 'gate:\n  ttft: 5%\n', sha: gitBlobSha('gate:\n  ttft: 5%\n') });
    expect(head?.text).toBe('gate:\n  ttft: 500%\n');
    expect(atCommit).toEqual(head);
    const refs = fake.requests.map((request) => request.query['ref']);
    expect(refs).toEqual(['main', 'loosen-gate', headCommit]);
  });

  it('reads the default branch when no ref is given, and accepts "./" paths', async () => {
    await expect(read(`./${BASELINE}`)).resolves.toMatchObject({ text: '{"runs":[1]}\n' });
    expect(fake.requests[0]?.path).toBe(`/repos/acme-ai/llm-serve/contents/${BASELINE}`);
    expect(fake.requests[0]?.query).toEqual({});
  });

  it('answers undefined for a missing file', async () => {
    await expect(read('.github/llm-perf-gate/missing.json', 'main')).resolves.toBeUndefined();
  });

  it('throws, naming the ref, when the ref does not exist', async () => {
    const failure = read('perf.yml', 'no-such-branch');
    await expect(failure).rejects.toBeInstanceOf(GitHubApiError);
    await expect(failure).rejects.toThrow(
      'GitHub API GET /repos/acme-ai/llm-serve/contents/perf.yml?ref=no-such-branch failed with 404: ' +
        'No commit found for the ref no-such-branch. The ref "no-such-branch" does not exist in acme-ai/llm-serve',
    );
  });

  it('fetches a file over 1 MB as a blob', async () => {
    const big = `${'x'.repeat(1024 * 1024)}\n{"end":true}\n`;
    fake.writeFile('main', 'big.json', big);

    const file = await read('big.json', 'main');

    expect(file?.text).toBe(big);
    expect(file?.sha).toBe(gitBlobSha(big));
    expect(fake.count('GET', `/git/blobs/${gitBlobSha(big)}`)).toBe(1);
  });

  it('reads an empty file without fetching a blob', async () => {
    fake.writeFile('main', 'empty.json', '');
    await expect(read('empty.json')).resolves.toEqual({ text: '', sha: gitBlobSha('') });
    expect(fake.count('GET', '/git/blobs/')).toBe(0);
  });

  it('rejects a directory', async () => {
    await expect(read('.github/llm-perf-gate')).rejects.toThrow(
      '.github/llm-perf-gate is a directory, not a file',
    );
  });
});

describe('normalizeRepoPath', () => {
  it('drops leading "./" and "/" and empty segments, and refuses ".."', () => {
    expect(normalizeRepoPath('./a//b/./c.json')).toBe('a/b/c.json');
    expect(normalizeRepoPath('/perf.yml')).toBe('perf.yml');
    expect(() => normalizeRepoPath('../secrets')).toThrow('must not contain ".."');
    expect(() => normalizeRepoPath('./')).toThrow('names no file');
  });
});
