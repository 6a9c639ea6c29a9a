/**
 * `${ENV_VAR}` interpolation in the string scalars of a parsed YAML/JSON document, done on the document itself so
 * every value keeps its line number for later error messages.
 *
 * Syntax: `${NAME}` is the variable's value; `${NAME:-default}` falls back to `default` when NAME is unset or empty;
 * `$${` is a literal `${`. A `$` not followed by `{` is kept as is. Only string scalars are interpolated (never keys),
 * and the result is always a string: `concurrency: ${CONC}` yields the string "8", which the schema rejects because
 * it expects a number. `${NAME}` with NAME unset or empty is an error (write `${NAME:-}` to accept an empty value):
 * an empty API key from a secret that a fork's workflow cannot read should fail loudly, not send `Bearer `.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';

/** Environment variables to interpolate from (process.env or a test's own map). */
export type Env = Readonly<Record<string, string | undefined>>;

/** One environment variable whose value went into a string. */
export interface UsedVariable {
  readonly name: string;
  readonly value: string;
}

/** Outcome of interpolating one string: the new value and the variables used, or what went wrong. */
export type InterpolationResult =
  | { readonly ok: true; readonly value: string; readonly variables: readonly UsedVariable[] }
  | { readonly ok: false; readonly problems: readonly string[] };

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([^]*))?$/;
const SYNTAX_HELP = 'expected ${NAME} or ${NAME:-default} (write $${ for a literal "${")';

/** Interpolate `${...}` references in one string. Every problem in the string is reported, not just the first. */
export function interpolate(text: string, env: Env): InterpolationResult {
  if (!text.includes('$')) return { ok: true, value: text, variables: [] };
  let value = '';
  const variables: UsedVariable[] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      value += text.slice(i);
      break;
    }
    value += text.slice(i, dollar);
    if (text.startsWith('$${', dollar)) {
      value += '${';
      i = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      value += '$';
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close < 0) {
      problems.push(`unterminated "\${": ${SYNTAX_HELP}`);
      break;
    }
    i = close + 1;
    const match = REFERENCE.exec(text.slice(dollar + 2, close));
    const name = match?.[1];
    if (match === null || name === undefined) {
      problems.push(`invalid variable reference: ${SYNTAX_HELP}`);
      continue;
    }
    const fallback = match[2];
    const found = env[name];
    if (found !== undefined && found !== '') {
      value += found;
      variables.push({ name, value: found });
    } else if (fallback !== undefined) {
      value += fallback;
    } else if (found === undefined) {
      problems.push(`environment variable ${name} is not set`);
    } else {
      problems.push(`environment variable ${name} is empty (write \${${name}:-} to accept an empty value)`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value, variables };
}

/** A problem found while interpolating, at the field path of the string that had it. */
export interface InterpolationProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** A string that took its value (in part) from environment variables. */
export interface Substitution {
  readonly path: readonly PropertyKey[];
  readonly variables: readonly UsedVariable[];
}

/** What {@link interpolateDocument} did. */
export interface DocumentInterpolation {
  readonly problems: readonly InterpolationProblem[];
  readonly substitutions: readonly Substitution[];
}

/**
 * Interpolate every string scalar value of `doc` in place (map keys are left alone; strings with problems keep their
 * original text). Aliases are skipped: the anchored node they point to is interpolated where it is defined.
 */
export function interpolateDocument(doc: Document, env: Env): DocumentInterpolation {
  const problems: InterpolationProblem[] = [];
  const substitutions: Substitution[] = [];
  const walk = (node: unknown, path: readonly PropertyKey[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        walk(pair.value, [...path, String(key)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string') {
      const result = interpolate(node.value, env);
      if (!result.ok) {
        for (const message of result.problems) problems.push({ path, message });
      } else if (result.value !== node.value) {
        node.value = result.value;
        if (result.variables.length > 0) substitutions.push({ path, variables: result.variables });
      }
    }
  };
  walk(doc.contents, []);
  return { problems, substitutions };
}
