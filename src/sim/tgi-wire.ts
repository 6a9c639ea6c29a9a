/**
 * Text Generation Inference's native wire format (router/src/server.rs, lib.rs): request parsing and validation, the
 * SSE events of /generate_stream, the body of /generate and TGI's error shapes. Pure functions; no sockets.
 *
 * TGI serialises SSE with axum: `data:{json}` lines (no space after the colon), one token per event; the last token's
 * event also carries `generated_text` and, when `parameters.details` was asked for, `details`. Errors found after the
 * stream started, validation and "overloaded" included, are sent as a `data:{"error": ..., "error_type": ...}` event on
 * the 200 stream, after which the stream ends.
 */
import type { StreamWire } from './generation.js';
import { tokenText, tokensText, VOCABULARY } from './vocab.js';

/** A validated /generate or /generate_stream request (also the SageMaker TGI payload). */
export interface TgiRequest {
  readonly inputs: string;
  /** parameters.max_new_tokens, or the simulator's default. */
  readonly maxNewTokens: number;
  /** parameters.details */
  readonly details: boolean;
  /** The top-level `stream` flag (SageMaker's /invocations route); false when absent. */
  readonly stream: boolean;
}

/**
 * Why a request was refused. `syntax` and `data` are rejected by the JSON extractor before TGI sees the request (400
 * and 422, plain text); `validation` is TGI's own check (an error event on a stream, HTTP 422 JSON otherwise).
 */
export type TgiRequestErrorKind = 'syntax' | 'data' | 'validation';

/** An invalid request body. */
export class TgiRequestError extends Error {
  override readonly name = 'TgiRequestError';

  constructor(
    readonly kind: TgiRequestErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** TGI's error body: `{"error": message, "error_type": type}`. */
export function tgiErrorBody(message: string, errorType: string): { error: string; error_type: string } {
  return { error: message, error_type: errorType };
}

/** TGI's answer when the router's concurrency limit is reached. */
export const OVERLOADED_MESSAGE = 'Model is overloaded';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parse and validate a request body. Unknown fields are ignored, as TGI does.
 * @throws TgiRequestError naming the field
 */
export function parseTgiRequest(raw: Buffer, defaultMaxTokens: number): TgiRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new TgiRequestError(
      'syntax',
      `Failed to parse the request body as JSON: ${(error as Error).message}`,
    );
  }
  const reject = (message: string): never => {
    throw new TgiRequestError('data', `Failed to deserialize the JSON body into the target type: ${message}`);
  };
  if (!isObject(body)) return reject('expected a JSON object');
  const inputs = body.inputs;
  if (inputs === undefined) return reject('missing field `inputs`');
  if (typeof inputs !== 'string') return reject('inputs: invalid type, expected a string');
  const stream = body.stream ?? false;
  if (typeof stream !== 'boolean') return reject('stream: invalid type, expected a boolean');
  const parameters = body.parameters ?? {};
  if (!isObject(parameters)) return reject('parameters: invalid type, expected struct GenerateParameters');
  const details = parameters.details ?? false;
  if (typeof details !== 'boolean') return reject('parameters.details: invalid type, expected a boolean');
  const max = parameters.max_new_tokens ?? defaultMaxTokens;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) {
    return reject('parameters.max_new_tokens: invalid value, expected u32');
  }
  if (inputs.length === 0)
    throw new TgiRequestError('validation', 'Input validation error: `inputs` cannot be empty');
  if (max === 0) {
    throw new TgiRequestError(
      'validation',
      'Input validation error: `max_new_tokens` must be strictly positive',
    );
  }
  return { inputs, maxNewTokens: max, details, stream };
}

/** TGI's finish reason of a response that stopped with `finishReason`. */
function tgiFinishReason(finishReason: 'length' | 'stop'): string {
  return finishReason === 'stop' ? 'eos_token' : 'length';
}

/** The end-of-sequence token a response that stops early ends with: generated and counted, but special. */
const EOS_TOKEN = { id: 2, text: '</s>', logprob: -0.0625, special: true } as const;

/** Token id of each vocabulary word (ids are arbitrary but stable). */
const TOKEN_IDS = new Map(VOCABULARY.map((word, i) => [word, 1000 + i * 17]));

/** What the wire needs to know about one response. */
export interface TgiResponse {
  /** Vocabulary position of the first generated word. */
  readonly textOffset: number;
  /** Tokens generated, the final EOS token included when the response stops early. */
  readonly outputTokens: number;
  readonly finishReason: 'length' | 'stop';
  /** Prompt tokens, reported as details.input_length. */
  readonly inputTokens: number;
  /** Send `details` (parameters.details was set and the usage knob is on). */
  readonly details: boolean;
}

/** Words of a response: every generated token except a final EOS. */
function contentTokens(r: TgiResponse): number {
  return r.finishReason === 'stop' ? r.outputTokens - 1 : r.outputTokens;
}

/** The token object of token `index` of a response. */
function tokenJson(r: TgiResponse, index: number): string {
  if (index >= contentTokens(r)) return JSON.stringify(EOS_TOKEN);
  const text = tokenText(r.textOffset, index);
  const id = TOKEN_IDS.get(text) ?? 0;
  // A stable, plausible log-probability in (-1, 0].
  const logprob = -((id % 97) / 128);
  return `{"id":${id},"text":${JSON.stringify(text)},"logprob":${logprob},"special":false}`;
}

/** The complete generated text (special tokens skipped, as TGI decodes it). */
function tgiGeneratedText(r: TgiResponse): string {
  return tokensText(r.textOffset, 0, contentTokens(r));
}

/** The details object of the final event / the /generate body. */
function detailsJson(r: TgiResponse): string {
  return (
    `{"finish_reason":"${tgiFinishReason(r.finishReason)}","generated_tokens":${r.outputTokens},` +
    `"seed":null,"input_length":${r.inputTokens}}`
  );
}

/** One TGI SSE event. */
function event(json: string): string {
  return `data:${json}\n\n`;
}

/** An error event on a /generate_stream response. */
export function tgiErrorEvent(message: string, errorType: string): string {
  return event(JSON.stringify(tgiErrorBody(message, errorType)));
}

/** The events of tokens [first, first + count) of a response; the last token's event ends the stream. */
function tgiTokenEvents(r: TgiResponse, first: number, count: number): string {
  let out = '';
  for (let i = first; i < first + count; i++) {
    const last = i === r.outputTokens - 1;
    const tail = last
      ? `"generated_text":${JSON.stringify(tgiGeneratedText(r))},"details":${r.details ? detailsJson(r) : 'null'}`
      : '"generated_text":null,"details":null';
    out += event(`{"index":${i + 1},"token":${tokenJson(r, i)},${tail}}`);
  }
  return out;
}

/** The TGI stream of one response, for {@link streamGeneration}. */
export function tgiStreamWire(r: TgiResponse): StreamWire {
  return {
    tokens: (first, count) => tgiTokenEvents(r, first, count),
    malformed: () => event('{"index":0,"token":{"id":'),
    streamError: (message) => tgiErrorEvent(message, 'generation'),
    end: () => '',
  };
}

/** The body of a /generate response. */
export function tgiGenerateBody(r: TgiResponse): Json {
  const body: Json = { generated_text: tgiGeneratedText(r) };
  if (r.details) {
    body.details = {
      finish_reason: tgiFinishReason(r.finishReason),
      generated_tokens: r.outputTokens,
      seed: null,
      prefill: [],
      tokens: Array.from({ length: r.outputTokens }, (_, i) => JSON.parse(tokenJson(r, i)) as unknown),
    };
  }
  return body;
}
