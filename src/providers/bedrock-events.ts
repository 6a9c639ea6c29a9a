/**
 * Interprets the events of a Bedrock response stream, as the AWS SDK yields them, and reports content, usage, the
 * server's latency figure and the terminal event to the request's recorder. Every event carries the arrival stamp of
 * the body chunk that completed it (see bedrock-transport.ts).
 *
 * ConverseStream: content is a `contentBlockDelta` with text (kind text) or reasoningContent (kind reasoning);
 * `metadata` carries usage and `metrics.latencyMs` and ends the stream (`messageStop` alone ends it when the stream
 * then closes cleanly).
 *
 * InvokeModelWithResponseStream: each `chunk` holds JSON bytes. Recognised payloads: Llama (`generation`,
 * `prompt_token_count`, cumulative `generation_token_count`, `stop_reason`), OpenAI chat or completion chunks
 * (`choices[0].delta.content` / `reasoning_content`, `choices[0].text`, `usage`, `finish_reason`) and Mistral
 * (`outputs[0].text`, `stop_reason`); the `amazon-bedrock-invocationMetrics` object Bedrock adds to the last chunk
 * gives the token counts (preferred over the model's own) and `invocationLatency`, and ends the stream. A chunk with
 * none of these fails the request as malformed_event, naming its keys, so an unsupported model format is never
 * measured as an empty response.
 */
import type { ConverseStreamOutput, ResponseStream } from '@aws-sdk/client-bedrock-runtime';
import { jsonErrorMessage, truncate } from './http-errors.js';
import type { ErrorCategory, StreamRecorder } from './types.js';

/** What a stream reader may do: report to the recorder, end or fail the request. */
export interface EventControl {
  readonly recorder: StreamRecorder;
  /** Whether `ended` or `failed` was already called. */
  readonly settled: boolean;
  ended(at: number): void;
  failed(at: number, category: ErrorCategory, detail: string): void;
}

/** Reads one response stream. */
export interface EventReader<E> {
  /** One event, stamped `at`. */
  event(at: number, event: E): void;
  /** The event stream closed cleanly at `at`: ends the request if its terminal event came, else records stream_cut. */
  end(at: number): void;
  /** Content chunks so far (named in failure details). */
  readonly contentChunks: number;
}

/** A non-negative count, or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Reads a ConverseStream response. */
export class ConverseReader implements EventReader<ConverseStreamOutput> {
  readonly #control: EventControl;
  #contentChunks = 0;
  #stopAt: number | undefined;

  constructor(control: EventControl) {
    this.#control = control;
  }

  get contentChunks(): number {
    return this.#contentChunks;
  }

  event(at: number, event: ConverseStreamOutput): void {
    const control = this.#control;
    if (control.settled) return;
    const recorder = control.recorder;
    if (event.contentBlockDelta !== undefined) {
      const delta = event.contentBlockDelta.delta;
      if (delta === undefined) return;
      if (typeof delta.text === 'string' && delta.text.length > 0) {
        this.#contentChunks++;
        recorder.content(at, 'text', delta.text);
      } else if (delta.reasoningContent !== undefined) {
        const reasoning = delta.reasoningContent;
        // Redacted reasoning is generated content whose text is withheld: it counts, with no text.
        if (typeof reasoning.text === 'string' && reasoning.text.length > 0) {
          this.#contentChunks++;
          recorder.content(at, 'reasoning', reasoning.text);
        } else if (reasoning.redactedContent !== undefined) {
          this.#contentChunks++;
          recorder.content(at, 'reasoning', '');
        }
      }
    } else if (event.messageStop !== undefined) {
      this.#stopAt ??= at;
    } else if (event.metadata !== undefined) {
      const { usage, metrics } = event.metadata;
      if (usage !== undefined) recorder.usage(count(usage.inputTokens), count(usage.outputTokens));
      const latency = count(metrics?.latencyMs);
      if (latency !== undefined) recorder.serverLatency(latency);
      control.ended(at);
    }
  }

