/**
 * The framing of a container's output inside a SageMaker response stream. SageMaker forwards the container's bytes in
 * `PayloadPart`s cut at arbitrary offsets; what those bytes are depends on the container:
 *
 * - Server-Sent Events (`data:{...}\n\n`): TGI, its Messages API, LMI with the SSE / TGI-compatible output formatter;
 * - JSON lines (`{...}\n` per event): LMI's default for `stream: true`, for its TGI-like schema and for chat chunks.
 *
 * {@link createFramedBody} detects which from the first non-blank byte (`{` starts a JSON line; an SSE line never
 * does) and hands an SSE consumer ({@link StreamBody}) an event stream either way: each complete JSON line becomes one
 * `data:` event. Lines are cut on LF bytes, which never occur inside a multi-byte UTF-8 character, so a character split
 * across parts is decoded whole; the SSE path relies on {@link SseParser}, which handles every split.
 */
import type { StreamBody } from './http-exchange.js';
import { SseLineTooLongError } from './sse.js';

const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const DATA_PREFIX = Buffer.from('data: ');
const EVENT_END = Buffer.from('\n\n');
const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** Container output framings. */
export type Framing = 'sse' | 'json-lines';

/**
 * What to add when a JSON-lines stream ends, given its last line: JSON lines have no end-of-stream marker, so a
 * consumer that needs one (the OpenAI stream's `[DONE]`) gets it here when the last line shows a finished response.
 */
export type JsonLinesEnd = (lastLine: string) => string | undefined;

/** An SSE consumer fed from either framing. `framing` reports the detected one (undefined before the first byte). */
export interface FramedBody extends StreamBody {
  readonly framing: Framing | undefined;
}

/** Wrap `inner` (an SSE consumer) so it also reads JSON lines. */
export function createFramedBody(inner: StreamBody, onJsonLinesEnd?: JsonLinesEnd): FramedBody {
  return new AutoFraming(inner, onJsonLinesEnd);
}

class AutoFraming implements FramedBody {
  readonly #inner: StreamBody;
  readonly #onJsonLinesEnd: JsonLinesEnd | undefined;
  #framing: Framing | undefined;
  /** Blank bytes seen before the framing was known. */
  #held: Buffer[] = [];
  /** Bytes of a JSON line that started in an earlier part. */
  #partial: Buffer[] = [];
  #partialBytes = 0;
  #lastLine: Buffer | undefined;

  constructor(inner: StreamBody, onJsonLinesEnd: JsonLinesEnd | undefined) {
    this.#inner = inner;
    this.#onJsonLinesEnd = onJsonLinesEnd;
  }

  get framing(): Framing | undefined {
    return this.#framing;
  }

  data(at: number, chunk: Buffer): void {
    if (this.#framing === 'sse') {
      this.#inner.data(at, chunk);
      return;
    }
    if (this.#framing === 'json-lines') {
      this.#lines(at, chunk);
      return;
    }
    let i = 0;
    while (i < chunk.length && isBlank(chunk[i] ?? 0)) i++;
    if (i === chunk.length) {
      this.#held.push(Buffer.from(chunk));
      return;
    }
    this.#framing = chunk[i] === OPEN_BRACE ? 'json-lines' : 'sse';
    const all = this.#held.length === 0 ? chunk : Buffer.concat([...this.#held, chunk]);
    this.#held = [];
    this.data(at, all);
  }

  end(at: number): void {
    if (this.#framing === 'json-lines') {
      if (this.#partialBytes > 0) this.#emit(at, [this.#takeLine(Buffer.alloc(0))]);
      const last = this.#lastLine;
      const extra = last === undefined ? undefined : this.#onJsonLinesEnd?.(last.toString('utf8'));
      if (extra !== undefined) this.#inner.data(at, Buffer.from(extra));
    }
    this.#inner.end(at);
  }

  /** Split complete lines out of `chunk` and hand them on as events; keep the unfinished tail. */
  #lines(at: number, chunk: Buffer): void {
    const lines: Buffer[] = [];
    let start = 0;
    for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, start)) {
      lines.push(this.#takeLine(chunk.subarray(start, lf)));
      start = lf + 1;
    }
    if (start < chunk.length) {
      this.#partialBytes += chunk.length - start;
      if (this.#partialBytes > MAX_LINE_BYTES) throw new SseLineTooLongError(MAX_LINE_BYTES);
      this.#partial.push(Buffer.from(chunk.subarray(start)));
    }
    this.#emit(at, lines);
  }

  /** The whole line ending with `tail` (the pending start prepended, a trailing CR dropped). */
  #takeLine(tail: Buffer): Buffer {
    let line = tail;
    if (this.#partialBytes > 0) {
      line = Buffer.concat([...this.#partial, tail]);
      this.#partial = [];
      this.#partialBytes = 0;
    }
    return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
  }

  #emit(at: number, lines: readonly Buffer[]): void {
    const parts: Buffer[] = [];
    let last: Buffer | undefined;
    for (const line of lines) {
      if (line.every(isBlank)) continue;
      parts.push(DATA_PREFIX, line, EVENT_END);
      last = line;
    }
    if (last === undefined) return;
    this.#lastLine = Buffer.from(last);
    this.#inner.data(at, Buffer.concat(parts));
  }
}

/** ASCII whitespace between events. */
function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === LF || byte === CR;
}
