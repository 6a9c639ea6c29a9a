import { inspect } from 'node:util';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MAX_COMMENT_LENGTH, fitCommentBody, stickyMarker } from '../../src/github/comment-body.js';
import { upsertStickyComment } from '../../src/github/comments.js';
import { GitHubApiError } from '../../src/github/errors.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { DEFAULT_TOKEN, FakeGitHub, READ_ONLY, WRITE_ALL } from '../helpers/github-server.js';

const PR = 42;
const FORK_TOKEN = 'ghs_readOnlyForkToken9876543210';

describe('upsertStickyComment', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await FakeGitHub.start({ tokens: { [DEFAULT_TOKEN]: WRITE_ALL, [FORK_TOKEN]: READ_ONLY } });
    fake.addPullRequest({ number: PR, headRef: 'batch-512' });
  });
  afterEach(async () => {
    await fake.close();
  });

  const upsert = (body: string, token = DEFAULT_TOKEN, marker = stickyMarker('perf')) =>
    upsertStickyComment({
      octokit: createGitHubClient({ token, apiUrl: fake.url }),
      owner: fake.owner,
      repo: fake.repo,
      issueNumber: PR,
      marker,
      body,
    });

  it('creates the comment once, then edits it in place', async () => {
    const first = await upsert('## Perf report\nTTFT p95 +3%');
    expect(first).toMatchObject({ action: 'created', truncated: false });
    const second = await upsert('## Perf report\nTTFT p95 -1%');

    const comments = fake.comments(PR);
    expect(comments).toHaveLength(1);
    expect(second).toEqual({ ...first, action: 'updated' });
    expect(comments[0]?.body).toBe(`${stickyMarker('perf')}\n## Perf report\nTTFT p95 -1%`);
    expect(comments[0]?.author.login).toBe('github-actions[bot]');
    if (first.action !== 'created') throw new Error('unreachable');
    expect(first.url).toBe(`https://github.com/acme-ai/llm-serve/pull/${PR}#issuecomment-${first.commentId}`);
    expect(fake.count('POST', '/comments')).toBe(1);
    expect(fake.count('PATCH', `/issues/comments/${first.commentId}`)).toBe(1);
  });

  it('walks the pages until the marker, and no further', async () => {
    for (let index = 0; index < 250; index += 1) {
      if (index === 230)
        fake.addComment(PR, `${stickyMarker('perf')}\nold report`, {
          login: 'github-actions[bot]',
          type: 'Bot',
        });
      else fake.addComment(PR, `comment ${index}`);
    }
    fake.addComment(PR, `${stickyMarker('perf')}\na later duplicate`, {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    const sticky = fake.comments(PR)[230];

    const result = await upsert('new report');

    expect(result).toMatchObject({ action: 'updated', commentId: sticky?.id });
    expect(sticky?.body).toBe(`${stickyMarker('perf')}\nnew report`);
    expect(fake.comments(PR).at(-1)?.body).toContain('a later duplicate');
    const pages = fake.requests.filter(
      (request) => request.method === 'GET' && request.path.endsWith('/comments'),
    );
    expect(pages.map((request) => [request.query['per_page'], request.query['page'] ?? '1'])).toEqual([
      ['100', '1'],
      ['100', '2'],
      ['100', '3'],
    ]);
  });

  it('stops listing at the first page that holds the marker', async () => {
    fake.addComment(PR, `${stickyMarker('perf')}\nold`, { login: 'github-actions[bot]', type: 'Bot' });
    for (let index = 0; index < 249; index += 1) fake.addComment(PR, `comment ${index}`);

    await expect(upsert('new')).resolves.toMatchObject({ action: 'updated' });

    expect(fake.count('GET', '/comments')).toBe(1);
  });

  it('ignores comments of other bots and of other gates', async () => {
    fake.addComment(PR, '<!-- other-bot:sticky -->\nCoverage 81%', { login: 'codecov[bot]', type: 'Bot' });
    fake.addComment(PR, `${stickyMarker('perf-gpu')}\nanother gate`, {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    fake.addComment(PR, 'LGTM, see <!-- llm-perf-gate:sticky:perf-old -->');

    const result = await upsert('report');

    expect(result.action).toBe('created');
    expect(fake.comments(PR).map((comment) => comment.body.split('\n')[0])).toEqual([
      '<!-- other-bot:sticky -->',
      stickyMarker('perf-gpu'),
      'LGTM, see <!-- llm-perf-gate:sticky:perf-old -->',
      stickyMarker('perf'),
    ]);
  });

  it('skips with a reason naming the permission when the token is read-only (fork)', async () => {
    const result = await upsert('report', FORK_TOKEN);

    expect(result.action).toBe('skipped');
    if (result.action !== 'skipped') throw new Error('unreachable');
    expect(result.reason).toContain('403 (Resource not accessible by integration)');
    expect(result.reason).toContain(`POST /repos/acme-ai/llm-serve/issues/${PR}/comments`);
    expect(result.reason).toContain('`pull-requests: write`');
    expect(result.reason).not.toContain(FORK_TOKEN);
    expect(fake.comments(PR)).toHaveLength(0);
  });

  it('skips an existing comment it may not edit, and skips a missing pull request', async () => {
    fake.addComment(PR, `${stickyMarker('perf')}\nold`, { login: 'github-actions[bot]', type: 'Bot' });
    await expect(upsert('report', FORK_TOKEN)).resolves.toMatchObject({ action: 'skipped' });
    const missing = await upsertStickyComment({
      octokit: createGitHubClient({ token: DEFAULT_TOKEN, apiUrl: fake.url }),
      owner: fake.owner,
      repo: fake.repo,
      issueNumber: 999,
      marker: stickyMarker('perf'),
      body: 'report',
    });
    expect(missing).toMatchObject({ action: 'skipped', reason: expect.stringContaining('404 (Not Found)') });
  });

  it('throws other failures with the request, never the token', async () => {
    const secret = 'ghs_unknownTokenThatMustNotLeak000';
    const failure = await upsert('report', secret).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(GitHubApiError);
    expect((failure as Error).message).toBe(
      `GitHub API GET /repos/acme-ai/llm-serve/issues/${PR}/comments failed with 401: Bad credentials`,
    );
    expect(inspect(failure, { depth: 20 })).not.toContain(secret);
    expect(JSON.stringify(fake.requests)).not.toContain(secret);
    expect(fake.requests.every((request) => !('authorization' in request.headers))).toBe(true);
  });

  it('truncates a 70k body under the limit and keeps the marker', async () => {
    const row = '| scenario | ttft p95 | itl p95 |\n';
    const body = `## Perf report\n\n${row.repeat(Math.ceil(70_000 / row.length))}`;
    expect(body.length).toBeGreaterThan(70_000);

    const result = await upsert(body);

    expect(result).toMatchObject({ action: 'created', truncated: true });
    const stored = fake.comments(PR)[0]?.body ?? '';
    expect(stored.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(stored.startsWith(stickyMarker('perf'))).toBe(true);
    expect(stored).toContain('**Truncated.**');
    // The next run still finds it.
    await expect(upsert('short')).resolves.toMatchObject({ action: 'updated' });
  });

  it('refuses a marker that is not a hidden HTML comment', async () => {
    await expect(upsert('report', DEFAULT_TOKEN, 'perf-report')).rejects.toThrow(
      'must be a one-line HTML comment',
    );
    expect(fake.requests).toHaveLength(0);
  });
});

describe('stickyMarker', () => {
  it('builds a hidden marker per id and makes odd ids safe', () => {
    expect(stickyMarker()).toBe('<!-- llm-perf-gate:sticky:default -->');
    expect(stickyMarker('perf.yml/gpu')).toBe('<!-- llm-perf-gate:sticky:perf.yml/gpu -->');
    expect(stickyMarker('LLM perf (gpu) --> x')).toBe('<!-- llm-perf-gate:sticky:LLM_perf_gpu_-_x -->');
    expect(() => stickyMarker('  ')).toThrow('has no usable characters');
  });
});

describe('fitCommentBody', () => {
  const marker = stickyMarker('t');

  it('leaves a body that fits alone, apart from putting the marker first once', () => {
    expect(fitCommentBody(`hello ${marker}`, marker)).toEqual({
      body: `${marker}\nhello `,
      truncated: false,
      originalLength: `hello ${marker}`.length,
    });
  });

  it('closes a code fence and details blocks it cuts through', () => {
    const body = `<details><summary>raw</summary>\n\n\`\`\`json\n${'{"x": 1}\n'.repeat(1000)}\`\`\`\n</details>\n`;
    const fitted = fitCommentBody(body, marker, { limit: 2000, note: 'see the job summary' });
    expect(fitted.truncated).toBe(true);
    expect(fitted.body.length).toBeLessThanOrEqual(2000);
    expect(fitted.body.match(/```/g)).toHaveLength(2);
    expect(fitted.body).toMatch(
      /```\n<\/details>\n\n> \[!NOTE\]\n> \*\*Truncated\.\*\* see the job summary\n$/,
    );
  });

  it('never splits a surrogate pair', () => {
    const body = '🚀'.repeat(40_000);
    const fitted = fitCommentBody(body, marker);
    expect(fitted.body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(fitted.body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(Buffer.from(fitted.body, 'utf8').toString('utf8')).toBe(fitted.body);
  });

  it('rejects a limit too small for the marker and the note', () => {
    expect(() => fitCommentBody('x'.repeat(500), marker, { limit: 40 })).toThrow('cannot hold the marker');
  });
});
