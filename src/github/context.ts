/**
 * What run this is, read from the runner's environment and the event payload file: a typed `RunContext`.
 *
 * This replaces `@actions/github`'s global `context` singleton, which reads `process.env` once at import time and
 * types the payload loosely. Here the environment is a parameter (tests pass a plain object) and the parts of the
 * payload we rely on are checked with zod, so a malformed or unexpected event fails with the field's path.
 *
 * `pull_request` and `pull_request_target` both become `kind: 'pull_request'` (`eventName` tells them apart: on
 * `pull_request_target` GITHUB_SHA is the base branch head, on `pull_request` the test merge commit). A push becomes
 * `kind: 'push'`; everything else (workflow_dispatch, schedule, merge_group...) is `kind: 'other'`.
 */
import { readFile } from 'node:fs/promises';

import { z } from 'zod';

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Fields every kind of run has. */
interface RunContextCommon {
  /** GITHUB_EVENT_NAME, e.g. "pull_request", "pull_request_target", "push", "workflow_dispatch". */
  readonly eventName: string;
  readonly owner: string;
  readonly repo: string;
  /** GITHUB_SERVER_URL, e.g. https://github.com */
  readonly serverUrl: string;
  /** GITHUB_API_URL, e.g. https://api.github.com */
  readonly apiUrl: string;
  /** The workflow run's page (with the attempt when GITHUB_RUN_ATTEMPT > 1); undefined outside a workflow run. */
  readonly runUrl: string | undefined;
}

/** A `pull_request` or `pull_request_target` run. */
export interface PullRequestRunContext extends RunContextCommon {
  readonly kind: 'pull_request';
  /** The event's `action`: opened, synchronize, reopened, labeled... */
  readonly action: string | undefined;
  readonly number: number;
  readonly url: string;
  /** Branch the PR merges into, e.g. "main": the place to read the gate config and the baseline from. */
  readonly baseRef: string;
  readonly baseSha: string;
  readonly headRef: string;
  readonly headSha: string;
  /** `owner/repo` of the head; undefined when the fork was deleted. */
  readonly headRepoFullName: string | undefined;
  /** The head lives in another repository (or a deleted one): the GITHUB_TOKEN is read-only there. */
  readonly isFork: boolean;
  readonly draft: boolean;
  /** Label names at the time of the event. */
  readonly labels: readonly string[];
}

/** A `push` run: a merge (or a direct push) to a branch, or a tag push. */
export interface PushRunContext extends RunContextCommon {
  readonly kind: 'push';
  /** Full ref, e.g. refs/heads/main or refs/tags/v1.2.0. */
  readonly ref: string;
  /** The pushed commit (the payload's `after`). */
  readonly sha: string;
  /** The commit the ref pointed at before the push; all zeros when the ref was created. */
  readonly beforeSha: string | undefined;
  /** Branch name when `ref` is a branch, else undefined. */
  readonly branch: string | undefined;
  readonly defaultBranch: string;
  readonly isDefaultBranch: boolean;
}

/** Any other event. */
export interface OtherRunContext extends RunContextCommon {
  readonly kind: 'other';
  /** GITHUB_REF, when set. */
  readonly ref: string | undefined;
  /** GITHUB_SHA, when set. */
  readonly sha: string | undefined;
  /** From the payload's repository, when it has one. */
  readonly defaultBranch: string | undefined;
}

/** The run, as the rest of the action needs it. */
export type RunContext = PullRequestRunContext | PushRunContext | OtherRunContext;

