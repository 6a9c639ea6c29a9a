/**
 * Reading the zod schema itself, so that error messages say what a field expects in words ("a positive integer",
 * "one of "chat", "completions"") and suggest known keys, all derived from the single schema definition.
 */
import { z } from 'zod';

type Schema = z.core.$ZodType;

/** The schema without the wrappers that do not change what a written value must look like (optional, default...). */
export function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.core.$ZodOptional ||
      current instanceof z.core.$ZodDefault ||
      current instanceof z.core.$ZodPrefault ||
      current instanceof z.core.$ZodNullable ||
      current instanceof z.core.$ZodReadonly ||
      current instanceof z.core.$ZodCatch ||
      current instanceof z.core.$ZodNonOptional
    ) {
      current = current._zod.def.innerType;
    } else if (current instanceof z.core.$ZodPipe) {
      current = current._zod.def.in;
    } else if (current instanceof z.core.$ZodLazy) {
      current = current._zod.def.getter();
    } else {
      return current;
    }
  }
}

/**
 * The (unwrapped) schema of the field at `path`, following the data to choose discriminated-union options; undefined
 * where the path leaves the schema (unknown keys) or a union option cannot be chosen.
 */
export function schemaAt(root: Schema, path: readonly PropertyKey[], data: unknown): Schema | undefined {
  let schema = unwrap(root);
  let value = data;
  for (const segment of path) {
    const next = childSchema(schema, segment, value);
    if (next === undefined) return undefined;
    schema = unwrap(next);
    value = valueAt(value, segment);
  }
  return schema;
}

/** The value of `data` at `path`, or undefined where the path does not exist. */
export function dataAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(valueAt, data);
}

function valueAt(value: unknown, segment: PropertyKey): unknown {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
  return (value as Record<PropertyKey, unknown>)[segment];
}

function childSchema(schema: Schema, segment: PropertyKey, value: unknown): Schema | undefined {
  if (schema instanceof z.core.$ZodObject) {
    const shape = schema._zod.def.shape;
    return typeof segment === 'string' && Object.hasOwn(shape, segment) ? shape[segment] : undefined;
  }
  if (schema instanceof z.core.$ZodArray)
    return typeof segment === 'number' ? schema._zod.def.element : undefined;
  if (schema instanceof z.core.$ZodRecord) return schema._zod.def.valueType;
  if (schema instanceof z.core.$ZodTuple)
    return typeof segment === 'number' ? schema._zod.def.items[segment] : undefined;
  if (schema instanceof z.core.$ZodUnion) {
    const option = unionOption(schema, value);
    return option === undefined ? undefined : childSchema(unwrap(option), segment, value);
  }
  return undefined;
}

/** The union option that `value` is meant to be: the only option, or the one its discriminator selects. */
function unionOption(schema: z.core.$ZodUnion, value: unknown): Schema | undefined {
  const options = schema._zod.def.options;
  if (options.length === 1) return options[0];
  if (!(schema instanceof z.core.$ZodDiscriminatedUnion)) return undefined;
  const discriminator = schema._zod.def.discriminator;
  const tag = valueAt(value, discriminator);
  return options.find((option) => option._zod.propValues?.[discriminator]?.has(tag as never));
}

/**
 * The keys an object schema accepts, for "did you mean" suggestions; for a union, the keys of the option `value`
 * selects (the target union is chosen by its provider).
 */
export function objectKeys(schema: Schema | undefined, value?: unknown): string[] {
  const resolved = schema instanceof z.core.$ZodUnion ? unionOption(schema, value) : schema;
  const object = resolved === undefined ? undefined : unwrap(resolved);
  return object instanceof z.core.$ZodObject ? Object.keys(object._zod.def.shape) : [];
}

