/**
 * Writing the baseline file back to the repository through the contents API, with compare-and-swap: every write names
 * the blob sha it replaces, and when another writer got there first (409, or 422 about the sha) the file is read
 * again, `mutate` is applied to the fresh text and the write is retried after a jittered exponential backoff. Two
 * merges landing together therefore both keep their run.
 *
 * Three strategies, because protected default branches refuse the workflow token:
 * - `commit`: commit straight to `branch`.
 * - `branch`: commit to a dedicated branch, created from `branch`'s head when missing.
 * - `pull-request`: commit to a bot branch and keep one pull request from it into `branch` open. With no open pull
 *   request the bot branch is first reset to `branch`'s head (a closed, unmerged PR's runs are dropped); while one is
 *   open, runs accumulate on its branch.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { backoffDelay } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import { findOpenPullRequest, upsertPullRequest } from './bot-pull-request.js';
import type { BotPullRequest } from './bot-pull-request.js';
import { GitHubApiError, githubMessageOf, httpStatusOf, repoPath, toGitHubApiError } from './errors.js';
import { normalizeRepoPath, readRepoFile } from './files.js';
import { branchHead, createBranch, resetBranch } from './git-refs.js';
import type { GitHubClient } from './octokit.js';

/** Where the new baseline goes. */
export type UpdateStrategy =
  | { readonly kind: 'commit' }
  | { readonly kind: 'branch'; readonly name: string }
  | {
      readonly kind: 'pull-request';
      /** The bot branch. Default {@link DEFAULT_BOT_BRANCH}. */
      readonly branch?: string;
      /** Default: the commit message's first line. */
      readonly title?: string;
      /** Default: a short explanation naming the file. */
      readonly body?: string;
    };

/** The bot branch of the `pull-request` strategy when none is named. */
export const DEFAULT_BOT_BRANCH = 'llm-perf-gate/baseline';

/** Attempts {@link updateRepoFile} makes before giving up on conflicts. */
export const DEFAULT_MAX_ATTEMPTS = 6;

/** What {@link updateRepoFile} needs. */
export interface UpdateRepoFileRequest {
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  readonly path: string;
  /** `commit`: the branch committed to; `branch`: where a missing dedicated branch starts; `pull-request`: the base. */
  readonly branch: string;
  /** Commit message. */
  readonly message: string;
  /** New text from the current one (undefined when the file does not exist yet). Pure: it may run several times. */
  readonly mutate: (current: string | undefined) => string;
  readonly strategy: UpdateStrategy;
  /** Write attempts before giving up on conflicts. Default {@link DEFAULT_MAX_ATTEMPTS}. */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffOptions;
}

/** What {@link updateRepoFile} did. */
export interface RepoFileUpdate {
  /** False when `mutate` returned the file's current text: nothing was committed. */
  readonly changed: boolean;
  /** The new commit, when `changed`. */
  readonly commitSha: string | undefined;
  /** Write attempts made: 1 when no other writer interfered. */
  readonly attempts: number;
  /** The branch the file was written to. */
  readonly branch: string;
  /** The pull request's page for the `pull-request` strategy, else the commit's page; undefined when nothing changed. */
  readonly url: string | undefined;
  /** The `pull-request` strategy's pull request, when one is open. */
  readonly pullRequest?: BotPullRequest;
}

/** Why a write was refused, for callers that react differently (e.g. suggest another strategy). */
export type RepoWriteFailure = 'forbidden' | 'protected-branch' | 'conflict';

/** A write GitHub refused; the message says what to change (permission or strategy). Never contains a token. */
export class RepoWriteError extends Error {
  override readonly name = 'RepoWriteError';
  readonly reason: RepoWriteFailure;
  readonly status: number | undefined;

  constructor(reason: RepoWriteFailure, status: number | undefined, message: string) {
    super(message);
    this.reason = reason;
    this.status = status;
  }
}

