import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSse, SseLineTooLongError, SseParser } from '../../src/providers/sse.js';
import type { SseEvent } from '../../src/providers/sse.js';

const WIRE = join(import.meta.dirname, '../../fixtures/wire');
const FIXTURES = readdirSync(WIRE)
  .filter((f) => f.endsWith('.sse'))
  .sort()
  .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(WIRE, name))) }));

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const parse = (s: string): SseEvent[] => parseSse(enc(s));

/** Parse `bytes` fed in pieces cut at `offsets`. */
function parseSplit(bytes: Uint8Array, offsets: readonly number[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  let start = 0;
  for (const offset of [...offsets].sort((a, b) => a - b)) {
    parser.push(bytes.subarray(start, Math.max(start, offset)));
    start = Math.max(start, offset);
  }
  parser.push(bytes.subarray(start));
  parser.end();
  return events;
}

/** Rewrite LF line endings to `eol`. */
function withEol(bytes: Uint8Array, eol: string): Uint8Array {
  return enc(new TextDecoder().decode(bytes).replaceAll('\n', eol));
}

const ev = (data: string, type = 'message', id = ''): SseEvent => ({ type, data, id });

describe('SseParser (WHATWG rules)', () => {
  it('joins multi-line data with "\\n" and strips one leading space', () => {
    expect(parse('data: YHOO\ndata: +2\ndata: 10\n\n')).toEqual([ev('YHOO\n+2\n10')]);
    expect(parse('data:test\n\ndata: test\n\ndata:  two spaces\n\n')).toEqual([
      ev('test'),
      ev('test'),
      ev(' two spaces'),
    ]);
  });

  it('follows the specification example with comments, ids and a final unterminated event', () => {
    const stream =
      ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n';
    // EventSource would discard the unterminated third event; this parser flushes it at end().
    expect(parse(stream)).toEqual([
      ev('first event', 'message', '1'),
      ev('second event'),
      ev(' third event'),
    ]);
  });

  it('treats a field without a colon as an empty value', () => {
    expect(parse('data\n\ndata\ndata\n\ndata:')).toEqual([ev(''), ev('\n'), ev('')]);
  });

  it('sets the event type per event and keeps the last id across events', () => {
    expect(parse('event: add\nid: 7\ndata: 1\n\ndata: 2\n\nevent: \ndata: 3\n\n')).toEqual([
      ev('1', 'add', '7'),
      ev('2', 'message', '7'),
      ev('3', 'message', '7'),
    ]);
  });

  it('resets the event type when a blank line dispatches no data', () => {
    expect(parse('event: foo\n\ndata: x\n\n')).toEqual([ev('x')]);
  });

  it('ignores an id containing NULL and unknown fields', () => {
    expect(parse('id: a\u0000b\nfoo: bar\ndata: x\n\n')).toEqual([ev('x')]);
  });

  it('reads retry only when it is all ASCII digits', () => {
    const parser = new SseParser(() => undefined);
    parser.push(enc('retry: 1500\n\nretry: 10x\n\nretry:\n\n'));
    parser.end();
    expect(parser.retry).toBe(1500);
  });

  it('skips one leading BOM only', () => {
    expect(parse('\uFEFFdata: a\n\n\uFEFFdata: b\n\n')).toEqual([ev('a')]);
    expect(parse('\uFEFF\uFEFFdata: a\n\n')).toEqual([]);
  });

  it('accepts CR, LF and CRLF line endings, mixed', () => {
    expect(parse('data: a\rdata: b\r\ndata: c\n\r\n:c\r\rdata: d\n\n')).toEqual([ev('a\nb\nc'), ev('d')]);
  });

  it('does not turn a CR at the end of one chunk and a LF at the start of the next into two lines', () => {
    expect(parseSplit(enc('data: a\r\n\r\ndata: b\r\n\r\n'), [8, 9, 10])).toEqual([ev('a'), ev('b')]);
  });

  it('dispatches nothing for comments only and an empty stream', () => {
    expect(parse(': ping\n\n: ping\n\n')).toEqual([]);
    expect(parse('')).toEqual([]);
  });

  it('rejects a line longer than maxLineBytes whether or not it spans chunks', () => {
    const line = enc(`data: ${'x'.repeat(100)}\n\n`);
    const whole = new SseParser(() => undefined, { maxLineBytes: 64 });
    expect(() => whole.push(line)).toThrow(SseLineTooLongError);
    const split = new SseParser(() => undefined, { maxLineBytes: 64 });
    expect(() => {
      split.push(line.subarray(0, 40));
      split.push(line.subarray(40));
    }).toThrow(SseLineTooLongError);
  });
});

describe('SseParser on recorded streams', () => {
  it('finds the expected events in every fixture', () => {
    const counts = Object.fromEntries(FIXTURES.map((f) => [f.name, parseSse(f.bytes).length]));
    expect(counts).toEqual({
      'error-in-stream.sse': 5,
      'keepalive-fields.sse': 6,
      'vllm-chat-continuous-usage.sse': 9,
      'vllm-chat-crlf.sse': 15,
      'vllm-chat-usage.sse': 15,
      'vllm-completions.sse': 11,
      'vllm-reasoning.sse': 16,
    });
    for (const f of FIXTURES) {
      const events = parseSse(f.bytes);
      expect(events.at(-1)?.data, f.name).toBe('[DONE]');
      for (const e of events.slice(0, -1)) expect(() => JSON.parse(e.data) as unknown, f.name).not.toThrow();
    }
  });

  it('gives the same events for every split, including 1-byte pieces', () => {
    for (const f of FIXTURES) {
      const whole = parseSse(f.bytes);
      const everyByte = Array.from({ length: f.bytes.length }, (_, i) => i);
      expect(parseSplit(f.bytes, everyByte), f.name).toEqual(whole);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: f.bytes.length }), { maxLength: 40 }), (offsets) => {
          expect(parseSplit(f.bytes, offsets)).toEqual(whole);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('gives the same events with LF, CRLF and CR line endings', () => {
    const lf = FIXTURES.find((f) => f.name === 'vllm-chat-usage.sse');
    const crlf = FIXTURES.find((f) => f.name === 'vllm-chat-crlf.sse');
    expect(parseSse(crlf?.bytes ?? new Uint8Array())).toEqual(parseSse(lf?.bytes ?? new Uint8Array()));
    for (const f of FIXTURES) {
      const whole = parseSse(f.bytes);
      for (const eol of ['\r\n', '\r']) {
        const variant = withEol(f.bytes, eol);
        expect(parseSse(variant), `${f.name} ${JSON.stringify(eol)}`).toEqual(whole);
        fc.assert(
          fc.property(fc.array(fc.integer({ min: 0, max: variant.length }), { maxLength: 30 }), (offsets) => {
            expect(parseSplit(variant, offsets)).toEqual(whole);
          }),
          { numRuns: 50 },
        );
      }
    }
  });

  it('keeps multi-byte UTF-8 (CJK, emoji) intact across any split', () => {
    const f = FIXTURES.find((x) => x.name === 'vllm-chat-usage.sse');
    const text = parseSse(f?.bytes ?? new Uint8Array())
      .slice(0, -1)
      .map(
        (e) =>
          (JSON.parse(e.data) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content,
      )
      .join('');
    expect(text).toBe('Hello! The café in 東京 serves great coffee 🚀.');
  });
});

describe('SseParser on generated streams', () => {
  // Field values may hold any Unicode except line terminators (which would end the line).
  const value = fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replace(/[\r\n\0]/g, '_'));
  const event = fc.record({
    type: fc.option(
      value.filter((s) => s !== ''),
      { nil: undefined },
    ),
    id: fc.option(value, { nil: undefined }),
    data: fc.array(value, { minLength: 1, maxLength: 4 }),
    comment: fc.boolean(),
  });
  const eol = fc.constantFrom('\n', '\r', '\r\n');

  it('recovers every event for any line endings and any split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(event, eol), { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 30 }),
        (events, bom, cuts) => {
          let text = bom ? '\uFEFF' : '';
          const expected: SseEvent[] = [];
          let lastId = '';
          for (const [e, nl] of events) {
            if (e.comment) text += `: keep-alive${nl}`;
            if (e.type !== undefined) text += `event: ${e.type}${nl}`;
            if (e.id !== undefined) {
              text += `id: ${e.id}${nl}`;
              lastId = e.id;
            }
            for (const line of e.data) text += `data: ${line}${nl}`;
            text += nl;
            expected.push({ type: e.type ?? 'message', data: e.data.join('\n'), id: lastId });
          }
          const bytes = enc(text);
          expect(
            parseSplit(
              bytes,
              cuts.map((c) => c % (bytes.length + 1)),
            ),
          ).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});
