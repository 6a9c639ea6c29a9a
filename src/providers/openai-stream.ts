/**
 * Interprets an OpenAI-compatible streaming response (`/chat/completions` or `/completions` with `stream: true`):
 * SSE events carrying JSON chunks, ending with `data: [DONE]`. Reports content, reasoning, usage and the terminal
 * event to the exchange's recorder. Every event parsed from one body chunk gets that chunk's arrival stamp.
 */
import type { ExchangeControl, StreamBody } from './http-exchange.js';
import { jsonErrorMessage, truncate } from './http-errors.js';
import { SseParser } from './sse.js';
import type { SseEvent } from './sse.js';

/** Which OpenAI route the stream comes from. */
export type OpenAIApi = 'chat' | 'completions';

/** The parts of a streamed chunk this provider reads (everything is optional on the wire). */
interface StreamChunk {
  readonly choices?: unknown;
  readonly usage?: { readonly prompt_tokens?: unknown; readonly completion_tokens?: unknown } | null;
  readonly error?: unknown;
  readonly object?: unknown;
}

interface Choice {
  readonly delta?: {
    readonly content?: unknown;
    readonly reasoning_content?: unknown;
    readonly reasoning?: unknown;
  } | null;
  readonly text?: unknown;
}

/** A {@link StreamBody} for one OpenAI-compatible streaming response. */
export function createOpenAIStreamBody(api: OpenAIApi, control: ExchangeControl): StreamBody {
  return new OpenAIStream(api, control);
}

class OpenAIStream implements StreamBody {
  readonly #chat: boolean;
  readonly #control: ExchangeControl;
  readonly #parser: SseParser;
  /** Arrival stamp of the body chunk being parsed. */
  #at = 0;
  #contentChunks = 0;
  /** The server reports cumulative usage on every chunk (vLLM continuous_usage_stats): decided at first content. */
  #perChunkUsage = false;
  #lastCompletionTokens = 0;

  constructor(api: OpenAIApi, control: ExchangeControl) {
    this.#chat = api === 'chat';
    this.#control = control;
    this.#parser = new SseParser(this.#onEvent);
  }

  data(at: number, chunk: Buffer): void {
    this.#at = at;
    this.#parser.push(chunk);
  }

  end(at: number): void {
    this.#at = at;
    this.#parser.end();
    // vLLM (and OpenAI) always finish with `data: [DONE]`. A body that ends without it is reported as cut even when a
    // finish_reason and usage already arrived: a proxy or server that drops the end of streams must not pass silently.
    if (!this.#control.settled) {
      this.#control.failed(
        at,
        'stream_cut',
        `stream ended without [DONE] after ${this.#contentChunks} content chunks`,
      );
    }
  }

  readonly #onEvent = (event: SseEvent): void => {
    const control = this.#control;
    if (control.settled) return;
    const at = this.#at;
    const data = event.data;
    if (event.type === 'error') {
      control.failed(at, 'stream_error', streamErrorMessage(data));
      return;
    }
    if (data === '[DONE]') {
      control.ended(at);
      return;
    }
    if (data.length === 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      control.failed(at, 'malformed_event', `invalid JSON in SSE data: ${truncate(data, 120)}`);
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      control.failed(at, 'malformed_event', `SSE data is not a JSON object: ${truncate(data, 120)}`);
      return;
    }
    this.#onChunk(at, parsed as StreamChunk);
  };

  #onChunk(at: number, chunk: StreamChunk): void {
    const control = this.#control;
    if ((chunk.error !== undefined && chunk.error !== null) || chunk.object === 'error') {
      control.failed(at, 'stream_error', truncate(jsonErrorMessage(chunk) ?? 'error object in stream'));
      return;
    }
    let completionTokens: number | undefined;
    const usage = chunk.usage;
    if (typeof usage === 'object' && usage !== null) {
      completionTokens = count(usage.completion_tokens);
      control.recorder.usage(count(usage.prompt_tokens), completionTokens);
    }

    let text: unknown;
    let reasoning: unknown;
    const choices = chunk.choices;
    const choice = Array.isArray(choices) ? (choices[0] as Choice | null | undefined) : undefined;
    if (typeof choice === 'object' && choice !== null) {
      if (this.#chat) {
        const delta = choice.delta;
        if (typeof delta === 'object' && delta !== null) {
          text = delta.content;
          reasoning = delta.reasoning_content ?? delta.reasoning;
        }
      } else {
        text = choice.text;
      }
    }
    const hasText = typeof text === 'string' && text.length > 0;
    const hasReasoning = typeof reasoning === 'string' && reasoning.length > 0;
    if (!hasText && !hasReasoning) {
      // Role-only first chunk, empty delta, finish_reason-only or usage-only chunk: no generated content.
      if (completionTokens !== undefined) this.#lastCompletionTokens = completionTokens;
      return;
    }

    if (this.#contentChunks === 0) this.#perChunkUsage = completionTokens !== undefined;
    let tokens: number | undefined;
    if (this.#perChunkUsage && completionTokens !== undefined) {
      tokens = Math.max(0, completionTokens - this.#lastCompletionTokens);
      this.#lastCompletionTokens = completionTokens;
    }
    this.#contentChunks++;
    const recorder = control.recorder;
    if (hasReasoning) {
      recorder.content(at, 'reasoning', reasoning as string, tokens);
      // A chunk with both kinds: its token delta is counted once, on the reasoning part.
      if (tokens !== undefined) tokens = 0;
    }
    if (hasText) recorder.content(at, 'text', text as string, tokens);
  }
}

/** A non-negative integer count, or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The message of an `event: error` payload (JSON error object or plain text). */
function streamErrorMessage(data: string): string {
  try {
    const message = jsonErrorMessage(JSON.parse(data) as unknown);
    if (message !== undefined) return truncate(message);
  } catch {
    // plain-text payload
  }
  return data.trim() === '' ? 'error event in stream' : truncate(data);
}
