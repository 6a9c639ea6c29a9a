/**
 * Config problems as users read them: a field path, a human message and, for YAML/JSON files, the line.
 * `scenarios[1].concurrency: expected a positive integer (or a list of them), got "eight" (perf.yml:14)`.
 */

/** One problem with a config file. `path` is empty for problems with the file itself (syntax, unreadable). */
export interface ConfigIssue {
  /** Field path in display form, e.g. `scenarios[1].concurrency`; empty for whole-file problems. */
  readonly path: string;
  /** What is wrong, without the path or location. Never contains a secret value. */
  readonly message: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
  /** 1-based column in the file, when known. */
  readonly column?: number;
}

/** Thrown by config loading; `message` lists every issue, one per line, under a heading naming the file. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /**
   * @param file The config file as the user named it (used in every location).
   * @param issues Every problem found, in the order to show them.
   * @param heading First words of the message; the file name and a colon follow.
   */
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
    heading = 'Invalid config',
  ) {
    super([`${heading} ${file}:`, ...issues.map((issue) => `  ${formatIssue(issue, file)}`)].join('\n'));
  }
}

/**
 * One issue as a line of text: `path: message (file:line)` for field problems, `file:line:column: message` for
 * problems located in the file but not in a field (YAML syntax), and the bare message otherwise.
 */
export function formatIssue(issue: ConfigIssue, file: string): string {
  if (issue.path !== '') {
    return issue.line === undefined
      ? `${issue.path}: ${issue.message}`
      : `${issue.path}: ${issue.message} (${file}:${issue.line})`;
  }
  if (issue.line === undefined) return issue.message;
  return `${file}:${issue.line}:${issue.column ?? 1}: ${issue.message}`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A field path in display form: `scenarios[1].input_tokens.mean`, `target.headers["X.Trace"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
