/** The fake GitHub's own behaviour where tests of src/github rely on it: auth, pagination links, contents errors. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_TOKEN, FakeGitHub, gitBlobSha } from '../helpers/github-server.js';

describe('FakeGitHub', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await FakeGitHub.start({ files: { 'a.txt': 'hello\n' } });
  });
  afterEach(async () => {
    await fake.close();
  });

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    authorization = `token ${DEFAULT_TOKEN}`,
  ) => {
    const response = await fetch(`${fake.url}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      link: response.headers.get('link'),
      json: (await response.json()) as unknown,
    };
  };

  it('uses git blob ids', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobSha('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('accepts "token" and "Bearer" credentials and refuses others', async () => {
    expect((await call('GET', '/repos/acme-ai/llm-serve/contents/a.txt')).status).toBe(200);
    expect(
      (await call('GET', '/repos/acme-ai/llm-serve/contents/a.txt', undefined, `Bearer ${DEFAULT_TOKEN}`))
        .status,
    ).toBe(200);
    expect(
      await call('GET', '/repos/acme-ai/llm-serve/contents/a.txt', undefined, 'token wrong'),
    ).toMatchObject({
      status: 401,
      json: { message: 'Bad credentials' },
    });
    expect(fake.requests.every((request) => request.headers['authorization'] === undefined)).toBe(true);
  });

  it('paginates with GitHub Link headers', async () => {
    fake.addIssue(5);
    for (let index = 0; index < 7; index += 1) fake.addComment(5, `c${index}`);
    const path = '/repos/acme-ai/llm-serve/issues/5/comments';

    const first = await call('GET', `${path}?per_page=3`);
    const middle = await call('GET', `${path}?per_page=3&page=2`);
    const last = await call('GET', `${path}?per_page=3&page=3`);

    expect((first.json as Array<{ body: string }>).map((comment) => comment.body)).toEqual([
      'c0',
      'c1',
      'c2',
    ]);
    expect(first.link).toBe(
      `<${fake.url}${path}?per_page=3&page=2>; rel="next", <${fake.url}${path}?per_page=3&page=3>; rel="last"`,
    );
    expect(middle.link).toBe(
      `<${fake.url}${path}?per_page=3&page=1>; rel="prev", <${fake.url}${path}?per_page=3&page=3>; rel="next", ` +
        `<${fake.url}${path}?per_page=3&page=3>; rel="last", <${fake.url}${path}?per_page=3&page=1>; rel="first"`,
    );
    expect((last.json as unknown[]).length).toBe(1);
    expect(last.link).not.toContain('rel="next"');
  });

  it('answers contents writes with GitHub status codes and messages', async () => {
    const path = '/repos/acme-ai/llm-serve/contents/a.txt';
    const content = Buffer.from('new\n').toString('base64');

    expect(await call('PUT', path, { message: 'm', content })).toMatchObject({
      status: 422,
      json: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' },
    });
    expect(await call('PUT', path, { message: 'm', content, sha: 'deadbeef' })).toMatchObject({
      status: 409,
      json: { message: 'a.txt does not match deadbeef' },
    });
    expect(
      await call('PUT', path, { message: 'm', content, sha: gitBlobSha('hello\n'), branch: 'nope' }),
    ).toMatchObject({
      status: 404,
    });
    expect(await call('PUT', path, { message: 'm', content, sha: gitBlobSha('hello\n') })).toMatchObject({
      status: 200,
      json: { content: { sha: gitBlobSha('new\n') } },
    });
    expect(
      await call('PUT', '/repos/acme-ai/llm-serve/contents/b.txt', { message: 'm', content }),
    ).toMatchObject({
      status: 201,
    });
    expect(fake.readFile('main', 'a.txt')).toBe('new\n');
    expect(fake.history('main').slice(0, 2)).toEqual(['m', 'm']);
  });
});
