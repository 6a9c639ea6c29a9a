/**
 * The OpenAI wire format as vLLM speaks it: request parsing and validation, SSE chunk text, complete bodies and
 * OpenAI-style error bodies. Pure functions; no sockets.
 */

/** The two generation APIs. */
export type OpenAIApi = 'chat' | 'completions';

/** The prompt as sent: texts to tokenize (chat messages, a completion prompt) or a pre-tokenized prompt. */
export type PromptInput =
  | { readonly kind: 'texts'; readonly texts: readonly string[] }
  | { readonly kind: 'tokens'; readonly count: number };

/** A validated generation request. */
export interface OpenAIRequest {
  readonly api: OpenAIApi;
  readonly model: string | undefined;
  readonly prompt: PromptInput;
  /** max_tokens (or max_completion_tokens), or the simulator's default when absent. */
  readonly maxTokens: number;
  /** Forced minimum length: maxTokens with ignore_eos, min_tokens otherwise, 0 when neither. */
  readonly minTokens: number;
  readonly stream: boolean;
  /** stream_options.include_usage */
  readonly includeUsage: boolean;
}

/** An invalid request body; `param` names the offending field. */
export class OpenAIRequestError extends Error {
  override readonly name = 'OpenAIRequestError';
  readonly param: string | null;

  constructor(message: string, param: string | null) {
    super(message);
    this.param = param;
  }
}

/** An OpenAI-style error body: `{"error": {message, type, param, code}}`. */
export function errorBody(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
): { error: { message: string; type: string; param: string | null; code: number } } {
  return { error: { message, type, param, code: status } };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalInteger(body: Json, field: string, min: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new OpenAIRequestError(`${field} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`, field);
  }
  return value;
}

function optionalBoolean(body: Json, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new OpenAIRequestError(`${field} must be a boolean`, field);
  return value;
}

function messageTexts(messages: unknown): string[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new OpenAIRequestError('messages must be a non-empty array', 'messages');
  }
  const texts: string[] = [];
  messages.forEach((message: unknown, i) => {
    if (!isObject(message) || typeof message.role !== 'string') {
      throw new OpenAIRequestError(`messages[${i}] must be an object with a string role`, `messages[${i}]`);
    }
    const content = message.content;
    if (typeof content === 'string') {
      texts.push(content);
    } else if (Array.isArray(content)) {
      for (const part of content as unknown[]) {
        if (isObject(part) && part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
      }
    } else if (content !== undefined && content !== null) {
      throw new OpenAIRequestError(
        `messages[${i}].content must be a string or an array of parts`,
        `messages[${i}]`,
      );
    }
  });
  return texts;
}

function isTokenIds(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((id) => Number.isInteger(id));
}

function completionPrompt(prompt: unknown): PromptInput {
  if (typeof prompt === 'string') return { kind: 'texts', texts: [prompt] };
  if (isTokenIds(prompt) && prompt.length > 0) return { kind: 'tokens', count: prompt.length };
  if (Array.isArray(prompt) && prompt.length === 1) {
    const only: unknown = prompt[0];
    if (typeof only === 'string') return { kind: 'texts', texts: [only] };
    if (isTokenIds(only) && only.length > 0) return { kind: 'tokens', count: only.length };
  }
  throw new OpenAIRequestError(
    'prompt must be a string, a list of token ids, or a list holding one of these (the simulator serves one prompt per request)',
    'prompt',
  );
}

/**
 * Parse and validate a request body.
 * @throws OpenAIRequestError naming the invalid field
 */
export function parseOpenAIRequest(api: OpenAIApi, raw: Buffer, defaultMaxTokens: number): OpenAIRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new OpenAIRequestError(`request body is not valid JSON: ${(error as Error).message}`, null);
  }
  if (!isObject(body)) throw new OpenAIRequestError('request body must be a JSON object', null);

  const model = body.model;
  if (model !== undefined && typeof model !== 'string')
    throw new OpenAIRequestError('model must be a string', 'model');
  const n = optionalInteger(body, 'n', 1);
  if (n !== undefined && n !== 1) throw new OpenAIRequestError('the simulator supports only n = 1', 'n');

  const prompt: PromptInput =
    api === 'chat' ? { kind: 'texts', texts: messageTexts(body.messages) } : completionPrompt(body.prompt);

  const maxTokens =
    optionalInteger(body, 'max_tokens', 1) ??
    optionalInteger(body, 'max_completion_tokens', 1) ??
    defaultMaxTokens;
  const minTokens = optionalInteger(body, 'min_tokens', 0) ?? 0;
  if (minTokens > maxTokens) {
    throw new OpenAIRequestError(
      `min_tokens (${minTokens}) must not exceed max_tokens (${maxTokens})`,
      'min_tokens',
    );
  }
  const ignoreEos = optionalBoolean(body, 'ignore_eos') ?? false;
  const stream = optionalBoolean(body, 'stream') ?? false;

  const options = body.stream_options;
  let includeUsage = false;
  if (options !== undefined && options !== null) {
    if (!isObject(options))
      throw new OpenAIRequestError('stream_options must be an object', 'stream_options');
    includeUsage = optionalBoolean(options, 'include_usage') ?? false;
  }

  return {
    api,
    model,
    prompt,
    maxTokens,
    minTokens: ignoreEos ? maxTokens : minTokens,
    stream,
    includeUsage,
  };
}

