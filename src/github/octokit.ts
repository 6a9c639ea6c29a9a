/**
 * The one place that builds an Octokit: `@actions/github`'s `getOctokit`, which brings the REST methods
 * (`octokit.rest.*`), pagination (`octokit.paginate`) and the runner's proxy settings.
 *
 * `getOctokit` reads the API base URL from GITHUB_API_URL when `@actions/github` is first imported (GitHub Enterprise
 * Server sets it to `https://HOST/api/v3`); `apiUrl` overrides it per client, which is how tests point a client at the
 * loopback fake. The proxy-aware fetch that `@actions/github` installs is built for the import-time URL: in a workflow
 * that is GITHUB_API_URL itself, so production traffic keeps the runner's proxy behaviour.
 */
import { getOctokit } from '@actions/github';

import { TOOL_VERSION } from '../version.js';

/** The Octokit that `@actions/github` builds. Every function in src/github takes one of these. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** What a client needs. */
export interface GitHubClientOptions {
  /** A GITHUB_TOKEN, a GitHub App installation token or a personal access token. Never logged. */
  readonly token: string;
  /** REST API base URL. Default: GITHUB_API_URL, else https://api.github.com. */
  readonly apiUrl?: string;
}

/** Build an authenticated client. Throws when the token is empty (a missing `github-token` input or secret). */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  if (options.token.trim() === '') {
    throw new Error('GitHub token is empty: pass a token with the permissions the chosen features need');
  }
  const baseUrl = options.apiUrl?.replace(/\/+$/, '');
  return getOctokit(options.token, {
    userAgent: `llm-perf-gate/${TOOL_VERSION}`,
    ...(baseUrl === undefined ? {} : { baseUrl }),
  });
}
