/**
 * The exchange's "stamp early, parse later" rule, driven through undici's handler interface by a fake dispatcher, so
 * that a burst of reads from several responses can be delivered in one synchronous run, as undici's poll-phase
 * callbacks deliver them.
 */
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { runExchange } from '../../src/providers/http-exchange.js';
import { createOpenAIStreamBody } from '../../src/providers/openai-stream.js';
import { CollectingRecorder } from './collecting-recorder.js';

/** One dispatched request: drive its response with the handler's callbacks. */
interface Dispatched {
  readonly handler: Dispatcher.DispatchHandler;
  readonly controller: Dispatcher.DispatchController;
  aborted: unknown;
}

/** A dispatcher that records handlers and lets the test play the responses. */
class FakeDispatcher {
  readonly dispatched: Dispatched[] = [];

  dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const entry: Dispatched = {
      handler,
      aborted: undefined,
      controller: {
        abort: (reason: Error) => {
          entry.aborted = reason;
        },
        pause: () => {},
        resume: () => {},
        aborted: false,
        paused: false,
        reason: null,
      },
    };
    this.dispatched.push(entry);
    handler.onRequestStart?.(entry.controller, {});
    return true;
  }
}

const chunk = (text: string): Buffer =>
  Buffer.from(`data: {"choices":[{"index":0,"delta":{"content":"${text}"}}]}\n\n`);
const DONE = Buffer.from('data: [DONE]\n\n');

/** Start `n` OpenAI chat exchanges on a fake dispatcher, with a clock that counts the contents parsed before it. */
function start(n: number, signals: AbortSignal[] = []) {
  const fake = new FakeDispatcher();
  const recorders: CollectingRecorder[] = [];
  let parsed = 0;
  /** For every clock reading: how many content chunks had been parsed when it was taken. */
  const parsedAtStamp: number[] = [];
  const clock = (): number => {
    parsedAtStamp.push(parsed);
    return parsedAtStamp.length;
  };
  const done = Array.from({ length: n }, (_, i) => {
    const recorder = new CollectingRecorder();
    const content = recorder.content.bind(recorder);
    recorder.content = (...args) => {
      parsed++;
      content(...args);
    };
    recorders.push(recorder);
    return runExchange({
      dispatcher: fake as unknown as Dispatcher,
      request: { origin: 'http://127.0.0.1:1', path: '/v1/chat/completions', method: 'POST' },
      clock,
      recorder,
      signal: signals[i] ?? new AbortController().signal,
      url: 'http://127.0.0.1:1/v1/chat/completions',
      secrets: [],
      body: (control) => createOpenAIStreamBody('chat', control),
    });
  });
  for (const d of fake.dispatched) d.handler.onResponseStart?.(d.controller, 200, {}, 'OK');
  return { fake, recorders, done, parsedAtStamp };
}

describe('runExchange', () => {
  it('stamps every read of a burst before parsing any of them, and parses them in arrival order', async () => {
    const { fake, recorders, done, parsedAtStamp } = start(3);
    const stampsBefore = parsedAtStamp.length;
    for (const d of fake.dispatched) d.handler.onResponseData?.(d.controller, chunk('a'));
    for (const d of fake.dispatched)
      d.handler.onResponseData?.(d.controller, Buffer.concat([chunk('b'), DONE]));
    for (const d of fake.dispatched) d.handler.onResponseEnd?.(d.controller, {});
    // Six reads and three ends, all stamped while nothing was parsed yet.
    expect(parsedAtStamp.slice(stampsBefore)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(recorders.every((r) => r.contents.length === 0)).toBe(true);
    await Promise.all(done);
    recorders.forEach((r, i) => {
      expect(r.contents.map((c) => [c.at, c.text])).toEqual([
        [stampsBefore + 1 + i, 'a'],
        [stampsBefore + 4 + i, 'b'],
      ]);
      expect(r.endedAt).toBe(stampsBefore + 4 + i);
      expect(r.terminalCalls).toBe(1);
    });
  });

  it('handles the end or failure of a response behind the chunks still queued for it', async () => {
    const { fake, recorders, done } = start(2);
    const [cut, reset] = fake.dispatched;
    // A body that ends right after a content chunk: the end is handled after the chunk, as a cut stream.
    cut!.handler.onResponseData?.(cut!.controller, chunk('x'));
    cut!.handler.onResponseEnd?.(cut!.controller, {});
    // A socket error right after the terminal event: the response already ended cleanly.
    reset!.handler.onResponseData?.(reset!.controller, Buffer.concat([chunk('y'), DONE]));
    reset!.handler.onResponseError?.(
      reset!.controller,
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    );
    await Promise.all(done);
    expect(recorders[0]!.contents.map((c) => c.text)).toEqual(['x']);
    expect(recorders[0]!.failure?.category).toBe('stream_cut');
    expect(recorders[1]!.contents.map((c) => c.text)).toEqual(['y']);
    expect(recorders[1]!.failure).toBeUndefined();
    expect(recorders[1]!.endedAt).toBeDefined();
    expect(recorders.map((r) => r.terminalCalls)).toEqual([1, 1]);
  });

  it('fails an aborted request at once and ignores the chunks it still had queued', async () => {
    const abort = new AbortController();
    const { fake, recorders, done } = start(1, [abort.signal]);
    const d = fake.dispatched[0]!;
    d.handler.onResponseData?.(d.controller, chunk('late'));
    abort.abort(new Error('run cancelled'));
    await done[0];
    expect(recorders[0]!.failure?.category).toBe('aborted');
    expect(d.aborted).toBeInstanceOf(Error);
    await new Promise((resolve) => setImmediate(resolve));
    expect(recorders[0]!.contents).toEqual([]);
    expect(recorders[0]!.terminalCalls).toBe(1);
  });
});
