/**
 * Interprets a Text Generation Inference token stream (`/generate_stream`, and the same events from TGI and LMI
 * containers on SageMaker): one event per generated token, `{"index", "token": {"id", "text", "logprob", "special"},
 * "generated_text", "details"}`. The last token's event carries `generated_text` and, when asked for, `details` with
 * `generated_tokens` (the output token count, reported as usage) and `input_length`. TGI ends the stream after it; there
 * is no `[DONE]`, so a body that ends before that event is a cut stream.
 *
 * Special tokens (`</s>`, `<|eot_id|>`, ...) are generated and counted by the server but are not content. LMI's variant
 * (`log_prob`, `special_token`, an error reported as `details.finish_reason: "error"`) is read too.
 *
 * Error events `{"error": message, "error_type": type}` end the stream. TGI sends every error of /generate_stream this
 * way on an HTTP 200 response, including those that refuse the request before any token: before the first token,
 * `overloaded` is categorised http_429 and `validation` http_4xx (what they would be as HTTP statuses); every other
 * error, and any error after content, is a stream_error.
 */
import type { ExchangeControl, StreamBody } from './http-exchange.js';
import { truncate } from './http-errors.js';
import { SseParser } from './sse.js';
import type { SseEvent } from './sse.js';
import type { ErrorCategory } from './types.js';

/** The parts of a TGI / LMI stream event this provider reads (everything is optional on the wire). */
interface TgiEvent {
  readonly token?: {
    readonly text?: unknown;
    readonly special?: unknown;
    readonly special_token?: unknown;
  } | null;
  readonly generated_text?: unknown;
  readonly details?: {
    readonly finish_reason?: unknown;
    readonly generated_tokens?: unknown;
    readonly input_length?: unknown;
  } | null;
  readonly error?: unknown;
  readonly error_type?: unknown;
  readonly code?: unknown;
}

/** A {@link StreamBody} for one TGI token stream (Server-Sent Events). */
export function createTgiStreamBody(control: ExchangeControl): StreamBody {
  return new TgiStream(control);
}

class TgiStream implements StreamBody {
  readonly #control: ExchangeControl;
  readonly #parser: SseParser;
  /** Arrival stamp of the body chunk being parsed. */
  #at = 0;
  #contentChunks = 0;

  constructor(control: ExchangeControl) {
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
    if (!this.#control.settled) {
      this.#control.failed(
        at,
        'stream_cut',
        `stream ended without its final event (generated_text / details) after ${this.#contentChunks} content chunks`,
      );
    }
  }

  readonly #onEvent = (event: SseEvent): void => {
    const control = this.#control;
    if (control.settled) return;
    const at = this.#at;
    const data = event.data;
    if (event.type === 'error') {
      control.failed(at, 'stream_error', truncate(data.trim() === '' ? 'error event in stream' : data));
      return;
    }
    // Keep-alive payloads, and the [DONE] some TGI-compatible servers add: nothing to read.
    if (data.length === 0 || data === '[DONE]') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      control.failed(at, 'malformed_event', `invalid JSON in stream event: ${truncate(data, 120)}`);
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      control.failed(at, 'malformed_event', `stream event is not a JSON object: ${truncate(data, 120)}`);
      return;
    }
    this.#onTgiEvent(at, parsed as TgiEvent);
  };

  #onTgiEvent(at: number, event: TgiEvent): void {
    const control = this.#control;
    if (event.error !== undefined && event.error !== null) {
      const message = typeof event.error === 'string' ? event.error : JSON.stringify(event.error);
      const type = typeof event.error_type === 'string' ? event.error_type : undefined;
      const category = this.#contentChunks === 0 ? refusalCategory(type, event.code) : 'stream_error';
      control.failed(
        at,
        category,
        truncate(`error event${type === undefined ? '' : ` (${type})`}: ${message}`),
      );
      return;
    }
    const token = event.token;
    if (typeof token === 'object' && token !== null) {
      const text = token.text;
      const special = token.special === true || token.special_token === true;
      if (!special && typeof text === 'string' && text.length > 0) {
        this.#contentChunks++;
        control.recorder.content(at, 'text', text);
      }
    }
    const details = event.details;
    if (typeof details === 'object' && details !== null) {
      if (details.finish_reason === 'error') {
        control.failed(at, 'stream_error', 'the server ended generation with finish_reason "error"');
        return;
      }
      const generated = count(details.generated_tokens);
      if (generated !== undefined) control.recorder.usage(count(details.input_length), generated);
    }
    const final =
      typeof event.generated_text === 'string' || (typeof details === 'object' && details !== null);
    if (final) control.ended(at);
  }
}

/** Category of an error event that arrived before any content: the request was refused rather than cut. */
function refusalCategory(errorType: string | undefined, code: unknown): ErrorCategory {
  if (errorType === 'overloaded' || code === 429) return 'http_429';
  if (errorType === 'validation' || (typeof code === 'number' && code >= 400 && code < 500))
    return 'http_4xx';
  return 'stream_error';
}

/** A non-negative finite count, or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