  end(at: number): void {
    const control = this.#control;
    if (control.settled) return;
    if (this.#stopAt !== undefined) control.ended(this.#stopAt);
    else {
      control.failed(
        at,
        'stream_cut',
        `ConverseStream ended without messageStop after ${this.#contentChunks} content chunks`,
      );
    }
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const INVOCATION_METRICS = 'amazon-bedrock-invocationMetrics';
const decoder = new TextDecoder();

/** Reads an InvokeModelWithResponseStream response. */
export class InvokeReader implements EventReader<ResponseStream> {
  readonly #control: EventControl;
  #contentChunks = 0;
  #stopAt: number | undefined;
  /** Llama's cumulative generation_token_count gives per-chunk counts: decided at the first content chunk. */
  #perChunkCounts = false;
  #lastCount = 0;

  constructor(control: EventControl) {
    this.#control = control;
  }

  get contentChunks(): number {
    return this.#contentChunks;
  }

  event(at: number, event: ResponseStream): void {
    const control = this.#control;
    if (control.settled || event.chunk === undefined) return;
    const text = decoder.decode(event.chunk.bytes ?? new Uint8Array(0));
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      control.failed(at, 'malformed_event', `chunk bytes are not JSON: ${truncate(text, 120)}`);
      return;
    }
    if (!isObject(payload)) {
      control.failed(at, 'malformed_event', `chunk JSON is not an object: ${truncate(text, 120)}`);
      return;
    }
    this.#payload(at, payload);
  }

  #payload(at: number, payload: Json): void {
    const control = this.#control;
    const recorder = control.recorder;
    if (payload['error'] !== undefined && payload['error'] !== null) {
      control.failed(at, 'stream_error', truncate(jsonErrorMessage(payload) ?? 'error object in chunk'));
      return;
    }
    const metrics = payload[INVOCATION_METRICS];
    let recognised = isObject(metrics);
    if (typeof payload['generation'] === 'string' || 'generation_token_count' in payload) {
      recognised = true;
      this.#llama(at, payload);
    } else if (Array.isArray(payload['choices'])) {
      recognised = true;
      this.#openai(at, payload);
    } else if (Array.isArray(payload['outputs'])) {
      recognised = true;
      this.#mistral(at, payload);
    }
    if (!recognised) {
      const keys = Object.keys(payload).slice(0, 8).join(', ');
      control.failed(
        at,
        'malformed_event',
        `unsupported chunk format (keys: ${keys}): expected generation (Llama), choices (OpenAI), outputs ` +
          `(Mistral) or ${INVOCATION_METRICS}`,
      );
      return;
    }
    if (isObject(metrics)) {
      recorder.usage(count(metrics['inputTokenCount']), count(metrics['outputTokenCount']));
      const latency = count(metrics['invocationLatency']);
      if (latency !== undefined) recorder.serverLatency(latency);
      control.ended(at);
    }
  }

  #content(at: number, kind: 'text' | 'reasoning', text: string, tokens?: number): void {
    this.#contentChunks++;
    this.#control.recorder.content(at, kind, text, tokens);
  }

  #llama(at: number, payload: Json): void {
    const generated = count(payload['generation_token_count']);
    const prompt = count(payload['prompt_token_count']);
    if (prompt !== undefined || generated !== undefined) this.#control.recorder.usage(prompt, generated);
    const text = payload['generation'];
    if (typeof text === 'string' && text.length > 0) {
      if (this.#contentChunks === 0) this.#perChunkCounts = generated !== undefined;
      let tokens: number | undefined;
      if (this.#perChunkCounts && generated !== undefined) {
        tokens = Math.max(0, generated - this.#lastCount);
        this.#lastCount = generated;
      }
      this.#content(at, 'text', text, tokens);
    } else if (generated !== undefined) {
      this.#lastCount = generated;
    }
    if (payload['stop_reason'] !== null && payload['stop_reason'] !== undefined) this.#stopAt ??= at;
  }

  #openai(at: number, payload: Json): void {
    const usage = payload['usage'];
    if (isObject(usage)) {
      this.#control.recorder.usage(count(usage['prompt_tokens']), count(usage['completion_tokens']));
    }
    const choice: unknown = (payload['choices'] as unknown[])[0];
    if (!isObject(choice)) return;
    const delta = isObject(choice['delta']) ? choice['delta'] : undefined;
    const reasoning = delta?.['reasoning_content'] ?? delta?.['reasoning'];
    const text = delta !== undefined ? delta['content'] : choice['text'];
    if (typeof reasoning === 'string' && reasoning.length > 0) this.#content(at, 'reasoning', reasoning);
    if (typeof text === 'string' && text.length > 0) this.#content(at, 'text', text);
    if (choice['finish_reason'] !== null && choice['finish_reason'] !== undefined) this.#stopAt ??= at;
  }

  #mistral(at: number, payload: Json): void {
    const output: unknown = (payload['outputs'] as unknown[])[0];
    if (!isObject(output)) return;
    const text = output['text'];
    if (typeof text === 'string' && text.length > 0) this.#content(at, 'text', text);
    if (output['stop_reason'] !== null && output['stop_reason'] !== undefined) this.#stopAt ??= at;
  }

  end(at: number): void {
    const control = this.#control;
    if (control.settled) return;
    if (this.#stopAt !== undefined) control.ended(this.#stopAt);
    else {
      control.failed(
        at,
        'stream_cut',
        `InvokeModelWithResponseStream ended without a final chunk (stop reason or ${INVOCATION_METRICS}) ` +
          `after ${this.#contentChunks} content chunks`,
      );
    }
  }
}
