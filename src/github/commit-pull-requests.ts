/**
 * Which pull request a pushed commit came from (GET /repos/{owner}/{repo}/commits/{sha}/pulls), so that a merge can
 * honour the labels the PR carried (e.g. one that accepts a regression into the baseline).
 */
import { repoPath, toGitHubApiError } from './errors.js';
import type { GitHubClient } from './octokit.js';

/** A pull request associated with a commit, reduced to what the gate needs. */
export interface AssociatedPullRequest {
  readonly number: number;
  readonly title: string;
  readonly url: string;
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
  /** The merge (or squash / rebase result) commit, when merged. */
  readonly mergeCommitSha: string | undefined;
  readonly baseRef: string;
  readonly headRef: string;
  readonly headSha: string;
  readonly labels: readonly string[];
}

/**
 * Every pull request GitHub associates with `sha`: for a commit on the default branch, the PR that merged it; for a
 * commit still on a branch, the open PRs that contain it. Needs `pull-requests: read` (the default GITHUB_TOKEN has it).
 */
export async function pullRequestsForCommit(args: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  sha: string;
}): Promise<AssociatedPullRequest[]> {
  const { octokit, owner, repo, sha } = args;
  try {
    const pulls = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
      owner,
      repo,
      commit_sha: sha,
      per_page: 100,
    });
    return pulls.map((pull) => ({
      number: pull.number,
      title: pull.title,
      url: pull.html_url,
      state: pull.state === 'open' ? 'open' : 'closed',
      merged: pull.merged_at !== null && pull.merged_at !== undefined,
      mergeCommitSha: pull.merge_commit_sha ?? undefined,
      baseRef: pull.base.ref,
      headRef: pull.head.ref,
      headSha: pull.head.sha,
      labels: pull.labels.map((label) => label.name),
    }));
  } catch (error) {
    throw toGitHubApiError(error, { method: 'GET', path: repoPath(owner, repo, 'commits', sha, 'pulls') });
  }
}

/**
 * The pull request whose merge produced `sha` on `branch`: a merged PR into `branch` whose merge commit is `sha`, else
 * the only merged PR into `branch` (a rebase merge leaves several commits, the last of which is pushed). Undefined for
 * a direct push.
 */
export function mergedPullRequest(
  pulls: readonly AssociatedPullRequest[],
  target: { sha: string; branch: string },
): AssociatedPullRequest | undefined {
  const merged = pulls.filter((pull) => pull.merged && pull.baseRef === target.branch);
  return (
    merged.find((pull) => pull.mergeCommitSha === target.sha) ?? (merged.length === 1 ? merged[0] : undefined)
  );
}
