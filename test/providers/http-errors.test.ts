import { describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  errorBodyMessage,
  errorCode,
  httpStatusCategory,
  isNotReadyMessage,
  isRetryableStatus,
  redact,
  truncate,
} from '../../src/providers/http-errors.js';

const sysError = (code: string, message = `${code} happened`): Error =>
  Object.assign(new Error(message), { code });

describe('classifyNetworkError', () => {
  it.each([
    ['ECONNREFUSED', 'connect_refused'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['ECONNRESET', 'connection'],
    ['EHOSTUNREACH', 'connection'],
    ['UND_ERR_SOCKET', 'connection'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connection'],
  ] as const)('%s before the response → %s', (code, category) => {
    expect(classifyNetworkError(sysError(code), false).category).toBe(category);
  });

  it('cuts the stream for any socket failure after the response started', () => {
    const failure = classifyNetworkError(sysError('UND_ERR_SOCKET', 'other side closed'), true);
    expect(failure).toEqual({
      category: 'stream_cut',
      detail: 'connection lost mid-stream: UND_ERR_SOCKET: other side closed',
      code: 'UND_ERR_SOCKET',
    });
  });

  it('looks through cause chains and AggregateError members', () => {
    const wrapped = Object.assign(new Error('fetch failed'), {
      code: 'UND_ERR_SOCKET',
      cause: sysError('ECONNREFUSED'),
    });
    expect(errorCode(wrapped)).toBe('ECONNREFUSED');
    const aggregate = new AggregateError(
      [sysError('ECONNREFUSED'), sysError('ECONNREFUSED')],
      'connect failed',
    );
    expect(classifyNetworkError(aggregate, false).category).toBe('connect_refused');
    expect(errorCode(new Error('plain'))).toBeUndefined();
  });

  it('recognises TLS failures by message when there is no code', () => {
    expect(classifyNetworkError(new Error('unable to verify the first certificate'), false).category).toBe(
      'tls',
    );
  });
});

describe('HTTP status classification', () => {
  it.each([
    [429, '', 'http_429'],
    [400, 'bad', 'http_4xx'],
    [404, 'not found', 'http_4xx'],
    [301, '', 'http_4xx'],
    [500, 'boom', 'http_5xx'],
    [503, 'Service Unavailable', 'http_5xx'],
    [503, 'Model is currently loading', 'not_ready'],
    [503, 'model not ready', 'not_ready'],
  ] as const)('%i %j → %s', (status, message, category) => {
    expect(httpStatusCategory(status, message)).toBe(category);
  });

  it('tells readiness which statuses are worth retrying', () => {
    expect([408, 429, 500, 502, 503, 504].every((s) => isRetryableStatus(s, ''))).toBe(true);
    expect([400, 401, 403, 404, 422].some((s) => isRetryableStatus(s, 'bad request'))).toBe(false);
    expect(isRetryableStatus(404, 'Model is still loading')).toBe(true);
  });

  it('detects not-ready messages', () => {
    expect(isNotReadyMessage('Model with name llama is not ready')).toBe(true);
    expect(isNotReadyMessage('server is warming up')).toBe(true);
    expect(isNotReadyMessage('Invalid API key')).toBe(false);
  });
});

describe('error bodies', () => {
  it.each([
    ['{"error":{"message":"Rate limit","type":"x"}}', 'Rate limit'],
    ['{"object":"error","message":"context too long","code":400}', 'context too long'],
    ['{"error":"Model is loading","estimated_time":3}', 'Model is loading'],
    ['{"detail":"Not Found"}', 'Not Found'],
    ['{"detail":[{"loc":["body"],"msg":"field required"},{"msg":"bad type"}]}', 'field required; bad type'],
    ['{"error":{"code":42}}', '{"code":42}'],
    ['{"unrelated":true}', '{"unrelated":true}'],
    ['upstream connect error\n  or disconnect', 'upstream connect error or disconnect'],
    ['{not json', '{not json'],
    ['', ''],
  ])('%j → %j', (body, message) => {
    expect(errorBodyMessage(body)).toBe(message);
  });

  it('truncates to 300 characters', () => {
    const message = errorBodyMessage('x'.repeat(1000));
    expect(message).toHaveLength(300);
    expect(message.endsWith('…')).toBe(true);
    expect(truncate('a  b\n c')).toBe('a b c');
  });

  it('redacts every occurrence of every secret', () => {
    expect(redact('key sk-1 and sk-1, tok-2', ['sk-1', 'tok-2', ''])).toBe('key *** and ***, ***');
  });
});
