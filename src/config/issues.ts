/**
 * zod issues → human messages with field paths: "expected a positive integer, got "eight"", "required",
 * "unknown key (did you mean "concurrency"?)". Values are shown JSON-quoted and truncated, never for secret fields.
 */
import { z } from 'zod';
import {
  describeChoices,
  describeExpected,
  dataAt,
  objectKeys,
  schemaAt,
  showLiteral,
} from './schema-walk.js';
import { closestMatch } from './suggest.js';

/**
 * The message that a per-parse error map gives every issue the schema has no message of its own for. Issues that
 * carry it get a message written here; issues with another message carry the schema's own words (refinements,
 * `error:` options), which are kept.
 */
export const DEFAULT_MESSAGE = '\u0000default';

/** What the translation needs to know about the data that was validated. */
export interface IssueContext {
  /** The root schema that produced the issues. */
  readonly schema: z.core.$ZodType;
  /** The data that was validated (after interpolation). */
  readonly data: unknown;
  /** Whether the value at `path` is a secret and must not be shown. */
  isSecret(path: readonly PropertyKey[]): boolean;
  /** Names of the environment variables interpolated into the string at `path`, if any. */
  variablesAt(path: readonly PropertyKey[]): readonly string[] | undefined;
}

/** A translated issue: where (as a path, for locating) and what. */
export interface FieldIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** True when the field is missing: the issue is located at its parent. */
  readonly missing?: boolean;
}

const MAX_SHOWN = 60;

/** Translate zod issues into human messages; one unrecognized_keys issue becomes one issue per unknown key. */
export function translateIssues(issues: readonly z.core.$ZodIssue[], context: IssueContext): FieldIssue[] {
  return issues.flatMap((issue) => translateIssue(issue, context));
}

function translateIssue(issue: z.core.$ZodIssue, context: IssueContext): FieldIssue[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const known = objectKeys(schemaAt(context.schema, path, context.data), dataAt(context.data, path));
    return issue.keys.map((key) => {
      const suggestion = closestMatch(key, known);
      const hint = suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
      return { path: [...path, key], message: `unknown key${hint}` };
    });
  }
  if (issue.code !== 'custom' && isMissing(context.data, path)) {
    return [{ path, message: 'required', missing: true }];
  }
  const value = dataAt(context.data, path);
  const got = `got ${showValue(value, context.isSecret(path))}`;
  if (issue.code === 'custom') {
    return [{ path, message: issue.message === DEFAULT_MESSAGE ? `invalid value, ${got}` : issue.message }];
  }
  if (issue.message !== DEFAULT_MESSAGE) return [{ path, message: `${issue.message}, ${got}` }];

  // Enum and literal values, or the values of a union's discriminator (always a list: it grows with providers).
  let choices: readonly unknown[] | undefined;
  let list = false;
  if (issue.code === 'invalid_value') {
    choices = issue.values;
    list = schemaAt(context.schema, path, context.data) instanceof z.core.$ZodEnum;
  } else if (issue.code === 'invalid_union' && 'options' in issue && issue.options) {
    choices = issue.options;
    list = true;
  }
  if (choices !== undefined) {
    const suggestion =
      typeof value === 'string' && !context.isSecret(path)
        ? closestMatch(
            value,
            choices.filter((c): c is string => typeof c === 'string'),
          )
        : undefined;
    const hint = suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
    return [{ path, message: `expected ${describeChoices(choices, list)}, ${got}${hint}` }];
  }

  const schema = schemaAt(context.schema, path, context.data);
  const expected = schema ? describeExpected(schema) : fallbackExpectation(issue);
  return [{ path, message: `expected ${expected}, ${got}${typeHint(issue, value, path, context)}` }];
}

/** Whether the field at `path` is absent from an object that exists (rather than present with a bad value). */
function isMissing(data: unknown, path: readonly PropertyKey[]): boolean {
  const key = path[path.length - 1];
  if (key === undefined) return data === undefined;
  const parent = dataAt(data, path.slice(0, -1));
  return (
    typeof parent === 'object' && parent !== null && !Array.isArray(parent) && !Object.hasOwn(parent, key)
  );
}

/** A value as shown after "got": JSON-quoted and truncated; for secrets only its kind. */
export function showValue(value: unknown, secret: boolean): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    if (secret) return 'a string';
    const shown = showLiteral(value);
    return shown.length <= MAX_SHOWN ? shown : `${shown.slice(0, MAX_SHOWN - 2)}…"`;
  }
  if (secret) return typeof value === 'number' ? 'a number' : `a ${typeof value}`;
  return String(value);
}

function typeHint(
  issue: z.core.$ZodIssue,
  value: unknown,
  path: readonly PropertyKey[],
  context: IssueContext,
): string {
  const variables = context.variablesAt(path);
  // A union (e.g. a number or a list of numbers) fails as invalid_union: the hint applies all the same.
  if (
    (issue.code === 'invalid_type' || issue.code === 'invalid_union') &&
    typeof value === 'string' &&
    variables !== undefined &&
    (issue.code === 'invalid_union' || issue.expected !== 'string')
  ) {
    const expected = issue.code === 'invalid_type' ? issue.expected : 'value';
    return ` (values from \${${variables[0] ?? ''}} are always strings: write the ${expected} in the file)`;
  }
  if (issue.code !== 'invalid_type') return '';
  if (issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return ' (quote it to make it a string)';
  }
  return '';
}

function fallbackExpectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `a value of type ${issue.expected}`;
    case 'too_small':
      return `${issue.origin} of at least ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.origin} of at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return `a string in ${issue.format} format`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    default:
      return 'a valid value';
  }
}
