/**
 * The GitHub edge: run context, sticky pull request comment, reading files at a ref, and writing the baseline back.
 * Nothing here computes a metric or decides a verdict.
 */
export { createGitHubClient } from './octokit.js';
export type { GitHubClient, GitHubClientOptions } from './octokit.js';
export { loadRunContext, runContextFromPayload, RunContextError } from './context.js';
export type { Env, OtherRunContext, PullRequestRunContext, PushRunContext, RunContext } from './context.js';
export { mergedPullRequest, pullRequestsForCommit } from './commit-pull-requests.js';
export type { AssociatedPullRequest } from './commit-pull-requests.js';
export { MAX_COMMENT_LENGTH, fitCommentBody, stickyMarker } from './comment-body.js';
export { upsertStickyComment } from './comments.js';
export type { StickyCommentRequest, StickyCommentResult } from './comments.js';
export { normalizeRepoPath, readRepoFile } from './files.js';
export type { RepoFile, RepoFileLocation } from './files.js';
export {
  DEFAULT_BOT_BRANCH,
  DEFAULT_MAX_ATTEMPTS,
  RepoWriteError,
  parseUpdateStrategy,
  updateRepoFile,
} from './baseline-store.js';
export type {
  RepoFileUpdate,
  RepoWriteFailure,
  UpdateRepoFileRequest,
  UpdateStrategy,
} from './baseline-store.js';
export { GitHubApiError } from './errors.js';
