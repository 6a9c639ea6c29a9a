/**
 * A fake GitHub REST API on 127.0.0.1 for tests of src/github: one in-memory repository (branches → commits → files,
 * blobs addressed by their real git blob sha1), issues and pull requests with comments, and commit → pull request
 * associations. It serves only the routes llm-perf-gate calls, with GitHub's status codes and message shapes:
 *
 * - GET/POST /repos/{o}/{r}/issues/{n}/comments (per_page, page, Link rel="next"/"last"), PATCH …/issues/comments/{id}
 * - GET/PUT /repos/{o}/{r}/contents/{path}?ref= (PUT: 422 "sha" wasn't supplied / 409 "{path} does not match {sha}")
 * - GET /repos/{o}/{r}/git/ref/heads/{b}, POST /repos/{o}/{r}/git/refs, PATCH /repos/{o}/{r}/git/refs/heads/{b}
 * - GET /repos/{o}/{r}/git/blobs/{sha}
 * - GET/POST /repos/{o}/{r}/pulls, PATCH /repos/{o}/{r}/pulls/{n}, GET /repos/{o}/{r}/commits/{sha}/pulls
 *
 * Tokens carry permissions (a read-only token gets 403 "Resource not accessible by integration" on writes); branches
 * can be protected. Every request is recorded without its authorization header, and a hook can run before each one
 * (to hold requests at a barrier or slip in a conflicting write).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a token may do. Reads are always allowed. */
export interface TokenPermissions {
  readonly contents: 'read' | 'write';
  readonly pullRequests: 'read' | 'write';
  readonly issues: 'read' | 'write';
}

/** A token with `contents`, `pull-requests` and `issues` write. */
export const WRITE_ALL: TokenPermissions = { contents: 'write', pullRequests: 'write', issues: 'write' };
/** What a fork's pull request gets: read-only everything. */
export const READ_ONLY: TokenPermissions = { contents: 'read', pullRequests: 'read', issues: 'read' };

/** How a protected branch answers a write. Default: a ruleset requiring pull requests (409). */
export interface ProtectionAnswer {
  readonly status: number;
  readonly message: string;
}

const RULESET_ANSWER: ProtectionAnswer = {
  status: 409,
  message: 'Repository rule violations found\n\nChanges must be made through a pull request.\n\n',
};

/** Server set-up. */
export interface FakeGitHubOptions {
  readonly owner?: string;
  readonly repo?: string;
  readonly defaultBranch?: string;
  /** Files on the default branch's first commit. */
  readonly files?: Readonly<Record<string, string>>;
  /** Accepted tokens. Default: {@link DEFAULT_TOKEN} with {@link WRITE_ALL}. */
  readonly tokens?: Readonly<Record<string, TokenPermissions>>;
  /** Author of comments made through the API. Default github-actions[bot]. */
  readonly login?: string;
  /** Files bigger than this come back from the contents API without content (GitHub: 1 MB). */
  readonly largeFileThreshold?: number;
  /** The "Allow GitHub Actions to create and approve pull requests" setting. Default true. */
  readonly actionsCanCreatePullRequests?: boolean;
}

/** The token a default server accepts. */
export const DEFAULT_TOKEN = 'ghs_fakeInstallationToken0123456789';

/** One request as the server saw it (no authorization header). */
export interface RecordedRequest {
  readonly method: string;
  /** Decoded path, e.g. /repos/acme/app/contents/perf/baseline.json */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The status answered (0 until answered). */
  status: number;
}

/** Runs before a request is handled; may wait. */
export type RequestHook = (request: RecordedRequest) => void | Promise<void>;

/** A comment on an issue or pull request. */
export interface FakeComment {
  readonly id: number;
  readonly issueNumber: number;
  body: string;
  readonly author: { readonly login: string; readonly type: 'User' | 'Bot' };
  readonly createdAt: string;
  updatedAt: string;
}

