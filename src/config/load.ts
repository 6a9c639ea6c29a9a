/**
 * Loading a config: read the file, parse YAML/JSON with positions, interpolate `${ENV_VAR}`s, validate against the
 * schema, and report every problem at once with its field path and line, never echoing a secret.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, formatPath } from './errors.js';
import type { ConfigIssue } from './errors.js';
import { interpolateDocument } from './interpolate.js';
import type { Env } from './interpolate.js';
import { DEFAULT_MESSAGE, translateIssues } from './issues.js';
import type { FieldIssue, IssueContext } from './issues.js';
import { SECRET_ENV_NAME, collectSecrets, containsSecret, isSecretPath, scrubSecrets } from './redact.js';
import { dataAt } from './schema-walk.js';
import { configSchema, gateSchema } from './schema.js';
import type { Config, GateConfig } from './schema.js';
import { locate, parseSource, sourceToData } from './source.js';
import type { ConfigSource } from './source.js';

export type { Env } from './interpolate.js';

/** A validated config with defaults applied, and what must never be shown. */
export interface LoadedConfig {
  readonly config: Config;
  /**
   * Secret strings found in the config: api_key and header values, URL credentials, and values of interpolated
   * environment variables whose names look like credentials. Pass them to `core.setSecret` and to `redactConfig`.
   */
  readonly secrets: readonly string[];
  /** The file name as given. */
  readonly path: string;
}

/**
 * Read and validate the config file at `path`.
 * @throws {ConfigError} when the file cannot be read or the config is invalid (every problem listed).
 */
export async function loadConfig(path: string, env: Env = process.env): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      path,
      [{ path: '', message: describeReadError(error, path) }],
      'Cannot read config',
    );
  }
  return parseConfigText(text, path, env);
}

/**
 * Validate config text (YAML or JSON). Pure: reads nothing but its arguments, so the action can validate a config
 * fetched through the API and tests can pass their own environment.
 * @param fileName Used in messages (`perf.yml:14`) and returned as `path`.
 * @throws {ConfigError} with every problem found.
 */
export function parseConfigText(text: string, fileName: string, env: Env): LoadedConfig {
  const source = parseSource(text);
  if (source.syntaxProblems.length > 0) {
    throw new ConfigError(
      fileName,
      source.syntaxProblems.map((problem) => ({ path: '', ...problem })),
    );
  }
  if (source.doc.contents === null) {
    throw new ConfigError(fileName, [
      { path: '', message: 'the file is empty: expected an object with "target" and "scenarios"' },
    ]);
  }
  const interpolation = interpolateDocument(source.doc, env);
  const converted = sourceToData(source);
  if (!converted.ok) throw new ConfigError(fileName, [{ path: '', ...converted.problem }]);
  const data = converted.data;

  const envSecrets = interpolation.substitutions
    .flatMap((substitution) => substitution.variables)
    .filter((variable) => SECRET_ENV_NAME.test(variable.name))
    .map((variable) => variable.value);
  const secrets = collectSecrets(data, envSecrets);

  const result = configSchema.safeParse(data, { error: () => DEFAULT_MESSAGE });
  const problems: FieldIssue[] = [...interpolation.problems];
  if (!result.success) {
    const context: IssueContext = {
      schema: configSchema,
      data,
      isSecret: (path) => {
        const value = dataAt(data, path);
        return isSecretPath(path) || (typeof value === 'string' && containsSecret(value, secrets));
      },
      variablesAt: (path) =>
        interpolation.substitutions
          .find((substitution) => samePath(substitution.path, path))
          ?.variables.map((variable) => variable.name),
    };
    // A string whose interpolation failed kept its raw text; schema complaints about it would only be noise.
    const failed = interpolation.problems.map((problem) => problem.path);
    problems.push(
      ...translateIssues(result.error.issues, context).filter(
        (issue) => !failed.some((path) => isPrefix(path, issue.path)),
      ),
    );
  }
  if (!result.success || problems.length > 0) {
    throw new ConfigError(
      fileName,
      sortByLine(problems.map((problem) => toConfigIssue(problem, source, secrets))),
    );
  }
  return { config: result.data, secrets, path: fileName };
}

/**
 * Only the `gate:` section of a config text, validated (defaults applied when it is absent). Used where the gate
 * settings must come from elsewhere than the profile being run: the PR's base branch, or `compare` on a machine that
 * has none of the profile's environment variables. Nothing is interpolated: gate settings hold no secrets.
 * @throws {ConfigError} naming each problem with its `gate.…` path and line.
 */
export function parseGateSection(text: string, fileName: string): GateConfig {
  const source = parseSource(text);
  if (source.syntaxProblems.length > 0) {
    throw new ConfigError(
      fileName,
      source.syntaxProblems.map((problem) => ({ path: '', ...problem })),
    );
  }
  const converted = sourceToData(source);
  if (!converted.ok) throw new ConfigError(fileName, [{ path: '', ...converted.problem }]);
  const data = converted.data;
  const gate = dataAt(data, ['gate']);
  const result = gateSchema.safeParse(gate ?? {}, { error: () => DEFAULT_MESSAGE });
  if (result.success) return result.data;
  const context: IssueContext = {
    schema: configSchema,
    data,
    isSecret: () => false,
    variablesAt: () => undefined,
  };
  const issues = result.error.issues.map((issue) => ({ ...issue, path: ['gate', ...issue.path] }));
  throw new ConfigError(
    fileName,
    sortByLine(translateIssues(issues, context).map((problem) => toConfigIssue(problem, source, []))),
  );
}

function toConfigIssue(issue: FieldIssue, source: ConfigSource, secrets: readonly string[]): ConfigIssue {
  const at = locate(source, issue.missing ? issue.path.slice(0, -1) : issue.path);
  return { path: formatPath(issue.path), message: scrubSecrets(issue.message, secrets), ...at };
}

function sortByLine(issues: ConfigIssue[]): ConfigIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.index - b.index)
    .map(({ issue }) => issue);
}

function samePath(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  return a.length === b.length && isPrefix(a, b);
}

function isPrefix(prefix: readonly PropertyKey[], path: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}

function describeReadError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = resolve(path);
  if (code === 'ENOENT') return `file not found: ${where}`;
  if (code === 'EISDIR') return `${where} is a directory, not a config file`;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied reading ${where}`;
  return `cannot read ${where}: ${error instanceof Error ? error.message : String(error)}`;
}
