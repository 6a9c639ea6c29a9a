/**
 * Reading Octokit failures without trusting their shape, and turning them into errors that name the request
 * (method, path, status, GitHub's own message) and never a token.
 *
 * Octokit's `RequestError` carries `status`, `request` (headers with the authorization value already redacted) and
 * `response.data` (GitHub's JSON: `message`, sometimes `errors[]`). It is read here by duck typing, because
 * `@octokit/request-error` is not one of this package's own dependencies.
 */

/** The parts of an Octokit `RequestError` this module reads. */
interface RequestErrorShape {
  readonly status?: unknown;
  readonly message?: unknown;
  readonly response?: { readonly data?: unknown };
}

/** The HTTP status of a failed Octokit request, or undefined when the error did not come from a response. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, response } = error as RequestErrorShape;
  // Octokit reports network failures (no response at all) as status 500 without a response object.
  if (response === undefined) return undefined;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

/**
 * GitHub's own words for a failure: `message` from the JSON body, followed by the messages of its `errors[]`
 * (validation failures put the useful part there). Falls back to the error's message.
 */
export function githubMessageOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { response, message } = error as RequestErrorShape;
  const data = response?.data;
  if (typeof data === 'object' && data !== null) {
    const body = data as { message?: unknown; errors?: unknown };
    const parts: string[] = [];
    if (typeof body.message === 'string') parts.push(body.message.trim());
    if (Array.isArray(body.errors)) {
      for (const item of body.errors) {
        if (typeof item === 'string') parts.push(item);
        else if (
          typeof item === 'object' &&
          item !== null &&
          typeof (item as { message?: unknown }).message === 'string'
        ) {
          parts.push((item as { message: string }).message);
        }
      }
    }
    if (parts.length > 0) return parts.join(': ').replace(/\s*\n+\s*/g, ' ');
  }
  if (typeof data === 'string' && data.trim() !== '') return data.trim();
  return typeof message === 'string' ? message : 'unknown error';
}

/** One REST call, as it appears in messages: `PUT /repos/o/r/contents/perf/baseline.json`. */
export interface RequestDescription {
  readonly method: string;
  readonly path: string;
}

/** A GitHub REST call that failed: what was asked, what GitHub answered. Carries no request headers. */
export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError';
  readonly method: string;
  readonly path: string;
  /** HTTP status, or undefined when no response came back (network failure). */
  readonly status: number | undefined;
  /** GitHub's message, e.g. "Resource not accessible by integration". */
  readonly githubMessage: string;

  constructor(request: RequestDescription, status: number | undefined, githubMessage: string, hint?: string) {
    const answer =
      status === undefined ? `failed: ${githubMessage}` : `failed with ${status}: ${githubMessage}`;
    super(`GitHub API ${request.method} ${request.path} ${answer}${hint === undefined ? '' : `. ${hint}`}`);
    this.method = request.method;
    this.path = request.path;
    this.status = status;
    this.githubMessage = githubMessage;
  }
}

/** Wrap any failure of `request` in a {@link GitHubApiError}; an optional hint says what to do about it. */
export function toGitHubApiError(error: unknown, request: RequestDescription, hint?: string): GitHubApiError {
  if (error instanceof GitHubApiError) return error;
  return new GitHubApiError(request, httpStatusOf(error), githubMessageOf(error), hint);
}

/** The path shown in messages for a repository route: `/repos/{owner}/{repo}/...rest`. */
export function repoPath(owner: string, repo: string, ...rest: string[]): string {
  return ['/repos', owner, repo, ...rest].join('/');
}