const repositorySchema = z.object({
  name: z.string(),
  full_name: z.string(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string().optional(),
});

const pullRequestSchema = z.object({
  number: z.number().int().positive(),
  html_url: z.string(),
  draft: z.boolean().optional(),
  labels: z.array(z.object({ name: z.string() })).optional(),
  head: z.object({
    ref: z.string(),
    sha: z.string(),
    repo: z.object({ full_name: z.string() }).nullable(),
  }),
  base: z.object({
    ref: z.string(),
    sha: z.string(),
    repo: z.object({ full_name: z.string() }),
  }),
});

const pullRequestEventSchema = z.object({
  action: z.string().optional(),
  pull_request: pullRequestSchema,
});

const pushEventSchema = z.object({
  ref: z.string(),
  after: z.string(),
  before: z.string().optional(),
  repository: repositorySchema.extend({ default_branch: z.string() }),
});

const otherEventSchema = z.object({ repository: repositorySchema.optional() });

/** A problem with the environment or the event payload; the message names the variable or the field. */
export class RunContextError extends Error {
  override readonly name = 'RunContextError';
}

/**
 * Read the run's context: the environment plus the JSON file GITHUB_EVENT_PATH points at.
 * @param env Usually `process.env`.
 */
export async function loadRunContext(env: Env): Promise<RunContext> {
  const eventPath = env['GITHUB_EVENT_PATH'];
  if (eventPath === undefined || eventPath === '') {
    return runContextFromPayload(env, {});
  }
  let text: string;
  try {
    text = await readFile(eventPath, 'utf8');
  } catch (error) {
    throw new RunContextError(
      `GITHUB_EVENT_PATH ${eventPath} could not be read: ${(error as Error).message}`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new RunContextError(
      `GITHUB_EVENT_PATH ${eventPath} is not valid JSON: ${(error as Error).message}`,
    );
  }
  return runContextFromPayload(env, payload, eventPath);
}

/**
 * Build the context from the environment and an already parsed event payload.
 * @param source Where the payload came from, for messages.
 */
export function runContextFromPayload(env: Env, payload: unknown, source = 'the event payload'): RunContext {
  const eventName = env['GITHUB_EVENT_NAME'];
  if (eventName === undefined || eventName === '') {
    throw new RunContextError('GITHUB_EVENT_NAME is not set: not running in a GitHub Actions workflow');
  }
  const common = (fallbackRepository?: z.infer<typeof repositorySchema>): RunContextCommon => ({
    eventName,
    ...ownerAndRepo(env, fallbackRepository),
    serverUrl: trimSlash(env['GITHUB_SERVER_URL'] ?? 'https://github.com'),
    apiUrl: trimSlash(env['GITHUB_API_URL'] ?? 'https://api.github.com'),
    runUrl: runUrlOf(env),
  });

  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const event = parsePayload(pullRequestEventSchema, payload, eventName, source);
    const pr = event.pull_request;
    const headRepoFullName = pr.head.repo?.full_name;
    return {
      kind: 'pull_request',
      ...common(repositoryFromFullName(pr.base.repo.full_name)),
      action: event.action,
      number: pr.number,
      url: pr.html_url,
      baseRef: pr.base.ref,
      baseSha: pr.base.sha,
      headRef: pr.head.ref,
      headSha: pr.head.sha,
      headRepoFullName,
      isFork:
        headRepoFullName === undefined ||
        headRepoFullName.toLowerCase() !== pr.base.repo.full_name.toLowerCase(),
      draft: pr.draft ?? false,
      labels: (pr.labels ?? []).map((label) => label.name),
    };
  }

  if (eventName === 'push') {
    const event = parsePayload(pushEventSchema, payload, eventName, source);
    const defaultBranch = event.repository.default_branch;
    const branch = event.ref.startsWith('refs/heads/') ? event.ref.slice('refs/heads/'.length) : undefined;
    return {
      kind: 'push',
      ...common(event.repository),
      ref: event.ref,
      sha: event.after,
      beforeSha: event.before,
      branch,
      defaultBranch,
      isDefaultBranch: branch === defaultBranch,
    };
  }

  const event = parsePayload(otherEventSchema, payload, eventName, source);
  return {
    kind: 'other',
    ...common(event.repository),
    ref: nonEmpty(env['GITHUB_REF']),
    sha: nonEmpty(env['GITHUB_SHA']),
    defaultBranch: event.repository?.default_branch,
  };
}

function parsePayload<T extends z.ZodType>(
  schema: T,
  payload: unknown,
  eventName: string,
  source: string,
): z.infer<T> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length === 0 ? '(root)' : issue.path.join('.');
    return `${field}: ${issue.message}`;
  });
  throw new RunContextError(`${source} does not look like a ${eventName} event: ${problems.join('; ')}`);
}

function ownerAndRepo(
  env: Env,
  repository: z.infer<typeof repositorySchema> | undefined,
): { owner: string; repo: string } {
  const fromEnv = env['GITHUB_REPOSITORY'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const [owner, repo, ...rest] = fromEnv.split('/');
    if (owner === undefined || owner === '' || repo === undefined || repo === '' || rest.length > 0) {
      throw new RunContextError(`GITHUB_REPOSITORY must look like "owner/repo", got "${fromEnv}"`);
    }
    return { owner, repo };
  }
  if (repository !== undefined) return { owner: repository.owner.login, repo: repository.name };
  throw new RunContextError('GITHUB_REPOSITORY is not set and the event payload names no repository');
}

function repositoryFromFullName(fullName: string): z.infer<typeof repositorySchema> | undefined {
  const [owner, name] = fullName.split('/');
  if (owner === undefined || name === undefined) return undefined;
  return { name, full_name: fullName, owner: { login: owner } };
}

function runUrlOf(env: Env): string | undefined {
  const runId = nonEmpty(env['GITHUB_RUN_ID']);
  const repository = nonEmpty(env['GITHUB_REPOSITORY']);
  if (runId === undefined || repository === undefined) return undefined;
  const server = trimSlash(env['GITHUB_SERVER_URL'] ?? 'https://github.com');
  const attempt = Number(env['GITHUB_RUN_ATTEMPT'] ?? '1');
  const attemptSuffix = Number.isInteger(attempt) && attempt > 1 ? `/attempts/${attempt}` : '';
  return `${server}/${repository}/actions/runs/${runId}${attemptSuffix}`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