/** A value written the way a user would write it in the config: strings quoted, numbers bare. */
export function showLiteral(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** `one of "a", "b", "c"`; a single value alone (`1`) unless `list` asks for the list form. */
export function describeChoices(values: readonly unknown[], list = false): string {
  const shown = values.map(showLiteral);
  if (shown.length === 1 && !list) return shown[0] ?? '';
  return `one of ${shown.join(', ')}`;
}

/** What a value for `schema` must be, in words: "a positive integer", "a list with at least 1 item", ... */
export function describeExpected(schema: Schema): string {
  const s = unwrap(schema);
  if (s instanceof z.core.$ZodNumber) return describeNumber(s);
  if (s instanceof z.core.$ZodStringFormat) return describeFormat(s._zod.def.format);
  if (s instanceof z.core.$ZodString) return describeString(s);
  if (s instanceof z.core.$ZodBoolean) return 'true or false';
  if (s instanceof z.core.$ZodEnum) return describeChoices(Object.values(s._zod.def.entries), true);
  if (s instanceof z.core.$ZodLiteral) return describeChoices(s._zod.def.values);
  if (s instanceof z.core.$ZodArray) {
    const min = lengthBounds(s).min;
    return min === undefined ? 'a list' : `a list with at least ${min} item${min === 1 ? '' : 's'}`;
  }
  if (s instanceof z.core.$ZodObject || s instanceof z.core.$ZodRecord) return 'an object (key: value pairs)';
  if (s instanceof z.core.$ZodDiscriminatedUnion) return 'an object (key: value pairs)';
  if (s instanceof z.core.$ZodUnion) {
    const [one, many] = s._zod.def.options.map(unwrap);
    // `x` or a list of `x` (a sweep): say it once.
    if (
      s._zod.def.options.length === 2 &&
      many instanceof z.core.$ZodArray &&
      unwrap(many._zod.def.element) === one
    ) {
      return `${describeExpected(one!)} (or a list of them)`;
    }
    return s._zod.def.options.map(describeExpected).join(' or ');
  }
  if (s instanceof z.core.$ZodNull) return 'null';
  return 'a valid value';
}

function describeNumber(s: z.core.$ZodNumber): string {
  let integer = s instanceof z.core.$ZodNumberFormat;
  let min: { value: number; inclusive: boolean } | undefined;
  let max: { value: number; inclusive: boolean } | undefined;
  for (const check of s._zod.def.checks ?? []) {
    if (check instanceof z.core.$ZodCheckNumberFormat) integer = true;
    else if (check instanceof z.core.$ZodCheckGreaterThan) {
      min = { value: Number(check._zod.def.value), inclusive: check._zod.def.inclusive };
    } else if (check instanceof z.core.$ZodCheckLessThan) {
      max = { value: Number(check._zod.def.value), inclusive: check._zod.def.inclusive };
    }
  }
  const noun = integer ? 'integer' : 'number';
  if (max === undefined && min?.value === 0)
    return min.inclusive ? `a non-negative ${noun}` : `a positive ${noun}`;
  const bounds: string[] = [];
  if (min) bounds.push(min.inclusive ? `at least ${min.value}` : `greater than ${min.value}`);
  if (max) bounds.push(max.inclusive ? `at most ${max.value}` : `less than ${max.value}`);
  return `${integer ? 'an integer' : 'a number'}${bounds.length > 0 ? ` ${bounds.join(' and ')}` : ''}`;
}

function describeString(s: z.core.$ZodString): string {
  const { min, max } = lengthBounds(s);
  const pattern = (s._zod.def.checks ?? []).find((check) => check instanceof z.core.$ZodCheckRegex);
  if (pattern) return `a string matching ${String(pattern._zod.def.pattern)}`;
  if (min === 1 && max === undefined) return 'a non-empty string';
  const bounds: string[] = [];
  if (min !== undefined && min > 0) bounds.push(`at least ${min}`);
  if (max !== undefined) bounds.push(`at most ${max}`);
  return bounds.length > 0 ? `a string of ${bounds.join(' and ')} characters` : 'a string';
}

function describeFormat(format: string): string {
  if (format === 'url') return 'a URL';
  if (format === 'email') return 'an email address';
  return `a string in ${format} format`;
}

function lengthBounds(s: Schema): { min?: number; max?: number } {
  const bounds: { min?: number; max?: number } = {};
  for (const check of s._zod.def.checks ?? []) {
    if (check instanceof z.core.$ZodCheckMinLength) bounds.min = check._zod.def.minimum;
    else if (check instanceof z.core.$ZodCheckMaxLength) bounds.max = check._zod.def.maximum;
    else if (check instanceof z.core.$ZodCheckLengthEquals) bounds.min = bounds.max = check._zod.def.length;
  }
  return bounds;
}