/** Read-modify-write `path` with the chosen strategy. */
export async function updateRepoFile(request: UpdateRepoFileRequest): Promise<RepoFileUpdate> {
  const { strategy } = request;
  const path = normalizeRepoPath(request.path);
  const maxAttempts = request.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  const write = { ...request, path, maxAttempts };

  if (strategy.kind === 'commit') {
    const result = await commitWithRetry(write, request.branch);
    return outcome(result, request.branch, result.commitUrl);
  }

  if (strategy.kind === 'branch') {
    assertBranchName(strategy.name, 'update-strategy branch');
    await ensureBranch(write, strategy.name);
    const result = await commitWithRetry(write, strategy.name);
    return outcome(result, strategy.name, result.commitUrl);
  }

  const botBranch = strategy.branch ?? DEFAULT_BOT_BRANCH;
  assertBranchName(botBranch, 'update-strategy pull-request branch');
  if (botBranch === request.branch) {
    throw new Error(
      `the pull-request strategy's branch must differ from the base branch "${request.branch}"`,
    );
  }
  const target = {
    octokit: request.octokit,
    owner: request.owner,
    repo: request.repo,
    head: botBranch,
    base: request.branch,
  };
  const open = await findOpenPullRequest(target);
  await prepareBotBranch(write, botBranch, open === undefined);
  const result = await commitWithRetry(write, botBranch);
  if (!result.changed) {
    return outcome(
      result,
      botBranch,
      open?.url,
      open === undefined ? undefined : { ...open, created: false },
    );
  }
  const pullRequest = await upsertPullRequest(target, {
    title: strategy.title ?? request.message.split('\n')[0] ?? request.message,
    body:
      strategy.body ??
      `Updates \`${path}\` with performance runs merged into \`${request.branch}\`. Opened by llm-perf-gate; ` +
        'merging it accepts these runs into the baseline. Later runs are added to this pull request while it is open.',
  });
  return outcome(result, botBranch, pullRequest.url, pullRequest);
}

function outcome(
  result: CommitResult,
  branch: string,
  url: string | undefined,
  pullRequest?: BotPullRequest,
): RepoFileUpdate {
  const { changed, commitSha, attempts } = result;
  return { changed, commitSha, attempts, branch, url, ...(pullRequest === undefined ? {} : { pullRequest }) };
}

/**
 * Parse the `update-strategy` input: `commit`, `pull-request`, `pull-request:BRANCH` or `branch:NAME`.
 */
export function parseUpdateStrategy(text: string): UpdateStrategy {
  const value = text.trim();
  if (value === 'commit') return { kind: 'commit' };
  if (value === 'pull-request') return { kind: 'pull-request' };
  if (value.startsWith('pull-request:') && value.length > 'pull-request:'.length) {
    return { kind: 'pull-request', branch: value.slice('pull-request:'.length) };
  }
  if (value.startsWith('branch:') && value.length > 'branch:'.length) {
    return { kind: 'branch', name: value.slice('branch:'.length) };
  }
  throw new Error(
    `update-strategy must be "commit", "pull-request", "pull-request:BRANCH" or "branch:NAME", got "${text}"`,
  );
}

interface WriteRequest extends UpdateRepoFileRequest {
  readonly maxAttempts: number;
}

interface CommitResult {
  readonly changed: boolean;
  readonly commitSha: string | undefined;
  readonly commitUrl: string | undefined;
  readonly attempts: number;
}

/** The compare-and-swap loop on one branch. */
async function commitWithRetry(request: WriteRequest, branch: string): Promise<CommitResult> {
  const { octokit, owner, repo, path, message, mutate, maxAttempts } = request;
  const put = { method: 'PUT', path: repoPath(owner, repo, 'contents', path) };
  for (let attempt = 1; ; attempt += 1) {
    const current = await readRepoFile({ octokit, owner, repo, path, ref: branch });
    const next = mutate(current?.text);
    if (current !== undefined && next === current.text) {
      return { changed: false, commitSha: undefined, commitUrl: undefined, attempts: attempt };
    }
    try {
      const { data } = await octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path,
        branch,
        message,
        content: Buffer.from(next, 'utf8').toString('base64'),
        ...(current === undefined ? {} : { sha: current.sha }),
      });
      return {
        changed: true,
        commitSha: data.commit.sha,
        commitUrl: data.commit.html_url,
        attempts: attempt,
      };
    } catch (error) {
      const failure = classifyWriteFailure(error);
      const { status, message: githubMessage } = answerOf(error);
      const answer = `${status ?? 'no response'} ${githubMessage}`;
      if (failure === 'conflict') {
        if (attempt < maxAttempts) {
          await sleep(backoffDelay(attempt, request.backoff));
          continue;
        }
        throw new RepoWriteError(
          'conflict',
          status,
          `gave up writing ${path} on branch ${branch} after ${attempt} attempts: another writer changed it every time ` +
            `(last answer to PUT ${put.path}: ${answer}). Runs that update the baseline should share a workflow ` +
            '`concurrency` group.',
        );
      }
      if (failure === 'forbidden' || failure === 'protected-branch') {
        throw new RepoWriteError(
          failure,
          status,
          refusalMessage(failure, request.strategy, branch, `PUT ${put.path}`, answer),
        );
      }
      throw toGitHubApiError(error, put, `Target branch: ${branch}`);
    }
  }
}

