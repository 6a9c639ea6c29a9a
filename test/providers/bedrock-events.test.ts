import {
  AccessDeniedException,
  BedrockRuntimeServiceException,
  ModelNotReadyException,
  ModelTimeoutException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { classifyBedrockError, isRetryableFailure } from '../../src/providers/bedrock-errors.js';
import { ConverseReader, InvokeReader, type EventControl } from '../../src/providers/bedrock-events.js';
import type { ErrorCategory } from '../../src/providers/types.js';
import { CollectingRecorder } from './collecting-recorder.js';

/** An EventControl over a CollectingRecorder that also keeps the server latency. */
class Control implements EventControl {
  readonly recorder = new CollectingRecorder();
  latency: number | undefined;
  settled = false;
  constructor() {
    const base = this.recorder.serverLatency.bind(this.recorder);
    this.recorder.serverLatency = ((ms: number) => {
      base();
      this.latency = ms;
    }) as () => void;
  }
  ended(at: number): void {
    this.settled = true;
    this.recorder.ended(at);
  }
  failed(at: number, category: ErrorCategory, detail: string): void {
    this.settled = true;
    this.recorder.failed(at, category, detail);
  }
}

const chunk = (payload: unknown) => ({ chunk: { bytes: new TextEncoder().encode(JSON.stringify(payload)) } });

describe('ConverseReader', () => {
  it('reports text and reasoning deltas, usage and latency from metadata, and ends there', () => {
    const c = new Control();
    const r = new ConverseReader(c);
    r.event(1, { messageStart: { role: 'assistant' } });
    r.event(2, { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'hmm' } } } });
    r.event(3, {
      contentBlockDelta: {
        contentBlockIndex: 0,
        delta: { reasoningContent: { redactedContent: new Uint8Array(3) } },
      },
    });
    r.event(4, { contentBlockStop: { contentBlockIndex: 0 } });
    r.event(5, { contentBlockDelta: { contentBlockIndex: 1, delta: { text: 'Hi' } } });
    r.event(6, { contentBlockDelta: { contentBlockIndex: 1, delta: { text: '' } } });
    r.event(7, { messageStop: { stopReason: 'end_turn' } });
    r.event(8, {
      metadata: { usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 }, metrics: { latencyMs: 42 } },
    });
    r.end(9);
    expect(c.recorder.contents.map((x) => [x.at, x.kind, x.text])).toEqual([
      [2, 'reasoning', 'hmm'],
      [3, 'reasoning', ''],
      [5, 'text', 'Hi'],
    ]);
    expect(c.recorder.usages).toEqual([[9, 3]]);
    expect(c.latency).toBe(42);
    expect(c.recorder.endedAt).toBe(8);
    expect(r.contentChunks).toBe(3);
  });

  it('ends at messageStop when the stream closes without metadata, and is cut without messageStop', () => {
    const a = new Control();
    const ra = new ConverseReader(a);
    ra.event(1, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'x' } } });
    ra.event(2, { messageStop: { stopReason: 'max_tokens' } });
    ra.end(5);
    expect(a.recorder.endedAt).toBe(2);
    const b = new Control();
    const rb = new ConverseReader(b);
    rb.event(1, { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'x' } } });
    rb.end(5);
    expect(b.recorder.failure).toMatchObject({
      at: 5,
      category: 'stream_cut',
      detail: expect.stringContaining('after 1 content chunks') as string,
    });
  });
});

describe('InvokeReader', () => {
  it('Llama chunks: text with per-chunk counts from the cumulative generation_token_count; metrics end it', () => {
    const c = new Control();
    const r = new InvokeReader(c);
    r.event(
      1,
      chunk({ generation: ' a', prompt_token_count: 7, generation_token_count: 1, stop_reason: null }),
    );
    r.event(
      2,
      chunk({ generation: ' b c', prompt_token_count: null, generation_token_count: 3, stop_reason: null }),
    );
    r.event(
      3,
      chunk({
        generation: '',
        generation_token_count: 3,
        stop_reason: 'stop',
        'amazon-bedrock-invocationMetrics': {
          inputTokenCount: 8,
          outputTokenCount: 3,
          invocationLatency: 120,
          firstByteLatency: 30,
        },
      }),
    );
    expect(c.recorder.contents.map((x) => [x.at, x.text, x.tokens])).toEqual([
      [1, ' a', 1],
      [2, ' b c', 2],
    ]);
    expect(c.recorder.usages.at(-1)).toEqual([8, 3]);
    expect(c.latency).toBe(120);
    expect(c.recorder.endedAt).toBe(3);
  });

  it('OpenAI chunks (chat deltas with reasoning, completion text) and Mistral outputs; a stop reason ends a clean stream', () => {
    const c = new Control();
    const r = new InvokeReader(c);
    r.event(1, chunk({ choices: [{ delta: { role: 'assistant', reasoning_content: 'think' } }] }));
    r.event(2, chunk({ choices: [{ delta: { content: 'Hi' }, finish_reason: null }] }));
    r.event(3, chunk({ choices: [{ text: ' there' }] }));
    r.event(4, chunk({ outputs: [{ text: '!', stop_reason: null }] }));
    r.event(
      5,
      chunk({
        choices: [{ delta: {}, finish_reason: 'length' }],
        usage: { prompt_tokens: 4, completion_tokens: 4 },
      }),
    );
    r.end(9);
    expect(c.recorder.contents.map((x) => [x.kind, x.text])).toEqual([
      ['reasoning', 'think'],
      ['text', 'Hi'],
      ['text', ' there'],
      ['text', '!'],
    ]);
    expect(c.recorder.usages).toEqual([[4, 4]]);
    expect(c.recorder.endedAt).toBe(5);
  });

  it('fails on bytes that are not JSON, unknown chunk formats and error objects; is cut without a final chunk', () => {
    const cases: [unknown, ErrorCategory, RegExp][] = [
      [{ chunk: { bytes: new TextEncoder().encode('{not json') } }, 'malformed_event', /not JSON/],
      [chunk([1, 2]), 'malformed_event', /not an object/],
      [
        chunk({ outputText: 'titan', index: 0 }),
        'malformed_event',
        /unsupported chunk format \(keys: outputText, index\)/,
      ],
      [chunk({ error: { message: 'boom' } }), 'stream_error', /boom/],
    ];
    for (const [event, category, detail] of cases) {
      const c = new Control();
      new InvokeReader(c).event(1, event as Parameters<InvokeReader['event']>[1]);
      expect(c.recorder.failure).toMatchObject({ category, detail: expect.stringMatching(detail) as string });
    }
    const cut = new Control();
    const r = new InvokeReader(cut);
    r.event(1, chunk({ generation: 'x', generation_token_count: 1, stop_reason: null }));
    r.end(2);
    expect(cut.recorder.failure).toMatchObject({ category: 'stream_cut' });
  });
});

