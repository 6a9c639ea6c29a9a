/**
 * Error classification for the Bedrock provider: AWS SDK exceptions (modelled Bedrock errors, event-stream decoding
 * errors, socket errors, credential errors) become {@link ErrorCategory} values with a secret-free detail, and
 * readiness probes learn whether waiting can help.
 *
 * Before the stream (an HTTP error response):
 *   ThrottlingException, ServiceQuotaExceededException → http_429; ModelNotReadyException → not_ready;
 *   InternalServerException, ServiceUnavailableException, ModelErrorException → http_5xx;
 *   ModelTimeoutException (HTTP 408: the model ran past Bedrock's own time limit) → http_5xx — a server-side failure,
 *     kept apart from the timeout_* categories, which mean this tool's per-request timeout (timeout_s);
 *   ValidationException, AccessDeniedException, ResourceNotFoundException, ConflictException and the authentication
 *     errors (UnrecognizedClientException, ExpiredTokenException, InvalidSignatureException, ...) → http_4xx;
 *   any other exception → by its HTTP status; no credentials in the default chain → http_4xx.
 * In the stream (an exception frame after a 200): throttlingException → http_429 (the same remedy as throttling
 *   before the stream: quotas or less concurrency; the detail says it came mid-stream), every other exception →
 *   stream_error with its name in the detail; a frame that fails its CRC or cannot be decoded → malformed_event;
 *   a connection that ends inside a frame, resets or closes → stream_cut.
 */
import { BedrockRuntimeServiceException } from '@aws-sdk/client-bedrock-runtime';
import { classifyNetworkError, httpStatusCategory, truncate } from './http-errors.js';
import type { ErrorCategory } from './types.js';

/** A classified failure. */
export interface BedrockFailure {
  readonly category: ErrorCategory;
  /** Secret-free: the exception name and the first line of its message. */
  readonly detail: string;
  /** HTTP status of an error response before the stream. */
  readonly status?: number;
  /** The exception name, for modelled AWS errors. */
  readonly exception?: string;
}

/** Where the request was when it failed. */
export interface FailureStage {
  /** A 2xx response had started: errors are mid-stream. */
  readonly streaming: boolean;
  /** Content chunks received so far. */
  readonly contentChunks: number;
}

const THROTTLING = new Set(['ThrottlingException', 'ServiceQuotaExceededException']);
const SERVER = new Set([
  'InternalServerException',
  'ServiceUnavailableException',
  'ModelErrorException',
  'ModelTimeoutException',
  'ModelStreamErrorException',
]);
const CLIENT = new Set([
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ConflictException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnauthorizedException',
]);

/** Exceptions a readiness probe should wait out: the model is loading, busy or briefly failing. */
const RETRYABLE = new Set([
  'ModelNotReadyException',
  'ThrottlingException',
  'ServiceQuotaExceededException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelTimeoutException',
  'ModelErrorException',
]);

/**
 * The first line of an exception message. Signature errors append the canonical request after a blank line, and it
 * can hold a session token: only the first line is ever kept.
 */
function firstLine(message: string): string {
  return truncate((message.split('\n', 1)[0] ?? '').trim());
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A decoding failure of the SDK's event-stream codec or payload deserialiser. */
function isDecodeError(error: unknown): boolean {
  if (error instanceof SyntaxError) return true;
  const message = errorMessage(error);
  return /checksum|message length|too short to accommodate|header value|header name|Unrecognized header|Unrecognizable event type/i.test(
    message,
  );
}

/** Classify an error thrown by the SDK while sending the request or reading its event stream. */
export function classifyBedrockError(error: unknown, stage: FailureStage): BedrockFailure {
  if (error instanceof BedrockRuntimeServiceException || isServiceException(error)) {
    return classifyException(error as ServiceError, stage);
  }
  const name = error instanceof Error ? error.name : '';
  const message = errorMessage(error);
  if (name === 'CredentialsProviderError') {
    return { category: 'http_4xx', detail: `no AWS credentials: ${firstLine(message)}` };
  }
  if (stage.streaming && isDecodeError(error)) {
    return { category: 'malformed_event', detail: `undecodable event-stream frame: ${firstLine(message)}` };
  }
  if (stage.streaming && /Truncated event message/i.test(message)) {
    return {
      category: 'stream_cut',
      detail: `connection ended inside an event-stream frame after ${stage.contentChunks} content chunks`,
    };
  }
  const failure = classifyNetworkError(pendingStreamCause(error), stage.streaming);
  return { category: failure.category, detail: failure.detail };
}

/**
 * node:http2 cancels the streams of a session whose socket failed (ERR_HTTP2_STREAM_CANCEL) and keeps the socket's
 * error as the cause: that error (ECONNREFUSED, ENOTFOUND, a TLS failure, ...) is what went wrong.
 */
function pendingStreamCause(error: unknown): unknown {
  const e = error as { code?: unknown; cause?: unknown };
  return e?.code === 'ERR_HTTP2_STREAM_CANCEL' && e.cause instanceof Error ? e.cause : error;
}

/** The shape of an AWS service exception (modelled or not). */
interface ServiceError {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function isServiceException(error: unknown): boolean {
  return (
    error instanceof Error &&
    typeof (error as { $fault?: unknown }).$fault === 'string' &&
    typeof (error as { $metadata?: unknown }).$metadata === 'object'
  );
}

function classifyException(error: ServiceError, stage: FailureStage): BedrockFailure {
  const name = error.name;
  const message = firstLine(error.message);
  if (stage.streaming) {
    const detail = `${name} mid-stream after ${stage.contentChunks} content chunks: ${message}`;
    return { category: THROTTLING.has(name) ? 'http_429' : 'stream_error', detail, exception: name };
  }
  const status = error.$metadata?.httpStatusCode;
  const prefix = status === undefined ? name : `HTTP ${status} ${name}`;
  const detail = message === '' ? prefix : `${prefix}: ${message}`;
  let category: ErrorCategory;
  if (name === 'ModelNotReadyException') category = 'not_ready';
  else if (THROTTLING.has(name)) category = 'http_429';
  else if (SERVER.has(name)) category = 'http_5xx';
  else if (CLIENT.has(name)) category = 'http_4xx';
  else if (status !== undefined) category = httpStatusCategory(status, message);
  else category = 'http_4xx';
  return status === undefined
    ? { category, detail, exception: name }
    : { category, detail, status, exception: name };
}

/** Whether a readiness probe that failed this way should try again. */
export function isRetryableFailure(failure: BedrockFailure): boolean {
  if (failure.exception !== undefined) return RETRYABLE.has(failure.exception);
  switch (failure.category) {
    case 'connect_refused':
    case 'connection':
    case 'stream_cut':
    case 'http_429':
    case 'http_5xx':
    case 'not_ready':
      return true;
    case 'dns':
      // A name that does not exist (ENOTFOUND) will not appear by waiting; a failing resolver (EAI_AGAIN) may recover.
      return !/ENOTFOUND/.test(failure.detail);
    default:
      return false;
  }
}
