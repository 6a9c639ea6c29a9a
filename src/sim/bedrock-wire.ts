/**
 * The Amazon Bedrock runtime wire format as the AWS SDK reads it (shapes checked against the deserialisers of
 * @aws-sdk/client-bedrock-runtime): request parsing for ConverseStream and InvokeModelWithResponseStream, the
 * event-stream frames of both responses, and errors as Bedrock sends them (status, `x-amzn-errortype` header,
 * `{"message"}` body). Pure functions; no sockets.
 */
import { eventFrame, exceptionFrame } from './event-stream.js';
import type { GeneratePlan, StreamWire } from './generation.js';
import { tokensText } from './vocab.js';

/** The two streaming operations. */
export type BedrockApi = 'converse' | 'invoke';

/** The chunk payload style of an invoke response: Llama (imported Llama models) or OpenAI chat chunks. */
export type InvokeStyle = 'llama' | 'openai';

/** A validated Bedrock request. */
export interface BedrockRequest {
  /** Every prompt text (messages and system prompts), to count prompt tokens. */
  readonly texts: readonly string[];
  readonly maxTokens: number;
  /** Forced minimum length: maxTokens with ignore_eos, min_tokens otherwise, 0 when neither. */
  readonly minTokens: number;
  /** Invoke only: the payload style of the response chunks (OpenAI when the body had `messages`). */
  readonly style: InvokeStyle;
}

/** An invalid request body, answered with ValidationException. */
export class BedrockRequestError extends Error {
  override readonly name = 'BedrockRequestError';
}

/** One Bedrock route: the operation and the (URL-decoded) model id or ARN. */
export interface BedrockRoute {
  readonly api: BedrockApi;
  readonly modelId: string;
}

const ROUTE = /^\/model\/([^/]+)\/(converse-stream|invoke-with-response-stream)$/;

/** The Bedrock route of a request path, or undefined when the path is not one. */
export function bedrockRoute(path: string): BedrockRoute | undefined {
  const match = ROUTE.exec(path);
  if (match === null) return undefined;
  let modelId: string;
  try {
    modelId = decodeURIComponent(match[1] ?? '');
  } catch {
    return undefined;
  }
  return { api: match[2] === 'converse-stream' ? 'converse' : 'invoke', modelId };
}

/** Headers and body of a Bedrock error response. */
export interface BedrockErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly message: string };
}

/**
 * An error as Bedrock sends it: the exception name in `x-amzn-errortype` (with the service namespace suffix the SDK
 * strips), the message in a JSON body.
 */
export function bedrockError(
  status: number,
  exception: string,
  message: string,
  requestId: string,
): BedrockErrorResponse {
  return {
    status,
    headers: {
      'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      'x-amzn-requestid': requestId,
    },
    body: { message },
  };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(raw: Buffer): Json {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new BedrockRequestError(`Malformed input request: ${(error as Error).message}`);
  }
  if (!isObject(body)) throw new BedrockRequestError('Malformed input request: expected a JSON object');
  return body;
}

function positiveInteger(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new BedrockRequestError(
      `1 validation error detected: Value ${JSON.stringify(value)} at '${field}' failed to satisfy constraint: ` +
        'Member must be an integer greater than or equal to 1',
    );
  }
  return value;
}

/** The forced minimum length from `ignore_eos` / `min_tokens` fields (vLLM-style model request fields). */
function forcedMinimum(fields: Json | undefined, maxTokens: number): number {
  if (fields === undefined) return 0;
  if (fields['ignore_eos'] === true) return maxTokens;
  const min = fields['min_tokens'];
  return typeof min === 'number' && Number.isInteger(min) && min > 0 ? Math.min(min, maxTokens) : 0;
}

/** Text blocks of Converse `messages` / `system` (other block kinds carry no prompt text here). */
function converseTexts(body: Json): string[] {
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new BedrockRequestError(
      "1 validation error detected: Value at 'messages' failed to satisfy constraint: Member must not be empty",
    );
  }
  const texts: string[] = [];
  const system = body['system'];
  if (Array.isArray(system)) {
    for (const block of system)
      if (isObject(block) && typeof block['text'] === 'string') texts.push(block['text']);
  }
  messages.forEach((message: unknown, i) => {
    if (!isObject(message) || typeof message['role'] !== 'string' || !Array.isArray(message['content'])) {
      throw new BedrockRequestError(
        `1 validation error detected: Value at 'messages.${i + 1}' failed to satisfy constraint: ` +
          'Member must have a role and a content list',
      );
    }
    for (const block of message['content'] as unknown[]) {
      if (isObject(block) && typeof block['text'] === 'string') texts.push(block['text']);
    }
  });
  return texts;
}

/** OpenAI-style `messages` of an invoke body: string content or text parts. */
function chatTexts(messages: unknown[]): string[] {
  const texts: string[] = [];
  for (const message of messages) {
    if (!isObject(message)) continue;
    const content = message['content'];
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content)
        if (isObject(part) && typeof part['text'] === 'string') texts.push(part['text']);
    }
  }
  return texts;
}