/** The dedicated branch of the `branch` strategy: created from the source branch's head when missing. */
async function ensureBranch(request: WriteRequest, name: string): Promise<void> {
  const { octokit, owner, repo } = request;
  if ((await branchHead({ octokit, owner, repo, branch: name })) !== undefined) return;
  const from = await requireBranchHead(request, request.branch);
  await guardRefWrite(request, name, () => createBranch({ octokit, owner, repo, branch: name }, from));
}

/** The bot branch: created when missing; reset to the base head when no pull request from it is open. */
async function prepareBotBranch(request: WriteRequest, botBranch: string, reset: boolean): Promise<void> {
  const { octokit, owner, repo } = request;
  const base = await requireBranchHead(request, request.branch);
  const location = { octokit, owner, repo, branch: botBranch };
  const head = await branchHead(location);
  if (head === undefined) {
    await guardRefWrite(request, botBranch, () => createBranch(location, base));
  } else if (reset && head !== base) {
    await guardRefWrite(request, botBranch, () => resetBranch(location, base));
  }
}

async function requireBranchHead(request: WriteRequest, branch: string): Promise<string> {
  const { octokit, owner, repo } = request;
  const head = await branchHead({ octokit, owner, repo, branch });
  if (head === undefined) {
    throw new Error(
      `branch "${branch}" does not exist in ${owner}/${repo} (GET ${repoPath(owner, repo, 'git', 'ref', 'heads', branch)})`,
    );
  }
  return head;
}

/** Turn a refused ref write into the same advice a refused commit gets. */
async function guardRefWrite<T>(request: WriteRequest, branch: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const failure = classifyWriteFailure(error);
    if (failure !== 'forbidden' && failure !== 'protected-branch') throw error;
    const { status, message } = answerOf(error);
    const what =
      error instanceof GitHubApiError ? `${error.method} ${error.path}` : `the write of ref heads/${branch}`;
    throw new RepoWriteError(
      failure,
      status,
      refusalMessage(failure, request.strategy, branch, what, `${status ?? 'no response'} ${message}`),
    );
  }
}

/** Status and GitHub's message, from an Octokit error or an already wrapped one. */
function answerOf(error: unknown): { status: number | undefined; message: string } {
  if (error instanceof GitHubApiError) return { status: error.status, message: error.githubMessage };
  return { status: httpStatusOf(error), message: githubMessageOf(error) };
}

const PROTECTED =
  /protected branch|rule violation|through a pull request|required status check|not authorized to push/i;
const SHA_CONFLICT = /does not match|wasn't supplied|is at [0-9a-f]+ but expected|expected to be at/i;

/** Sort a failed write into what the caller can act on. */
function classifyWriteFailure(error: unknown): RepoWriteFailure | 'other' {
  const { status, message } = answerOf(error);
  if ((status === 403 || status === 409 || status === 422) && PROTECTED.test(message))
    return 'protected-branch';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 422 && SHA_CONFLICT.test(message)) return 'conflict';
  return 'other';
}

function refusalMessage(
  failure: 'forbidden' | 'protected-branch',
  strategy: UpdateStrategy,
  branch: string,
  request: string,
  answer: string,
): string {
  const alternatives =
    strategy.kind === 'commit'
      ? 'set `update-strategy: pull-request` (the update arrives as a pull request) or `update-strategy: branch:NAME` ' +
        '(the baseline lives on a branch of its own)'
      : `choose a branch name that no branch protection rule or ruleset covers`;
  if (failure === 'protected-branch') {
    return `branch ${branch} is protected: GitHub refused ${request} (${answer}). The workflow token cannot write to it; ${alternatives}.`;
  }
  return (
    `GitHub refused ${request} (${answer}): the token needs the \`contents: write\` permission ` +
    `(add \`permissions: { contents: write }\` to the job). If ${branch} is protected, ${alternatives}.`
  );
}

function assertBranchName(name: string, what: string): void {
  // git check-ref-format, the parts that matter for a name typed into an input.
  const invalid = /(^[/.-])|([/.]$)|\.\.|\/\/|@\{|[\s~^:?*[\\\p{Cc}]|\.lock(\/|$)|^@$/u;
  if (name === '' || invalid.test(name)) throw new Error(`${what} "${name}" is not a valid git branch name`);
}
