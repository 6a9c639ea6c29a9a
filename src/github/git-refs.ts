/**
 * Branch heads through the git refs API: read, create, and reset (force-move) a branch. Used by the baseline store to
 * keep its dedicated and bot branches.
 */
import { githubMessageOf, httpStatusOf, repoPath, toGitHubApiError } from './errors.js';
import type { GitHubClient } from './octokit.js';

/** A repository and one of its branches. */
export interface BranchLocation {
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  /** Branch name without "refs/heads/". */
  readonly branch: string;
}

/** The commit `branch` points at, or undefined when the branch does not exist. */
export async function branchHead({
  octokit,
  owner,
  repo,
  branch,
}: BranchLocation): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined;
    throw toGitHubApiError(error, {
      method: 'GET',
      path: repoPath(owner, repo, 'git', 'ref', 'heads', branch),
    });
  }
}

/**
 * Create `branch` at commit `sha`. Resolves `'exists'` when another run created it first (422 "Reference already
 * exists"), which callers treat like success.
 */
export async function createBranch(location: BranchLocation, sha: string): Promise<'created' | 'exists'> {
  const { octokit, owner, repo, branch } = location;
  try {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha });
    return 'created';
  } catch (error) {
    if (httpStatusOf(error) === 422 && /reference already exists/i.test(githubMessageOf(error)))
      return 'exists';
    throw toGitHubApiError(error, { method: 'POST', path: repoPath(owner, repo, 'git', 'refs') });
  }
}

/** Point `branch` at `sha` even when that is not a fast-forward (drops the branch's own commits). */
export async function resetBranch(location: BranchLocation, sha: string): Promise<void> {
  const { octokit, owner, repo, branch } = location;
  try {
    await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha, force: true });
  } catch (error) {
    throw toGitHubApiError(error, {
      method: 'PATCH',
      path: repoPath(owner, repo, 'git', 'refs', 'heads', branch),
    });
  }
}