/**
 * Parse a ConverseStream body (`messages`, `system`, `inferenceConfig.maxTokens`, `additionalModelRequestFields`).
 * @throws BedrockRequestError for an invalid body
 */
export function parseConverseRequest(raw: Buffer, defaultMaxTokens: number): BedrockRequest {
  const body = parseJson(raw);
  const texts = converseTexts(body);
  const config = body['inferenceConfig'];
  const maxTokens =
    (isObject(config) ? positiveInteger(config['maxTokens'], 'inferenceConfig.maxTokens') : undefined) ??
    defaultMaxTokens;
  const fields = body['additionalModelRequestFields'];
  return {
    texts,
    maxTokens,
    minTokens: forcedMinimum(isObject(fields) ? fields : undefined, maxTokens),
    style: 'llama',
  };
}

/**
 * Parse an InvokeModelWithResponseStream body of an imported model: the prompt from `prompt` (Llama), `messages`
 * (OpenAI chat) or `inputs` (TGI-style templates); the length from `max_gen_len`, `max_tokens`, `max_new_tokens` or
 * `parameters.max_new_tokens`. Responses to `messages` bodies stream OpenAI chat chunks, the rest Llama chunks.
 * @throws BedrockRequestError for an invalid body
 */
export function parseInvokeRequest(raw: Buffer, defaultMaxTokens: number): BedrockRequest {
  const body = parseJson(raw);
  const parameters = isObject(body['parameters']) ? body['parameters'] : undefined;
  let texts: string[];
  let style: InvokeStyle = 'llama';
  if (typeof body['prompt'] === 'string') texts = [body['prompt']];
  else if (Array.isArray(body['messages'])) {
    texts = chatTexts(body['messages']);
    style = 'openai';
  } else if (typeof body['inputs'] === 'string') texts = [body['inputs']];
  else {
    throw new BedrockRequestError(
      'Malformed input request: #: required key [prompt] not found, please reformat your input and try again.',
    );
  }
  const maxTokens =
    positiveInteger(body['max_gen_len'], 'max_gen_len') ??
    positiveInteger(body['max_tokens'], 'max_tokens') ??
    positiveInteger(body['max_new_tokens'], 'max_new_tokens') ??
    positiveInteger(parameters?.['max_new_tokens'], 'parameters.max_new_tokens') ??
    defaultMaxTokens;
  const minTokens = Math.max(forcedMinimum(body, maxTokens), forcedMinimum(parameters, maxTokens));
  return { texts, maxTokens, minTokens, style };
}

const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The `p` field Bedrock adds to every event (padding against length side channels); clients must ignore it. */
function padding(n: number): string {
  return PADDING.slice(0, 1 + (n % PADDING.length));
}

/** A frame whose message CRC is wrong: its length prelude stays valid, so framing survives but decoding fails. */
export function corruptFrame(frame: Uint8Array): Uint8Array {
  const copy = frame.slice();
  const last = copy.length - 1;
  copy[last] = (copy[last] ?? 0) ^ 0xff;
  return copy;
}

function concat(frames: readonly Uint8Array[]): Uint8Array {
  return frames.length === 1 ? (frames[0] as Uint8Array) : Buffer.concat(frames);
}

/** What a response's wire needs to know about its request. */
export interface BedrockResponseContext {
  readonly plan: GeneratePlan;
  readonly inputTokens: number;
  /** Tokens streamed as reasoning before the answer (converse and OpenAI-style invoke responses only). */
  readonly reasoningTokens: number;
  /** Simulator clock and the request's arrival on it, for Bedrock's latency figures. */
  readonly now: () => number;
  readonly arrivalMs: number;
  readonly requestId: string;
  readonly model: string;
}

/** ConverseStream events: messageStart, contentBlockDelta (reasoning, then text), contentBlockStop, messageStop, metadata. */
export class ConverseFrames implements StreamWire {
  readonly #c: BedrockResponseContext;
  #events = 0;

  constructor(context: BedrockResponseContext) {
    this.#c = context;
  }

