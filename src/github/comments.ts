/**
 * The one sticky pull request comment: found by its hidden marker and edited in place, created only when no comment
 * carries the marker. A token that may not comment (fork pull requests get a read-only GITHUB_TOKEN; a workflow
 * without `pull-requests: write`) makes this a no-op with a reason rather than a failure of the gate.
 */
import { fitCommentBody, isHtmlCommentMarker } from './comment-body.js';
import { githubMessageOf, httpStatusOf, repoPath, toGitHubApiError } from './errors.js';
import type { RequestDescription } from './errors.js';
import type { GitHubClient } from './octokit.js';

/** What {@link upsertStickyComment} needs. */
export interface StickyCommentRequest {
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  /** The pull request (or issue) number. */
  readonly issueNumber: number;
  /** From `stickyMarker(id)`: a hidden HTML comment; it is put first in the body. */
  readonly marker: string;
  readonly body: string;
  /** Said at the end of a truncated body; should point at the full report (job summary, artifact). */
  readonly truncationNote?: string;
  /** When false, an existing sticky comment is updated but none is created (comment: on-change). Default true. */
  readonly createIfMissing?: boolean;
}

/** What happened to the comment. */
export type StickyCommentResult =
  | {
      readonly action: 'created' | 'updated';
      readonly commentId: number;
      /** The comment's page. */
      readonly url: string;
      /** The body was cut to GitHub's limit. */
      readonly truncated: boolean;
    }
  | {
      readonly action: 'skipped';
      /** Why, naming the missing permission: fit for a warning annotation. */
      readonly reason: string;
    }
  | {
      /** No sticky comment existed and createIfMissing was false. */
      readonly action: 'none';
    };

/**
 * Create or update the sticky comment. Comments are listed 100 a page, oldest first, and the walk stops at the first
 * page holding the marker; the first comment carrying it is edited. 403 and 404 answers give `skipped`; any other
 * failure throws a {@link GitHubApiError} naming the request.
 */
export async function upsertStickyComment(request: StickyCommentRequest): Promise<StickyCommentResult> {
  const { octokit, owner, repo, issueNumber, marker } = request;
  if (!isHtmlCommentMarker(marker)) {
    throw new Error(
      `sticky comment marker must be a one-line HTML comment such as "<!-- name -->", got "${marker}"`,
    );
  }
  const fitted = fitCommentBody(
    request.body,
    marker,
    request.truncationNote === undefined ? {} : { note: request.truncationNote },
  );

  const list: RequestDescription = {
    method: 'GET',
    path: repoPath(owner, repo, 'issues', String(issueNumber), 'comments'),
  };
  let existing: { id: number } | undefined;
  try {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    for await (const page of pages) {
      existing = page.data.find((comment) => comment.body?.includes(marker) === true);
      if (existing !== undefined) break;
    }
  } catch (error) {
    return skipOrThrow(error, list);
  }

  if (existing !== undefined) {
    const update: RequestDescription = {
      method: 'PATCH',
      path: repoPath(owner, repo, 'issues', 'comments', String(existing.id)),
    };
    try {
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing.id,
        body: fitted.body,
      });
      return { action: 'updated', commentId: data.id, url: data.html_url, truncated: fitted.truncated };
    } catch (error) {
      return skipOrThrow(error, update);
    }
  }

  if (request.createIfMissing === false) return { action: 'none' };
  const create: RequestDescription = { method: 'POST', path: list.path };
  try {
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body: fitted.body,
    });
    return { action: 'created', commentId: data.id, url: data.html_url, truncated: fitted.truncated };
  } catch (error) {
    return skipOrThrow(error, create);
  }
}

function skipOrThrow(error: unknown, request: RequestDescription): StickyCommentResult {
  const status = httpStatusOf(error);
  if (status === 403 || status === 404) {
    return {
      action: 'skipped',
      reason:
        `the pull request comment was not written: GitHub answered ${status} (${githubMessageOf(error)}) to ` +
        `${request.method} ${request.path}. The token needs the \`pull-requests: write\` permission ` +
        '(add `permissions: { pull-requests: write }` to the job); pull requests from forks always get a read-only ' +
        'GITHUB_TOKEN, so there the report is only in the job summary.',
    };
  }
  throw toGitHubApiError(error, request);
}
