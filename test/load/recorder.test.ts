import { describe, expect, it } from 'vitest';
import { RequestRecorder } from '../../src/load/recorder.js';

const words = (text: string): number => text.split(' ').filter(Boolean).length;

function recorder(expectedChunks = 4): RequestRecorder {
  const r = new RequestRecorder(
    {
      scenario: 's',
      index: 3,
      warmup: false,
      requestId: 'lpg-s-m3',
      inputTokens: 100,
      requestedOutputTokens: 4,
      originMs: 1000,
      scheduledMs: 1001,
    },
    expectedChunks,
  );
  r.markSent(1002);
  return r;
}

describe('RequestRecorder', () => {
  it('records times relative to the scenario origin and counts tokens from usage', () => {
    const r = recorder();
    r.connected(0.75);
    r.responseStarted(1010, 200);
    r.content(1020, 'text', ' a');
    r.content(1030, 'text', ' b');
    r.content(1045, 'text', ' c');
    r.usage(105, 3);
    r.ended(1050);
    expect(r.finish(words)).toEqual({
      scenario: 's',
      index: 3,
      warmup: false,
      requestId: 'lpg-s-m3',
      scheduledMs: 1,
      sentMs: 2,
      connectMs: 0.75,
      responseMs: 10,
      firstTokenMs: 20,
      endMs: 50,
      chunkMs: [20, 30, 45],
      chunkTokens: [1, 1, 1],
      inputTokens: 100,
      inputTokensUsage: 105,
      requestedOutputTokens: 4,
      outputTokens: 3,
      outputTokensSource: 'usage',
      outputTokensUsage: 3,
      outputTokensTokenizer: 3,
      outcome: 'ok',
    });
  });

  it('marks the first answer token when reasoning came first', () => {
    const r = recorder();
    r.content(1010, 'reasoning', ' think');
    r.content(1020, 'reasoning', ' more');
    r.content(1030, 'text', ' answer');
    r.ended(1040);
    const rec = r.finish(words);
    expect(rec.firstTokenMs).toBe(10);
    expect(rec.firstAnswerMs).toBe(30);
    expect(rec.outputTokensSource).toBe('tokenizer');
  });

  it('grows past its initial capacity without losing chunks', () => {
    const r = recorder(1);
    for (let i = 0; i < 1000; i++) r.content(1003 + i, 'text', ' w', 1);
    r.ended(3000);
    const rec = r.finish(words);
    expect(rec.chunkMs).toHaveLength(1000);
    expect(rec.chunkMs[999]).toBe(1002);
    expect(rec.outputTokens).toBe(1000);
  });

  it('leaves absent optional fields out of the record, keeping the JSONL key order', () => {
    const r = recorder();
    r.content(1020, 'text', ' a');
    r.ended(1030);
    const rec = r.finish(words);
    expect(Object.keys(rec)).toEqual([
      'scenario',
      'index',
      'warmup',
      'requestId',
      'scheduledMs',
      'sentMs',
      'firstTokenMs',
      'endMs',
      'chunkMs',
      'chunkTokens',
      'inputTokens',
      'requestedOutputTokens',
      'outputTokens',
      'outputTokensSource',
      'outputTokensTokenizer',
      'outcome',
    ]);
    expect(Object.values(rec)).not.toContain(undefined);
  });

  it('counts the tokenizer over the whole text of a long response', () => {
    const r = recorder(4096);
    for (let i = 0; i < 1000; i++) r.content(1003 + i, 'text', i % 2 === 0 ? ' two words' : ' one');
    r.ended(3000);
    const rec = r.finish(words);
    expect(rec.outputTokensTokenizer).toBe(1500);
    expect(rec.outputTokens).toBe(1500);
    expect(rec.outputTokensSource).toBe('tokenizer');
  });

  it('turns engine aborts into timeout categories, cut-offs and cancellations', () => {
    const before = recorder();
    before.markAborted('timeout');
    before.failed(1100, 'aborted', 'AbortError');
    expect(before.finish(words).error?.category).toBe('timeout_before_first_token');

    const during = recorder();
    during.content(1010, 'text', ' a');
    during.markAborted('timeout');
    during.failed(1100, 'stream_cut', 'socket closed');
    expect(during.finish(words)).toMatchObject({
      outcome: 'error',
      error: { category: 'timeout_during_stream' },
    });

    const cut = recorder();
    cut.content(1010, 'text', ' a');
    cut.markAborted('cutoff');
    cut.failed(1100, 'aborted', 'AbortError');
    expect(cut.finish(words).outcome).toBe('cut_off');

    const cancelled = recorder();
    cancelled.markAborted('cancelled');
    cancelled.failed(1100, 'aborted', 'AbortError');
    expect(cancelled.finish(words).error?.category).toBe('aborted');
  });

  it('keeps the provider category, detail and status for ordinary failures, and only the first settlement', () => {
    const r = recorder();
    r.failed(1005, 'http_429', 'HTTP 429: slow down', 429);
    r.ended(1006);
    r.content(1007, 'text', ' late');
    expect(r.finish(words)).toMatchObject({
      outcome: 'error',
      endMs: 5,
      chunkMs: [],
      error: { category: 'http_429', detail: 'HTTP 429: slow down', status: 429 },
    });
  });

  it('records a provider that returned without settling as a cut stream', () => {
    const r = recorder();
    r.content(1010, 'text', ' a');
    expect(r.finish(words)).toMatchObject({ outcome: 'error', error: { category: 'stream_cut' } });
  });
});