  #event(type: string, payload: Json): Uint8Array {
    this.#events += 1;
    return eventFrame(type, { ...payload, p: padding(this.#events) });
  }

  /** The block index of token `index`: reasoning in block 0, the answer in the next block. */
  #block(index: number): number {
    return this.#c.reasoningTokens > 0 && index >= this.#c.reasoningTokens ? 1 : 0;
  }

  tokens(first: number, count: number): Uint8Array {
    const { plan, reasoningTokens } = this.#c;
    const end = first + count;
    const frames: Uint8Array[] = [];
    if (first === 0) frames.push(this.#event('messageStart', { role: 'assistant' }));
    if (first < reasoningTokens) {
      const upto = Math.min(end, reasoningTokens);
      const text = tokensText(plan.textOffset, first, upto - first);
      frames.push(
        this.#event('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text } } }),
      );
    }
    if (end > reasoningTokens) {
      const from = Math.max(first, reasoningTokens);
      // The answer starts in this chunk: the reasoning block ends first.
      if (reasoningTokens > 0 && from === reasoningTokens) {
        frames.push(this.#event('contentBlockStop', { contentBlockIndex: 0 }));
      }
      const text = tokensText(plan.textOffset, from, end - from);
      frames.push(
        this.#event('contentBlockDelta', { contentBlockIndex: this.#block(from), delta: { text } }),
      );
    }
    return concat(frames);
  }

  malformed(): Uint8Array {
    return corruptFrame(
      this.#event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: ' corrupt' } }),
    );
  }

  streamError(message: string): Uint8Array {
    return exceptionFrame('modelStreamErrorException', message);
  }

  streamThrottle(message: string): Uint8Array {
    return exceptionFrame('throttlingException', message);
  }

  end(written: number): Uint8Array {
    const { plan, inputTokens } = this.#c;
    return concat([
      this.#event('contentBlockStop', { contentBlockIndex: this.#block(Math.max(0, written - 1)) }),
      this.#event('messageStop', { stopReason: plan.finishReason === 'stop' ? 'end_turn' : 'max_tokens' }),
      this.#event('metadata', {
        usage: { inputTokens, outputTokens: written, totalTokens: inputTokens + written },
        metrics: { latencyMs: Math.round(this.#c.now() - this.#c.arrivalMs) },
      }),
    ]);
  }
}

/**
 * InvokeModelWithResponseStream `chunk` events: `{bytes: base64(JSON)}` with Llama-style payloads
 * (`generation`, `prompt_token_count` on the first chunk, cumulative `generation_token_count`, `stop_reason`) or
 * OpenAI chat chunks, and a final chunk carrying the stop reason and `amazon-bedrock-invocationMetrics`.
 */
export class InvokeChunks implements StreamWire {
  readonly #c: BedrockResponseContext;
  readonly #style: InvokeStyle;
  #events = 0;
  #firstByteMs: number | undefined;

  constructor(context: BedrockResponseContext, style: InvokeStyle) {
    this.#c = context;
    this.#style = style;
  }

  #chunk(payload: Json): Uint8Array {
    this.#events += 1;
    const bytes = Buffer.from(JSON.stringify(payload)).toString('base64');
    return eventFrame('chunk', { bytes, p: padding(this.#events) });
  }

  #openai(choice: Json, extra: Json = {}): Json {
    const { requestId, model } = this.#c;
    return {
      id: `chatcmpl-${requestId}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, logprobs: null, ...choice }],
      ...extra,
    };
  }

  tokens(first: number, count: number): Uint8Array {
    this.#firstByteMs ??= this.#c.now();
    const { plan, inputTokens } = this.#c;
    const end = first + count;
    if (this.#style === 'llama') {
      return this.#chunk({
        generation: tokensText(plan.textOffset, first, count),
        prompt_token_count: first === 0 ? inputTokens : null,
        generation_token_count: end,
        stop_reason: null,
      });
    }
    const reasoning = this.#c.reasoningTokens;
    const frames: Uint8Array[] = [];
    if (first < reasoning) {
      const upto = Math.min(end, reasoning);
      const text = tokensText(plan.textOffset, first, upto - first);
      frames.push(this.#chunk(this.#openai({ delta: { reasoning_content: text }, finish_reason: null })));
    }
    if (end > reasoning) {
      const from = Math.max(first, reasoning);
      const text = tokensText(plan.textOffset, from, end - from);
      const delta = from === 0 ? { role: 'assistant', content: text } : { content: text };
      frames.push(this.#chunk(this.#openai({ delta, finish_reason: null })));
    }
    return concat(frames);
  }

  malformed(): Uint8Array {
    return corruptFrame(
      this.#chunk({ generation: ' corrupt', generation_token_count: 0, stop_reason: null }),
    );
  }

  streamError(message: string): Uint8Array {
    return exceptionFrame('modelStreamErrorException', message);
  }

  streamThrottle(message: string): Uint8Array {
    return exceptionFrame('throttlingException', message);
  }

  end(written: number): Uint8Array {
    const { plan, inputTokens, now, arrivalMs } = this.#c;
    const at = now();
    const metrics = {
      inputTokenCount: inputTokens,
      outputTokenCount: written,
      invocationLatency: Math.round(at - arrivalMs),
      firstByteLatency: Math.round((this.#firstByteMs ?? at) - arrivalMs),
    };
    const finish = plan.finishReason;
    if (this.#style === 'llama') {
      return this.#chunk({
        generation: '',
        prompt_token_count: null,
        generation_token_count: written,
        stop_reason: finish,
        'amazon-bedrock-invocationMetrics': metrics,
      });
    }
    return this.#chunk(
      this.#openai(
        { delta: {}, finish_reason: finish },
        {
          usage: {
            prompt_tokens: inputTokens,
            completion_tokens: written,
            total_tokens: inputTokens + written,
          },
          'amazon-bedrock-invocationMetrics': metrics,
        },
      ),
    );
  }
}
