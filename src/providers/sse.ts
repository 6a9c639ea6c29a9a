/**
 * Incremental Server-Sent Events parser working on bytes, following the WHATWG "event stream interpretation" rules
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
 * CRLF, LF or CR line endings; ":" comment lines; `data:` lines joined with "\n"; `event:`, `id:` and `retry:`
 * fields; a field with no colon has an empty value; one space after the colon is dropped; a leading UTF-8 BOM is
 * skipped; a blank line dispatches the event.
 *
 * It is on the hot path (every streamed chunk), so lines are found with native byte searches, only complete lines
 * are decoded (a line terminator byte is never part of a multi-byte UTF-8 sequence, so a complete line never splits a
 * character), and only a line that spans chunks is copied into a reusable buffer. The result is the same for every
 * split of the byte stream.
 *
 * One deliberate difference from EventSource: {@link SseParser.end} dispatches a final event that was not followed by
 * a blank line (EventSource discards it), because some servers end the body right after their last `data:` line.
 */

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

/** One dispatched event. */
export interface SseEvent {
  /** The `event:` field, or "message" when the event had none. */
  readonly type: string;
  /** The event's `data:` lines joined with "\n". */
  readonly data: string;
  /** The last event id set on the stream so far (it persists across events, as in EventSource). */
  readonly id: string;
}

/** Thrown by {@link SseParser.push} / {@link SseParser.end} when one line exceeds the parser's `maxLineBytes`. */
export class SseLineTooLongError extends Error {
  constructor(readonly maxLineBytes: number) {
    super(`SSE line longer than ${maxLineBytes} bytes`);
    this.name = 'SseLineTooLongError';
  }
}

export interface SseParserOptions {
  /** Longest line accepted, in bytes (default 8 MiB); protects memory against a body that never ends a line. */
  readonly maxLineBytes?: number;
}

/**
 * Parses one event stream. Feed body chunks in order with {@link push}, then call {@link end} once. Events are
 * delivered synchronously to `onEvent` while `push`/`end` run; an exception thrown by `onEvent` propagates.
 */
export class SseParser {
  readonly #onEvent: (event: SseEvent) => void;
  readonly #maxLineBytes: number;
  /** Bytes of a line that started in an earlier chunk (only [0, #pendingLen) is meaningful). */
  #pending: Buffer = EMPTY;
  #pendingLen = 0;
  /** The previous chunk ended with CR: a LF at the start of the next chunk belongs to that CRLF. */
  #skipLF = false;
  #firstLine = true;
  #data = '';
  #dataLines = 0;
  #type = '';
  #lastId = '';
  #retry: number | undefined;

  constructor(onEvent: (event: SseEvent) => void, options: SseParserOptions = {}) {
    this.#onEvent = onEvent;
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** The reconnection time from the last valid `retry:` field, in milliseconds, if any. */
  get retry(): number | undefined {
    return this.#retry;
  }

  /** Parse the next chunk of the byte stream. */
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const len = buf.length;
    if (len === 0) return;
    let pos = 0;
    if (this.#skipLF) {
      this.#skipLF = false;
      if (buf[0] === LF) pos = 1;
    }
    // Positions of the next LF / CR at or after `pos`; -1 = none in this chunk, -2 = not searched yet.
    let lf = -2;
    let cr = -2;
    while (pos < len) {
      if (lf !== -1 && lf < pos) lf = buf.indexOf(LF, pos);
      if (cr !== -1 && cr < pos) cr = buf.indexOf(CR, pos);
      const end = lf === -1 ? cr : cr === -1 || lf < cr ? lf : cr;
      if (end === -1) {
        this.#appendPending(buf, pos, len);
        return;
      }
      if (this.#pendingLen > 0) {
        this.#appendPending(buf, pos, end);
        const n = this.#pendingLen;
        this.#pendingLen = 0;
        this.#line(this.#pending, 0, n);
      } else {
        if (end - pos > this.#maxLineBytes) throw new SseLineTooLongError(this.#maxLineBytes);
        this.#line(buf, pos, end);
      }
      pos = end + 1;
      if (end === cr) {
        if (pos === len) this.#skipLF = true;
        else if (buf[pos] === LF) pos++;
      }
    }
  }

  /** The byte stream ended: parse an unterminated last line and dispatch the pending event, if any. */
  end(): void {
    if (this.#pendingLen > 0) {
      const n = this.#pendingLen;
      this.#pendingLen = 0;
      this.#line(this.#pending, 0, n);
    }
    this.#skipLF = false;
    this.#dispatch();
  }

  #appendPending(buf: Buffer, start: number, end: number): void {
    const need = this.#pendingLen + (end - start);
    if (need > this.#maxLineBytes) throw new SseLineTooLongError(this.#maxLineBytes);
    if (need > this.#pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.#pending.length * 2, 256));
      this.#pending.copy(grown, 0, 0, this.#pendingLen);
      this.#pending = grown;
    }
    buf.copy(this.#pending, this.#pendingLen, start, end);
    this.#pendingLen = need;
  }

  /** Process one complete line `buf[start, end)` (terminator excluded). */
  #line(buf: Buffer, start: number, end: number): void {
    let s = start;
    if (this.#firstLine) {
      this.#firstLine = false;
      if (end - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3;
    }
    if (s === end) {
      this.#dispatch();
      return;
    }
    if (buf[s] === COLON) return; // comment (keep-alive ping)
    let colon = s;
    while (colon < end && buf[colon] !== COLON) colon++;
    let v = colon < end ? colon + 1 : end;
    if (v < end && buf[v] === SPACE) v++;
    switch (colon - s) {
      case 4: // data
        if (buf[s] === 0x64 && buf[s + 1] === 0x61 && buf[s + 2] === 0x74 && buf[s + 3] === 0x61) {
          const value = v < end ? buf.toString('utf8', v, end) : '';
          this.#data = this.#dataLines === 0 ? value : this.#data + '\n' + value;
          this.#dataLines++;
        }
        return;
      case 5:
        if (matches(buf, s, 'event')) this.#type = buf.toString('utf8', v, end);
        else if (matches(buf, s, 'retry')) this.#setRetry(buf, v, end);
        return;
      case 2: // id (ignored when the value contains NULL)
        if (buf[s] === 0x69 && buf[s + 1] === 0x64) {
          for (let i = v; i < end; i++) if (buf[i] === 0) return;
          this.#lastId = buf.toString('utf8', v, end);
        }
        return;
      default:
        return; // unknown field: ignored
    }
  }

  #setRetry(buf: Buffer, start: number, end: number): void {
    if (start === end) return;
    let value = 0;
    for (let i = start; i < end; i++) {
      const d = (buf[i] ?? 0) - 0x30;
      if (d < 0 || d > 9) return;
      value = value * 10 + d;
    }
    this.#retry = value;
  }

  #dispatch(): void {
    if (this.#dataLines === 0) {
      this.#type = '';
      return;
    }
    const event: SseEvent = {
      type: this.#type === '' ? 'message' : this.#type,
      data: this.#data,
      id: this.#lastId,
    };
    this.#data = '';
    this.#dataLines = 0;
    this.#type = '';
    this.#onEvent(event);
  }
}

const EMPTY = Buffer.alloc(0);

/** Whether the bytes at `buf[s]` spell the ASCII `name`. */
function matches(buf: Buffer, s: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (buf[s + i] !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** Parse a whole byte stream at once (tests, fixtures, tools). */
export function parseSse(bytes: Uint8Array): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((event) => events.push(event));
  parser.push(bytes);
  parser.end();
  return events;
}