describe('Bedrock error classification', () => {
  const before = { streaming: false, contentChunks: 0 };
  const during = { streaming: true, contentChunks: 4 };
  const meta = (status: number) => ({ $metadata: { httpStatusCode: status } });

  it('maps modelled exceptions before the stream by name', () => {
    const cases: [Error, ErrorCategory, number, boolean][] = [
      [new ThrottlingException({ message: 'slow down', ...meta(429) }), 'http_429', 429, true],
      [new ModelNotReadyException({ message: 'loading', ...meta(429) }), 'not_ready', 429, true],
      [new ModelTimeoutException({ message: 'too long', ...meta(408) }), 'http_5xx', 408, true],
      [new AccessDeniedException({ message: 'denied', ...meta(403) }), 'http_4xx', 403, false],
      [new ValidationException({ message: 'bad', ...meta(400) }), 'http_4xx', 400, false],
    ];
    for (const [error, category, status, retryable] of cases) {
      const failure = classifyBedrockError(error, before);
      expect(failure).toMatchObject({
        category,
        status,
        detail: `HTTP ${status} ${error.name}: ${error.message}`,
      });
      expect(isRetryableFailure(failure)).toBe(retryable);
    }
    const unknown = new BedrockRuntimeServiceException({
      name: 'UnrecognizedClientException',
      $fault: 'client',
      ...meta(403),
    });
    expect(classifyBedrockError(unknown, before)).toMatchObject({ category: 'http_4xx', status: 403 });
    const teapot = new BedrockRuntimeServiceException({
      name: 'SomethingNew',
      $fault: 'server',
      ...meta(502),
    });
    expect(classifyBedrockError(teapot, before).category).toBe('http_5xx');
  });

  it('keeps only the first line of a message (signature errors append the canonical request)', () => {
    const error = new BedrockRuntimeServiceException({
      name: 'InvalidSignatureException',
      $fault: 'client',
      message:
        'The request signature we calculated does not match.\n\nx-amz-security-token:SECRET-SESSION-TOKEN',
      ...meta(403),
    });
    const failure = classifyBedrockError(error, before);
    expect(failure.detail).not.toContain('SECRET');
    expect(failure.category).toBe('http_4xx');
  });

  it('maps exceptions mid-stream: throttling → http_429, others → stream_error, both naming the exception', () => {
    const throttled = classifyBedrockError(
      new ThrottlingException({ message: 'quota', $metadata: {} }),
      during,
    );
    expect(throttled).toMatchObject({
      category: 'http_429',
      detail: 'ThrottlingException mid-stream after 4 content chunks: quota',
    });
    expect(throttled).not.toHaveProperty('status');
    const error = new BedrockRuntimeServiceException({
      name: 'ModelStreamErrorException',
      $fault: 'client',
      $metadata: {},
    });
    expect(classifyBedrockError(error, during).category).toBe('stream_error');
  });

  it('maps decoding, truncation, socket and credential errors', () => {
    expect(
      classifyBedrockError(
        new Error('The message checksum (1) did not match the expected value of 2'),
        during,
      ).category,
    ).toBe('malformed_event');
    expect(classifyBedrockError(new SyntaxError('Unexpected token'), during).category).toBe(
      'malformed_event',
    );
    expect(classifyBedrockError(new Error('Truncated event message received.'), during).category).toBe(
      'stream_cut',
    );
    const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    expect(classifyBedrockError(reset, during).category).toBe('stream_cut');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const failure = classifyBedrockError(refused, before);
    expect(failure.category).toBe('connect_refused');
    expect(isRetryableFailure(failure)).toBe(true);
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const noCredentials = classifyBedrockError(missing, before);
    expect(noCredentials).toMatchObject({
      category: 'http_4xx',
      detail: 'no AWS credentials: Could not load credentials from any providers',
    });
    expect(isRetryableFailure(noCredentials)).toBe(false);
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' });
    expect(isRetryableFailure(classifyBedrockError(dns, before))).toBe(false);
  });
});
