/**
 * One open pull request from a bot branch into a base branch: found and updated when it exists, opened otherwise.
 */
import { githubMessageOf, httpStatusOf, repoPath, toGitHubApiError } from './errors.js';
import type { GitHubClient } from './octokit.js';

/** The pull request the bot keeps open. */
export interface BotPullRequest {
  readonly number: number;
  readonly url: string;
  /** False when an open one already existed and was updated. */
  readonly created: boolean;
}

/** Where the pull request goes. */
export interface BotPullRequestTarget {
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  /** The bot branch (in this repository). */
  readonly head: string;
  readonly base: string;
}

const CREATE_HINT =
  'Opening the pull request needs `pull-requests: write` and, for the GITHUB_TOKEN, the repository setting ' +
  '"Allow GitHub Actions to create and approve pull requests" (Settings → Actions → General)';

/** The open pull request from `head` into `base`, if there is one. */
export async function findOpenPullRequest(
  target: BotPullRequestTarget,
): Promise<Omit<BotPullRequest, 'created'> | undefined> {
  const { octokit, owner, repo, head, base } = target;
  try {
    const { data } = await octokit.rest.pulls.list({
      owner,
      repo,
      state: 'open',
      head: `${owner}:${head}`,
      base,
      per_page: 10,
    });
    const pull = data[0];
    return pull === undefined ? undefined : { number: pull.number, url: pull.html_url };
  } catch (error) {
    throw toGitHubApiError(error, {
      method: 'GET',
      path: `${repoPath(owner, repo, 'pulls')}?head=${owner}:${head}`,
    });
  }
}

/** Update the open pull request from `head` into `base` (title, body), or open one. */
export async function upsertPullRequest(
  target: BotPullRequestTarget,
  content: { title: string; body: string },
): Promise<BotPullRequest> {
  const existing = await findOpenPullRequest(target);
  if (existing !== undefined) return updatePullRequest(target, existing.number, content);
  const { octokit, owner, repo, head, base } = target;
  try {
    const { data } = await octokit.rest.pulls.create({ owner, repo, head, base, ...content });
    return { number: data.number, url: data.html_url, created: true };
  } catch (error) {
    // Another run opened it between the lookup and here.
    if (httpStatusOf(error) === 422 && /already exists/i.test(githubMessageOf(error))) {
      const raced = await findOpenPullRequest(target);
      if (raced !== undefined) return updatePullRequest(target, raced.number, content);
    }
    throw toGitHubApiError(error, { method: 'POST', path: repoPath(owner, repo, 'pulls') }, CREATE_HINT);
  }
}

async function updatePullRequest(
  target: BotPullRequestTarget,
  number: number,
  content: { title: string; body: string },
): Promise<BotPullRequest> {
  const { octokit, owner, repo } = target;
  try {
    const { data } = await octokit.rest.pulls.update({ owner, repo, pull_number: number, ...content });
    return { number: data.number, url: data.html_url, created: false };
  } catch (error) {
    throw toGitHubApiError(
      error,
      { method: 'PATCH', path: repoPath(owner, repo, 'pulls', String(number)) },
      CREATE_HINT,
    );
  }
}
