/**
 * Reading one file of the repository at a ref through the contents API, without a checkout. The gate reads its config
 * and the baseline from the pull request's BASE branch this way, so a pull request cannot loosen its own gate or edit
 * its own baseline.
 */
import { GitHubApiError, githubMessageOf, httpStatusOf, repoPath, toGitHubApiError } from './errors.js';
import type { RequestDescription } from './errors.js';
import type { GitHubClient } from './octokit.js';

/** A file's text and its git blob sha (what a later write must name to replace it). */
export interface RepoFile {
  readonly text: string;
  readonly sha: string;
}

/** Where to read. */
export interface RepoFileLocation {
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  /** Path inside the repository, e.g. ".github/llm-perf-gate/baseline.json" (a leading "./" or "/" is dropped). */
  readonly path: string;
  /** Branch, tag or commit sha; default: the repository's default branch. */
  readonly ref?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Read a UTF-8 text file. Undefined when the file does not exist at `ref`; throws when the ref itself does not exist,
 * when the path is a directory, symlink or submodule, or when the bytes are not UTF-8. Files over 1 MB, which the
 * contents API returns without content, are fetched as a git blob by their sha.
 */
export async function readRepoFile(location: RepoFileLocation): Promise<RepoFile | undefined> {
  const { octokit, owner, repo, ref } = location;
  const path = normalizeRepoPath(location.path);
  const request: RequestDescription = {
    method: 'GET',
    path: repoPath(owner, repo, 'contents', path) + (ref === undefined ? '' : `?ref=${ref}`),
  };
  let data: Awaited<ReturnType<GitHubClient['rest']['repos']['getContent']>>['data'];
  try {
    ({ data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path,
      ...(ref === undefined ? {} : { ref }),
    }));
  } catch (error) {
    if (httpStatusOf(error) === 404) {
      if (/no commit found for the ref/i.test(githubMessageOf(error))) {
        throw toGitHubApiError(error, request, `The ref "${ref ?? ''}" does not exist in ${owner}/${repo}`);
      }
      return undefined;
    }
    throw toGitHubApiError(error, request);
  }
  if (Array.isArray(data)) {
    throw new GitHubApiError(request, 200, `${path} is a directory, not a file`);
  }
  if (data.type !== 'file') {
    throw new GitHubApiError(request, 200, `${path} is a ${data.type}, not a regular file`);
  }
  const content = 'content' in data && typeof data.content === 'string' ? data.content : '';
  const encoding = 'encoding' in data && typeof data.encoding === 'string' ? data.encoding : 'base64';
  // Files of 1-100 MB come back with empty content and encoding "none": fetch the blob instead.
  const base64 =
    encoding === 'base64' && (content !== '' || data.size === 0)
      ? content
      : await readBlob(location, data.sha);
  return { text: decodeUtf8(base64, path), sha: data.sha };
}

async function readBlob(location: RepoFileLocation, sha: string): Promise<string> {
  const { octokit, owner, repo } = location;
  const request: RequestDescription = { method: 'GET', path: repoPath(owner, repo, 'git', 'blobs', sha) };
  try {
    const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: sha });
    if (data.encoding !== 'base64') {
      throw new GitHubApiError(request, 200, `unexpected blob encoding "${data.encoding}"`);
    }
    return data.content;
  } catch (error) {
    throw toGitHubApiError(error, request);
  }
}

function decodeUtf8(base64: string, path: string): string {
  try {
    return utf8.decode(Buffer.from(base64, 'base64'));
  } catch {
    throw new Error(`${path} is not UTF-8 text`);
  }
}

/**
 * A repository path as the contents API wants it: no leading "./" or "/", no empty or "." segments. Throws on an empty
 * path or a ".." segment.
 */
export function normalizeRepoPath(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) throw new Error(`repository path "${path}" names no file`);
  if (segments.includes('..')) throw new Error(`repository path "${path}" must not contain ".."`);
  return segments.join('/');
}
