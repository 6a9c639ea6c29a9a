/**
 * The simulator's knobs: ONE declarative table from which the defaults, the validation, the `SimKnobs` type and the
 * `llm-perf-gate sim --step-ms 12 ...` command-line flags are all derived. Knob names are snake_case (like the config
 * file); each knob's flag is its name in kebab-case.
 */
import { z } from 'zod';

type KnobType = 'number' | 'integer' | 'boolean' | 'string';

interface KnobDefinition<S extends z.ZodType> {
  readonly type: KnobType;
  readonly schema: S;
  readonly default: z.output<S>;
  readonly description: string;
}

function knob<S extends z.ZodType>(
  type: KnobType,
  schema: S,
  defaultValue: z.output<S>,
  description: string,
): KnobDefinition<S> {
  return { type, schema, default: defaultValue, description };
}

const rate = z.number().min(0).max(1);
const multiplier = z.number().positive();

/**
 * The knob table. Defaults model a mid-size model (~8B) on one modern GPU: at batch 1 a stream decodes at
 * ~124 tokens/s (8.08 ms per token); at batch 64 a step takes ~13 ms (~76 tokens/s per stream, ~4,900 tokens/s in
 * all); a 512-token prompt adds ~7.7 ms of prefill, so TTFT at batch 1 is ~16 ms plus HTTP overhead.
 */
const TABLE = {
  step_ms: knob('number', multiplier, 8, 'Fixed cost of one engine step (one forward pass), in ms.'),
  per_seq_ms: knob('number', z.number().min(0), 0.08, 'Extra step cost per running sequence, in ms.'),
  prefill_ms_per_1k_tokens: knob(
    'number',
    z.number().min(0),
    15,
    'Extra step cost per 1,000 prompt tokens admitted in that step (prefill), in ms.',
  ),
  max_batch: knob(
    'integer',
    z.number().int().positive(),
    64,
    'Most sequences running at once; the rest wait in FIFO order.',
  ),
  jitter: knob(
    'number',
    rate,
    0.03,
    'Coefficient of variation of the seeded lognormal noise on every step duration.',
  ),
  slowdown: knob('number', multiplier, 1, 'Multiplies every step duration (1.3 = 30% slower TTFT and ITL).'),
  prefill_slowdown: knob('number', multiplier, 1, 'Multiplies prefill work only (TTFT-only regression).'),
  decode_slowdown: knob('number', multiplier, 1, 'Multiplies decode work only (ITL-only regression).'),
  error_rate: knob('number', rate, 0, 'Share of requests answered HTTP 500 before streaming.'),
  rate_limit_in_flight: knob(
    'integer',
    z.number().int().min(0),
    0,
    'Answer HTTP 429 when a request would make more than this many requests in flight (0 = off).',
  ),
  cold_start_s: knob(
    'number',
    z.number().min(0),
    0,
    'For this many seconds after the server starts, every request gets HTTP 503 "model is not ready".',
  ),
  disconnect_rate: knob('number', rate, 0, 'Share of streams whose socket is destroyed mid-stream.'),
  malformed_rate: knob(
    'number',
    rate,
    0,
    'Share of streams that emit one unparseable data: event mid-stream.',
  ),
  stream_error_rate: knob(
    'number',
    rate,
    0,
    'Share of streams that emit a data: {"error":...} event and end.',
  ),
  stream_throttle_rate: knob(
    'number',
    rate,
    0,
    'Share of streams that end mid-stream with a throttling error (AWS faces: a throttlingException frame; others: their error event).',
  ),
  split_frames: knob(
    'boolean',
    z.boolean(),
    false,
    'AWS event-stream faces write every frame in two parts, the second 1 ms later (tests client-side reassembly).',
  ),
  usage: knob('boolean', z.boolean(), true, 'Honour stream_options.include_usage with a final usage chunk.'),
  early_stop_rate: knob(
    'number',
    rate,
    0,
    'Share of requests without forced length (ignore_eos / min_tokens) that stop early with finish_reason "stop".',
  ),
  ignore_force_rate: knob(
    'number',
    rate,
    0,
    'Share of requests WITH forced length that still stop early (an endpoint ignoring ignore_eos).',
  ),
  tokens_per_chunk: knob(
    'integer',
    z.number().int().positive(),
    1,
    'Tokens per streamed chunk after the first (server-side delta batching): tokens are generated at the same steps but held back and sent in groups.',
  ),
  reasoning_tokens: knob(
    'integer',
    z.number().int().min(0),
    0,
    'The first N generated tokens of chat responses are streamed as reasoning_content.',
  ),
  default_max_tokens: knob(
    'integer',
    z.number().int().positive(),
    256,
    'Output length for requests that send no max_tokens.',
  ),
  model: knob(
    'string',
    z.string(),
    '',
    'Served model name; when set, requests naming another model get HTTP 404 ("" = accept any name).',
  ),
  seed: knob(
    'integer',
    z.number().int().min(0),
    0,
    'Seed of all randomness (faults, lengths, jitter, text).',
  ),
  log_truth: knob(
    'boolean',
    z.boolean(),
    false,
    'Record per-request server-side timestamps, readable through truth().',
  ),
} as const;