/** Token counts as reported in `usage`. */
export interface Usage {
  readonly prompt_tokens: number;
  readonly total_tokens: number;
  readonly completion_tokens: number;
}

/** Build a usage object. */
export function usageOf(promptTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + completionTokens,
    completion_tokens: completionTokens,
  };
}

/** One SSE event carrying `json` (already serialised). */
function event(json: string): string {
  return `data: ${json}\n\n`;
}

/** The SSE end-of-stream marker. */
export const DONE_EVENT = 'data: [DONE]\n\n';

/** What identifies one response on the wire. */
export interface ResponseMeta {
  readonly api: OpenAIApi;
  /** The request id; the response id is "chatcmpl-<id>" / "cmpl-<id>" as in vLLM. */
  readonly requestId: string;
  /** Unix seconds. */
  readonly created: number;
  readonly model: string;
}

function responseId(meta: ResponseMeta): string {
  return `${meta.api === 'chat' ? 'chatcmpl' : 'cmpl'}-${meta.requestId}`;
}

/**
 * Serialises one response's stream events exactly as vLLM does. The constant head of every chunk is serialised once.
 */
export class OpenAIChunks {
  readonly #api: OpenAIApi;
  readonly #head: string;
  readonly #usageHead: string;

  constructor(meta: ResponseMeta) {
    this.#api = meta.api;
    const id = JSON.stringify(responseId(meta));
    const object = meta.api === 'chat' ? '"chat.completion.chunk"' : '"text_completion"';
    this.#usageHead = `{"id":${id},"object":${object},"created":${meta.created},"model":${JSON.stringify(meta.model)}`;
    this.#head = `${this.#usageHead},"choices":[{"index":0,`;
  }

  /** The first chat event: the assistant role with empty content (vLLM sends it with the first token). */
  role(): string {
    return event(
      `${this.#head}"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`,
    );
  }

  /** A content event; the last one carries the finish reason. Reasoning text goes to `reasoning_content` (chat). */
  content(text: string, reasoning: boolean, finishReason: 'length' | 'stop' | null): string {
    const finish = finishReason === null ? 'null' : `"${finishReason}"`;
    if (this.#api === 'completions') {
      return event(
        `${this.#head}"text":${JSON.stringify(text)},"logprobs":null,"finish_reason":${finish},"stop_reason":null}]}`,
      );
    }
    const field = reasoning ? 'reasoning_content' : 'content';
    const stop = finishReason === null ? '' : ',"stop_reason":null';
    return event(
      `${this.#head}"delta":{"${field}":${JSON.stringify(text)}},"logprobs":null,"finish_reason":${finish}${stop}}]}`,
    );
  }

  /** The final usage event (`choices: []`). */
  usage(promptTokens: number, completionTokens: number): string {
    return event(
      `${this.#usageHead},"choices":[],"usage":${JSON.stringify(usageOf(promptTokens, completionTokens))}}`,
    );
  }

  /** An event whose data is truncated JSON: no parser can read it, but SSE framing stays intact. */
  malformed(): string {
    return event(`${this.#head}"delta":{"content":`);
  }

  /** An error event as vLLM sends when generation fails mid-stream. */
  streamError(message: string): string {
    return event(JSON.stringify(errorBody(500, message, 'InternalServerError')));
  }
}

/** The generated text of a complete (non-streaming) response. */
export interface CompleteText {
  readonly reasoning: string;
  readonly content: string;
}

/** A complete non-streaming response body (`chat.completion` or `text_completion`). */
export function completeBody(
  meta: ResponseMeta,
  text: CompleteText,
  finishReason: 'length' | 'stop',
  usage: Usage | undefined,
): Json {
  const { api } = meta;
  const choice =
    api === 'chat'
      ? {
          index: 0,
          message: {
            role: 'assistant',
            content: text.content,
            ...(text.reasoning === '' ? {} : { reasoning_content: text.reasoning }),
          },
          logprobs: null,
          finish_reason: finishReason,
          stop_reason: null,
        }
      : { index: 0, text: text.content, logprobs: null, finish_reason: finishReason, stop_reason: null };
  return {
    id: responseId(meta),
    object: api === 'chat' ? 'chat.completion' : 'text_completion',
    created: meta.created,
    model: meta.model,
    choices: [choice],
    ...(usage === undefined ? {} : { usage }),
  };
}
