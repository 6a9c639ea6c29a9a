/** The action's inputs (action.yml), read and checked once; errors name the input. */
import { parseUpdateStrategy, type UpdateStrategy } from '../github/baseline-store.js';

export type Mode = 'auto' | 'gate' | 'update' | 'report';
export type CommentPolicy = 'always' | 'on-change' | 'never';
export type FailOn = 'fail' | 'warn' | 'never';

export interface ActionInputs {
  readonly config: string;
  readonly mode: Mode;
  readonly githubToken: string;
  readonly baselinePath: string;
  readonly comment: CommentPolicy;
  readonly failOn: FailOn;
  readonly updateStrategy: UpdateStrategy;
  readonly resultsDir: string;
  readonly commentId: string;
  readonly scenarios: readonly string[];
}

export class InputError extends Error {
  override name = 'InputError';
}

/** Reads one input the way @actions/core does (INPUT_<NAME>, trimmed); injectable for tests. */
export type InputReader = (name: string) => string;

function oneOf<T extends string>(read: InputReader, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(name) || fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`input ${name}: expected one of ${allowed.join(', ')}, got "${value}"`);
}

export function readInputs(read: InputReader): ActionInputs {
  let updateStrategy: UpdateStrategy;
  try {
    updateStrategy = parseUpdateStrategy(read('update-strategy') || 'commit');
  } catch (err) {
    throw new InputError(`input update-strategy: ${(err as Error).message.replace(/^update-strategy /, '')}`);
  }
  return {
    config: read('config') || 'perf.yml',
    mode: oneOf(read, 'mode', ['auto', 'gate', 'update', 'report'], 'auto'),
    githubToken: read('github-token'),
    baselinePath: read('baseline-path') || '.llm-perf/baseline.json',
    comment: oneOf(read, 'comment', ['always', 'on-change', 'never'], 'always'),
    failOn: oneOf(read, 'fail-on', ['fail', 'warn', 'never'], 'fail'),
    updateStrategy,
    resultsDir: read('results-dir') || 'perf-results',
    commentId: read('comment-id') || 'default',
    scenarios: read('scenarios')
      .split(/[\s,]+/)
      .filter(Boolean),
  };
}