type Table = typeof TABLE;

/** The name of one simulator knob. */
export type SimKnobName = keyof Table;

/** A full, validated set of simulator knobs. */
export type SimKnobs = { readonly [K in SimKnobName]: z.output<Table[K]['schema']> };

/** One row of the knob table, as shown in help text and documentation. */
export interface SimKnobSpec {
  readonly name: SimKnobName;
  /** Command-line flag, e.g. "--step-ms". */
  readonly flag: string;
  readonly type: KnobType;
  readonly default: SimKnobs[SimKnobName];
  readonly description: string;
}

/** Thrown for an unknown knob or an invalid knob value; the message names the knob (and its flag). */
export class SimKnobError extends Error {
  override readonly name = 'SimKnobError';
}

function flagOf(name: string): string {
  return `--${name.replace(/_/g, '-')}`;
}

const NAMES = Object.keys(TABLE) as SimKnobName[];

/** Every knob, in table order. */
export const SIM_KNOBS: readonly SimKnobSpec[] = NAMES.map((name) => ({
  name,
  flag: flagOf(name),
  type: TABLE[name].type,
  default: TABLE[name].default,
  description: TABLE[name].description,
}));

/** The default value of every knob. */
export function defaultKnobs(): SimKnobs {
  return Object.fromEntries(NAMES.map((name) => [name, TABLE[name].default])) as SimKnobs;
}

function isKnobName(name: string): name is SimKnobName {
  return Object.hasOwn(TABLE, name);
}

/**
 * Validate a partial set of knobs and fill in defaults. Undefined values mean "use the default".
 * @throws SimKnobError naming every unknown or invalid knob
 */
export function parseKnobs(partial: Readonly<Record<string, unknown>> = {}): SimKnobs {
  const problems: string[] = [];
  const result: Record<string, unknown> = defaultKnobs();
  for (const [name, value] of Object.entries(partial)) {
    if (!isKnobName(name)) {
      problems.push(`unknown sim knob "${name}" (known: ${NAMES.join(', ')})`);
      continue;
    }
    if (value === undefined) continue;
    const parsed = TABLE[name].schema.safeParse(value);
    if (parsed.success) {
      result[name] = parsed.data;
    } else {
      const reason = parsed.error.issues.map((issue) => issue.message).join('; ');
      problems.push(`sim knob ${name} (${flagOf(name)}): ${reason}, got ${JSON.stringify(value)}`);
    }
  }
  if (problems.length > 0) throw new SimKnobError(problems.join('\n'));
  return result as SimKnobs;
}

/**
 * Options for node:util `parseArgs` declaring one string-valued flag per knob (`--step-ms 12`, `--usage false`).
 * Keys are the flag names without the leading dashes.
 */
export function knobArgOptions(): Record<string, { type: 'string' }> {
  return Object.fromEntries(NAMES.map((name) => [flagOf(name).slice(2), { type: 'string' as const }]));
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function fromFlagText(name: SimKnobName, text: string): unknown {
  const type = TABLE[name].type;
  if (type === 'string') return text;
  if (type === 'boolean') {
    const lower = text.toLowerCase();
    if (TRUE_WORDS.has(lower)) return true;
    if (FALSE_WORDS.has(lower)) return false;
    throw new SimKnobError(`${flagOf(name)}: expected true or false, got "${text}"`);
  }
  const number = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(number)) throw new SimKnobError(`${flagOf(name)}: expected a number, got "${text}"`);
  return number;
}

/**
 * Turn parsed flag values (keys in kebab-case as produced by `parseArgs` with {@link knobArgOptions}) into validated
 * knobs. Keys that are not knob flags are ignored, so the caller can mix in its own flags (e.g. --port).
 * @throws SimKnobError naming the flag
 */
export function knobsFromFlags(values: Readonly<Record<string, unknown>>): SimKnobs {
  const partial: Record<string, unknown> = {};
  for (const name of NAMES) {
    const value = values[flagOf(name).slice(2)];
    if (value === undefined) continue;
    partial[name] = typeof value === 'string' ? fromFlagText(name, value) : value;
  }
  return parseKnobs(partial);
}

/** Help text: one line per knob with its flag, type, default and description. */
export function formatKnobHelp(): string {
  const width = Math.max(...SIM_KNOBS.map((spec) => spec.flag.length));
  return SIM_KNOBS.map(
    (spec) =>
      `  ${spec.flag.padEnd(width)}  ${spec.description} (${spec.type}, default ${JSON.stringify(spec.default)})`,
  ).join('\n');
}