/** A pull request. */
export interface FakePull {
  readonly number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  readonly headRef: string;
  headSha: string;
  readonly headRepoFullName: string;
  readonly baseRef: string;
  readonly labels: string[];
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

/** Fields for {@link FakeGitHub.addPullRequest}. */
export interface PullInit {
  readonly number?: number;
  readonly title?: string;
  readonly body?: string;
  readonly headRef: string;
  readonly headSha?: string;
  readonly headRepoFullName?: string;
  readonly baseRef?: string;
  readonly labels?: readonly string[];
  readonly state?: 'open' | 'closed';
  /** Marks the pull request merged by this commit. */
  readonly mergeCommitSha?: string;
}

interface Commit {
  readonly sha: string;
  readonly parent: string | undefined;
  readonly message: string;
  readonly files: ReadonlyMap<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: readonly unknown[],
  ) {
    super(message);
  }
}

/** Git's blob id: sha1("blob <size>\0" + bytes). */
export function gitBlobSha(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The running fake: its URL, state accessors and test hooks. */
export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  /** Every request so far, in arrival order. */
  readonly requests: RecordedRequest[] = [];

  private readonly server = createServer((req, res) => void this.serve(req, res));
  private origin = '';
  private readonly tokens = new Map<string, TokenPermissions>();
  private readonly login: string;
  private readonly largeFileThreshold: number;
  private actionsCanCreatePullRequests: boolean;
  private hook: RequestHook | undefined;

  private readonly blobs = new Map<string, Buffer>();
  private readonly commits = new Map<string, Commit>();
  private readonly branches = new Map<string, string>();
  private readonly protectedBranches = new Map<string, ProtectionAnswer>();
  private readonly issues = new Set<number>();
  private readonly pullsByNumber = new Map<number, FakePull>();
  private readonly commentList: FakeComment[] = [];
  private nextIssueNumber = 1;
  private nextCommentId = 1_000_001;
  private commitCounter = 0;
  private clock = Date.parse('2026-03-01T00:00:00Z');

  private constructor(options: FakeGitHubOptions) {
    this.owner = options.owner ?? 'acme-ai';
    this.repo = options.repo ?? 'llm-serve';
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.login = options.login ?? 'github-actions[bot]';
    this.largeFileThreshold = options.largeFileThreshold ?? 1024 * 1024;
    this.actionsCanCreatePullRequests = options.actionsCanCreatePullRequests ?? true;
    for (const [token, permissions] of Object.entries(options.tokens ?? { [DEFAULT_TOKEN]: WRITE_ALL })) {
      this.tokens.set(token, permissions);
    }
    const root = this.commit(undefined, new Map(), 'Initial commit');
    this.branches.set(this.defaultBranch, root);
    for (const [path, content] of Object.entries(options.files ?? {})) {
      this.writeFile(this.defaultBranch, path, content, `Add ${path}`);
    }
  }

  /** Start a fake on 127.0.0.1 with an ephemeral port. */
  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    fake.origin = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** API base URL to hand to the client. */
  get url(): string {
    return this.origin;
  }

  /** Stop listening and drop keep-alive connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  /** Run `hook` before every later request (undefined removes it). */
  onRequest(hook: RequestHook | undefined): void {
    this.hook = hook;
  }

  /** Requests matching `method` and a path pattern (a string matches as a substring). */
  count(method?: string, path?: string | RegExp): number {
    return this.requests.filter(
      (request) =>
        (method === undefined || request.method === method) &&
        (path === undefined ||
          (typeof path === 'string' ? request.path.includes(path) : path.test(request.path))),
    ).length;
  }

  setPermissions(token: string, permissions: TokenPermissions): void {
    this.tokens.set(token, permissions);
  }

  setActionsCanCreatePullRequests(allowed: boolean): void {
    this.actionsCanCreatePullRequests = allowed;
  }

  /** Make writes to `branch` fail the way GitHub refuses them (default: a ruleset requiring pull requests). */
  protectBranch(branch: string, answer: ProtectionAnswer = RULESET_ANSWER): void {
    this.protectedBranches.set(branch, answer);
  }

  // ---- repository state ----

  /** The commit a branch points at, or undefined. */
  branchHead(branch: string): string | undefined {
    return this.branches.get(branch);
  }

  /** Branch names. */
  branchNames(): string[] {
    return [...this.branches.keys()];
  }

  /** Create `branch` at the head of `from` (default branch by default). */
  createBranch(branch: string, from = this.defaultBranch): string {
    const head = this.requireBranch(from);
    this.branches.set(branch, head);
    return head;
  }

  /** A file's text at a branch or commit sha, or undefined. */
  readFile(ref: string, path: string): string | undefined {
    const commit = this.resolveRef(ref);
    const blob = commit?.files.get(path);
    return blob === undefined ? undefined : this.blobs.get(blob)?.toString('utf8');
  }

  /** Commit `content` at `path` on `branch` directly (another writer); returns the new commit sha. */
  writeFile(branch: string, path: string, content: string, message = `Update ${path}`): string {
    const head = this.requireBranch(branch);
    const parent = this.commits.get(head);
    const files = new Map(parent?.files);
    files.set(path, this.storeBlob(Buffer.from(content, 'utf8')));
    const sha = this.commit(head, files, message);
    this.branches.set(branch, sha);
    return sha;
  }

  /** Commit messages from `branch`'s head back to the root. */
  history(branch: string): string[] {
    const messages: string[] = [];
    for (let sha = this.branches.get(branch); sha !== undefined; sha = this.commits.get(sha)?.parent) {
      messages.push(this.commits.get(sha)?.message ?? '');
    }
    return messages;
  }

  /** Open an issue (pull requests are issues too); returns its number. */
  addIssue(number = this.nextIssueNumber): number {
    this.issues.add(number);
    this.nextIssueNumber = Math.max(this.nextIssueNumber, number + 1);
    return number;
  }

  /** A pull request, as if opened by someone. */
  addPullRequest(init: PullInit): FakePull {
    const number = this.addIssue(init.number ?? this.nextIssueNumber);
    const pull: FakePull = {
      number,
      title: init.title ?? `Pull request ${number}`,
      body: init.body ?? '',
      state: init.mergeCommitSha !== undefined ? 'closed' : (init.state ?? 'open'),
      headRef: init.headRef,
      headSha: init.headSha ?? this.branches.get(init.headRef) ?? this.fakeSha(`head ${number}`),
      headRepoFullName: init.headRepoFullName ?? `${this.owner}/${this.repo}`,
      baseRef: init.baseRef ?? this.defaultBranch,
      labels: [...(init.labels ?? [])],
      mergedAt: init.mergeCommitSha !== undefined ? this.now() : null,
      mergeCommitSha: init.mergeCommitSha ?? null,
    };
    this.pullsByNumber.set(number, pull);
    return pull;
  }

  pull(number: number): FakePull | undefined {
    return this.pullsByNumber.get(number);
  }

  pulls(): FakePull[] {
    return [...this.pullsByNumber.values()];
  }

  /** A comment written by someone else (another bot, a person). */
  addComment(
    issueNumber: number,
    body: string,
    author: FakeComment['author'] = { login: 'octocat', type: 'User' },
  ): FakeComment {
    if (!this.issues.has(issueNumber)) this.addIssue(issueNumber);
    const created = this.now();
    const comment: FakeComment = {
      id: this.nextCommentId++,
      issueNumber,
      body,
      author,
      createdAt: created,
      updatedAt: created,
    };
    this.commentList.push(comment);
    return comment;
  }

  /** Comments on an issue, oldest first. */
  comments(issueNumber: number): FakeComment[] {
    return this.commentList.filter((comment) => comment.issueNumber === issueNumber);
  }

  // ---- HTTP ----

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.origin);
    const text = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name !== 'authorization' && value !== undefined)
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      headers,
      body: text === '' ? undefined : safeJson(text),
      status: 0,
    };
    this.requests.push(record);
    let status: number;
    let payload: unknown;
    const extraHeaders: Record<string, string> = {};
    try {
      if (this.hook !== undefined) await this.hook(record);
      const permissions = this.authenticate(req.headers.authorization);
      [status, payload] = this.route(record, url, permissions, extraHeaders);
    } catch (error) {
      // A bug in the fake or a throwing hook answers 500 so the test sees it instead of hanging.
      const failure =
        error instanceof HttpError ? error : new HttpError(500, `fake GitHub: ${(error as Error).message}`);
      status = failure.status;
      payload = {
        message: failure.message,
        ...(failure.errors === undefined ? {} : { errors: failure.errors }),
        documentation_url: 'https://docs.github.com/rest',
        status: String(failure.status),
      };
    }
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extraHeaders });
    res.end(JSON.stringify(payload));
  }

  private authenticate(header: string | undefined): TokenPermissions {
    if (header === undefined) throw new HttpError(401, 'Requires authentication');
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
    const permissions = match?.[1] === undefined ? undefined : this.tokens.get(match[1]);
    if (permissions === undefined) throw new HttpError(401, 'Bad credentials');
    return permissions;
  }

  private route(
    request: RecordedRequest,
    url: URL,
    permissions: TokenPermissions,
    headers: Record<string, string>,
  ): [number, unknown] {
    const prefix = `/repos/${this.owner}/${this.repo}/`;
    // Match on the raw path: Octokit encodes "/" inside a {path} or {ref} parameter as %2F.
    const raw = url.pathname;
    if (!raw.startsWith(prefix)) throw new HttpError(404, 'Not Found');
    const route = raw.slice(prefix.length);
    const { method } = request;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const write = (scope: keyof TokenPermissions | 'comments'): void => {
      const allowed =
        scope === 'comments'
          ? permissions.issues === 'write' || permissions.pullRequests === 'write'
          : permissions[scope] === 'write';
      if (!allowed) throw new HttpError(403, 'Resource not accessible by integration');
    };
    let m: RegExpExecArray | null;

    if ((m = /^issues\/(\d+)\/comments$/.exec(route))) {
      const number = Number(m[1]);
      if (!this.issues.has(number)) throw new HttpError(404, 'Not Found');
      if (method === 'GET') {
        return [
          200,
          this.page(
            url,
            this.comments(number).map((c) => this.commentJson(c)),
            headers,
          ),
        ];
      }
      if (method === 'POST') {
        write('comments');
        const comment = this.addComment(number, this.commentBody(body), { login: this.login, type: 'Bot' });
        return [201, this.commentJson(comment)];
      }
    }
    if ((m = /^issues\/comments\/(\d+)$/.exec(route)) && method === 'PATCH') {
      const comment = this.commentList.find((c) => c.id === Number(m?.[1]));
      if (comment === undefined) throw new HttpError(404, 'Not Found');
      write('comments');
      comment.body = this.commentBody(body);
      comment.updatedAt = this.now();
      return [200, this.commentJson(comment)];
    }
    if ((m = /^contents\/(.+)$/.exec(route))) {
      const path = decodeURIComponent(m[1] ?? '');
      if (method === 'GET') return [200, this.getContents(path, url.searchParams.get('ref') ?? undefined)];
      if (method === 'PUT') {
        write('contents');
        return this.putContents(path, body);
      }
    }
    if ((m = /^git\/ref\/(.+)$/.exec(route)) && method === 'GET') {
      const ref = decodeURIComponent(m[1] ?? '');
      const sha = ref.startsWith('heads/') ? this.branches.get(ref.slice('heads/'.length)) : undefined;
      if (sha === undefined) throw new HttpError(404, 'Not Found');
      return [200, this.refJson(`refs/${ref}`, sha)];
    }
    if (route === 'git/refs' && method === 'POST') {
      write('contents');
      return [201, this.createRef(body)];
    }
    if ((m = /^git\/refs\/(.+)$/.exec(route)) && method === 'PATCH') {
      write('contents');
      return [200, this.updateRef(decodeURIComponent(m[1] ?? ''), body)];
    }
    if ((m = /^git\/blobs\/([0-9a-f]{40})$/.exec(route)) && method === 'GET') {
      const bytes = this.blobs.get(m[1] ?? '');
      if (bytes === undefined) throw new HttpError(404, 'Not Found');
      return [
        200,
        {
          sha: m[1],
          size: bytes.length,
          url: `${this.origin}${raw}`,
          content: wrapBase64(bytes),
          encoding: 'base64',
        },
      ];
    }
    if (route === 'pulls' && method === 'GET') {
      return [
        200,
        this.page(
          url,
          this.listPulls(url.searchParams).map((p) => this.pullJson(p)),
          headers,
        ),
      ];
    }
    if (route === 'pulls' && method === 'POST') {
      write('pullRequests');
      if (!this.actionsCanCreatePullRequests) {
        throw new HttpError(403, 'GitHub Actions is not permitted to create or approve pull requests.');
      }
      return [201, this.pullJson(this.createPull(body))];
    }
    if ((m = /^pulls\/(\d+)$/.exec(route)) && method === 'PATCH') {
      write('pullRequests');
      const pull = this.pullsByNumber.get(Number(m[1]));
      if (pull === undefined) throw new HttpError(404, 'Not Found');
      if (typeof body['title'] === 'string') pull.title = body['title'];
      if (typeof body['body'] === 'string') pull.body = body['body'];
      if (body['state'] === 'open' || body['state'] === 'closed') pull.state = body['state'];
      return [200, this.pullJson(pull)];
    }
    if ((m = /^commits\/([^/]+)\/pulls$/.exec(route)) && method === 'GET') {
      const sha = decodeURIComponent(m[1] ?? '');
      const pulls = this.pulls().filter((p) => p.mergeCommitSha === sha || p.headSha === sha);
      if (pulls.length === 0 && !this.commits.has(sha))
        throw new HttpError(422, `No commit found for SHA: ${sha}`);
      return [
        200,
        this.page(
          url,
          pulls.map((p) => this.pullJson(p)),
          headers,
        ),
      ];
    }
    throw new HttpError(404, 'Not Found');
  }

  // ---- contents ----

  private getContents(path: string, ref: string | undefined): unknown {
    const commit = this.resolveRef(ref ?? this.defaultBranch);
    if (commit === undefined) throw new HttpError(404, `No commit found for the ref ${ref ?? ''}`);
    const blob = commit.files.get(path);
    if (blob === undefined) {
      const children = [...commit.files.keys()].filter((file) => file.startsWith(`${path}/`));
      if (children.length === 0) throw new HttpError(404, 'Not Found');
      const names = [...new Set(children.map((file) => file.slice(path.length + 1).split('/')[0] ?? ''))];
      return names.map((name) => ({
        type: commit.files.has(`${path}/${name}`) ? 'file' : 'dir',
        name,
        path: `${path}/${name}`,
      }));
    }
    const bytes = this.blobs.get(blob) ?? Buffer.alloc(0);
    const large = bytes.length > this.largeFileThreshold;
    return {
      ...this.fileMeta(path, blob, bytes.length),
      content: large ? '' : wrapBase64(bytes),
      encoding: large ? 'none' : 'base64',
    };
  }

  private putContents(path: string, body: Record<string, unknown>): [number, unknown] {
    for (const field of ['message', 'content']) {
      if (typeof body[field] !== 'string')
        throw new HttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
    }
    const branch = typeof body['branch'] === 'string' ? body['branch'] : this.defaultBranch;
    const head = this.branches.get(branch);
    if (head === undefined) throw new HttpError(404, `Branch ${branch} not found`);
    const protection = this.protectedBranches.get(branch);
    if (protection !== undefined) throw new HttpError(protection.status, protection.message);
    const existing = this.commits.get(head)?.files.get(path);
    const sha = body['sha'];
    if (existing !== undefined) {
      if (typeof sha !== 'string') throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
      if (sha !== existing) throw new HttpError(409, `${path} does not match ${sha}`);
    }
    const bytes = Buffer.from(body['content'] as string, 'base64');
    const commitSha = this.writeFile(branch, path, bytes.toString('utf8'), body['message'] as string);
    const blob = gitBlobSha(bytes);
    return [
      existing === undefined ? 201 : 200,
      {
        content: this.fileMeta(path, blob, bytes.length),
        commit: {
          sha: commitSha,
          url: `${this.origin}/repos/${this.owner}/${this.repo}/git/commits/${commitSha}`,
          html_url: `https://github.com/${this.owner}/${this.repo}/commit/${commitSha}`,
          message: body['message'],
          parents: [{ sha: head }],
        },
      },
    ];
  }

  private fileMeta(path: string, sha: string, size: number): Record<string, unknown> {
    const api = `${this.origin}/repos/${this.owner}/${this.repo}`;
    return {
      type: 'file',
      name: path.split('/').pop(),
      path,
      sha,
      size,
      url: `${api}/contents/${path}`,
      git_url: `${api}/git/blobs/${sha}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/blob/${this.defaultBranch}/${path}`,
      download_url: `https://raw.githubusercontent.com/${this.owner}/${this.repo}/${this.defaultBranch}/${path}`,
    };
  }

  // ---- refs ----

  private createRef(body: Record<string, unknown>): unknown {
    const ref = body['ref'];
    const sha = body['sha'];
    if (typeof ref !== 'string' || !ref.startsWith('refs/') || ref.split('/').length < 3) {
      throw new HttpError(422, "Reference name must start with 'refs/' and have at least two slashes.");
    }
    if (typeof sha !== 'string' || !this.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
    if (!ref.startsWith('refs/heads/')) throw new HttpError(422, 'Only branches are supported by this fake');
    const branch = ref.slice('refs/heads/'.length);
    if (this.branches.has(branch)) throw new HttpError(422, 'Reference already exists');
    this.branches.set(branch, sha);
    return this.refJson(ref, sha);
  }

  private updateRef(ref: string, body: Record<string, unknown>): unknown {
    const branch = ref.startsWith('heads/') ? ref.slice('heads/'.length) : undefined;
    const current = branch === undefined ? undefined : this.branches.get(branch);
    if (branch === undefined || current === undefined) throw new HttpError(422, 'Reference does not exist');
    const sha = body['sha'];
    if (typeof sha !== 'string' || !this.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
    if (this.protectedBranches.has(branch)) {
      throw new HttpError(422, `Protected branch update failed for refs/heads/${branch}.`);
    }
    if (body['force'] !== true && !this.isAncestor(current, sha))
      throw new HttpError(422, 'Update is not a fast forward');
    this.branches.set(branch, sha);
    return this.refJson(`refs/${ref}`, sha);
  }

  private refJson(ref: string, sha: string): unknown {
    return {
      ref,
      url: `${this.origin}/repos/${this.owner}/${this.repo}/git/${ref}`,
      object: {
        sha,
        type: 'commit',
        url: `${this.origin}/repos/${this.owner}/${this.repo}/git/commits/${sha}`,
      },
    };
  }

  private isAncestor(ancestor: string, sha: string): boolean {
    for (let at: string | undefined = sha; at !== undefined; at = this.commits.get(at)?.parent) {
      if (at === ancestor) return true;
    }
    return false;
  }

  // ---- pulls and comments ----

  private listPulls(query: URLSearchParams): FakePull[] {
    const state = query.get('state') ?? 'open';
    const head = query.get('head');
    const base = query.get('base');
    return this.pulls().filter(
      (pull) =>
        (state === 'all' || pull.state === state) &&
        (head === null || head === `${pull.headRepoFullName.split('/')[0]}:${pull.headRef}`) &&
        (base === null || base === pull.baseRef),
    );
  }

  private createPull(body: Record<string, unknown>): FakePull {
    const headInput = typeof body['head'] === 'string' ? body['head'] : '';
    const headRef = headInput.includes(':') ? headInput.slice(headInput.indexOf(':') + 1) : headInput;
    const baseRef = typeof body['base'] === 'string' ? body['base'] : '';
    const invalid = (field: string): HttpError =>
      new HttpError(422, 'Validation Failed', [{ resource: 'PullRequest', field, code: 'invalid' }]);
    if (!this.branches.has(headRef)) throw invalid('head');
    if (!this.branches.has(baseRef)) throw invalid('base');
    if (this.listPulls(new URLSearchParams({ head: `${this.owner}:${headRef}`, base: baseRef })).length > 0) {
      throw new HttpError(422, 'Validation Failed', [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${this.owner}:${headRef}.`,
        },
      ]);
    }
    if (this.branches.get(headRef) === this.branches.get(baseRef)) {
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'PullRequest', code: 'custom', message: `No commits between ${baseRef} and ${headRef}` },
      ]);
    }
    return this.addPullRequest({
      headRef,
      baseRef,
      title: typeof body['title'] === 'string' ? body['title'] : '',
      body: typeof body['body'] === 'string' ? body['body'] : '',
    });
  }

  private pullJson(pull: FakePull): unknown {
    const [headOwner = this.owner, headName = this.repo] = pull.headRepoFullName.split('/');
    return {
      url: `${this.origin}/repos/${this.owner}/${this.repo}/pulls/${pull.number}`,
      id: 2_000_000_000 + pull.number,
      number: pull.number,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`,
      state: pull.state,
      locked: false,
      title: pull.title,
      body: pull.body,
      user: { login: 'octocat', id: 1, type: 'User' },
      labels: pull.labels.map((name, index) => ({
        id: 7_000 + index,
        name,
        color: 'ededed',
        default: false,
      })),
      draft: false,
      created_at: '2026-03-01T00:00:00Z',
      updated_at: this.now(),
      closed_at: pull.state === 'closed' ? this.now() : null,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeCommitSha,
      head: {
        label: `${headOwner}:${pull.headRef}`,
        ref: pull.headRef,
        sha: pull.headSha,
        repo: { name: headName, full_name: pull.headRepoFullName, owner: { login: headOwner } },
      },
      base: {
        label: `${this.owner}:${pull.baseRef}`,
        ref: pull.baseRef,
        sha: this.branches.get(pull.baseRef) ?? '',
        repo: { name: this.repo, full_name: `${this.owner}/${this.repo}`, owner: { login: this.owner } },
      },
    };
  }

  private commentBody(body: Record<string, unknown>): string {
    const text = body['body'];
    if (typeof text !== 'string') throw new HttpError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
    if (text.length > 65_536) {
      throw new HttpError(422, 'Validation Failed', [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ]);
    }
    return text;
  }

  private commentJson(comment: FakeComment): unknown {
    const kind = this.pullsByNumber.has(comment.issueNumber) ? 'pull' : 'issues';
    return {
      id: comment.id,
      url: `${this.origin}/repos/${this.owner}/${this.repo}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${this.origin}/repos/${this.owner}/${this.repo}/issues/${comment.issueNumber}`,
      body: comment.body,
      user: {
        login: comment.author.login,
        id: comment.author.type === 'Bot' ? 41898282 : 583231,
        type: comment.author.type,
      },
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: comment.author.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
  }

  /** One page of `items` and GitHub's Link header (first/prev/next/last, absolute URLs, other parameters kept). */
  private page<T>(url: URL, items: T[], headers: Record<string, string>): T[] {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? '30') || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (target: number, rel: string): string => {
      const next = new URL(url.toString());
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(target));
      return `<${next.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    if (links.length > 0) headers['link'] = links.join(', ');
    return items.slice((page - 1) * perPage, page * perPage);
  }

  // ---- git objects ----

  private resolveRef(ref: string): Commit | undefined {
    const name = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
    const sha = this.branches.get(name) ?? (this.commits.has(name) ? name : undefined);
    return sha === undefined ? undefined : this.commits.get(sha);
  }

  private requireBranch(branch: string): string {
    const head = this.branches.get(branch);
    if (head === undefined) throw new Error(`fake GitHub: no branch ${branch}`);
    return head;
  }

  private storeBlob(bytes: Buffer): string {
    const sha = gitBlobSha(bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  private commit(parent: string | undefined, files: Map<string, string>, message: string): string {
    const sha = this.fakeSha(
      `commit ${this.commitCounter++} ${parent ?? ''} ${message} ${[...files].join(',')}`,
    );
    this.commits.set(sha, { sha, parent, message, files });
    return sha;
  }

  private fakeSha(seed: string): string {
    return createHash('sha1').update(seed).digest('hex');
  }

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

function wrapBase64(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + (bytes.length > 0 ? '\n' : '');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
