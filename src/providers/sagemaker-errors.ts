/**
 * Classifies what the AWS SDK throws for InvokeEndpointWithResponseStream into the shared {@link ErrorCategory}
 * values, with a secret-free detail and whether a readiness probe should try again.
 *
 * - ModelError (HTTP 424) wraps the container's own answer: it is categorised by OriginalStatusCode and
 *   OriginalMessage exactly as that answer would be over plain HTTP (429 → http_429, 503 "not ready" → not_ready, ...).
 * - ModelNotReadyException (cold start of serverless / scaled-to-zero capacity) → not_ready; so is any error saying
 *   the endpoint has no capacity yet (scale to zero).
 * - Throttling → http_429; ServiceUnavailable, InternalFailure, InternalDependencyException → http_5xx.
 * - ValidationError (unknown endpoint or component, bad input), access and signature errors, missing credentials →
 *   http_4xx, not retryable.
 * - ModelStreamError / InternalStreamFailure (exceptions inside the event stream) → stream_error.
 * - Socket errors as for the HTTP providers (refused → connect_refused, ...; after the response started → stream_cut);
 *   a truncated event-stream message → stream_cut; a corrupt frame (checksum) → malformed_event.
 */
import {
  classifyNetworkError,
  errorCode,
  httpStatusCategory,
  isNotReadyMessage,
  isRetryableStatus,
  truncate,
} from './http-errors.js';
import type { ErrorCategory } from './types.js';

/** One classified failure. */
export interface SageMakerFailure {
  readonly category: ErrorCategory;
  /** Secret-free: the error name and the service's message. */
  readonly detail: string;
  /** The HTTP status behind it: the container's original status for ModelError. */
  readonly status?: number;
  /** Whether waiting and probing again can help. */
  readonly retryable: boolean;
}

/** The fields of an SDK error that classification reads (all optional: anything can be thrown). */
interface SdkError {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $response?: { readonly statusCode?: unknown };
  readonly OriginalStatusCode?: unknown;
  readonly OriginalMessage?: unknown;
  readonly ErrorCode?: unknown;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
const SERVER_FAILURES = new Set(['ServiceUnavailable', 'InternalFailure', 'InternalDependencyException']);
/** Authentication and authorisation failures: waiting will not fix them. */
const ACCESS_ERRORS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);
/** Scale-to-zero capacity that is not there yet (e.g. "Inference Component has no capacity to process this request"). */
const NO_CAPACITY = /no capacity|ApproximateModelCopyCount is 0|scaled? (down )?to zero/i;

/**
 * Classify an error thrown by `client.send` or while iterating the response stream. `responseStarted`: the response
 * headers had arrived (a socket failure then cuts the stream).
 */
export function classifySageMakerError(error: unknown, responseStarted: boolean): SageMakerFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = truncate(typeof e.message === 'string' ? e.message : String(error));
  const detail = truncate(`${name}: ${message}`);

  if (name === 'AbortError') return { category: 'aborted', detail, retryable: false };
  if (name === 'ModelStreamError') {
    const code = typeof e.ErrorCode === 'string' ? ` (${e.ErrorCode})` : '';
    return { category: 'stream_error', detail: truncate(`${name}${code}: ${message}`), retryable: true };
  }
  if (name === 'InternalStreamFailure') return { category: 'stream_error', detail, retryable: true };
  if (name === 'CredentialsProviderError') {
    return {
      category: 'http_4xx',
      detail: truncate(`no AWS credentials (the SDK default chain found none): ${message}`),
      retryable: false,
    };
  }

  const status = httpStatus(e);
  if (name === 'ModelError') {
    const original = typeof e.OriginalStatusCode === 'number' ? e.OriginalStatusCode : (status ?? 424);
    const originalMessage = truncate(typeof e.OriginalMessage === 'string' ? e.OriginalMessage : message);
    return {
      category: httpStatusCategory(original, originalMessage),
      detail: truncate(`ModelError: the container answered HTTP ${original}: ${originalMessage}`),
      status: original,
      retryable: isRetryableStatus(original, originalMessage),
    };
  }
  if (status !== undefined) {
    const withStatus = (category: ErrorCategory, retryable: boolean): SageMakerFailure => ({
      category,
      detail,
      status,
      retryable,
    });
    if (name === 'ModelNotReadyException' || NO_CAPACITY.test(message)) return withStatus('not_ready', true);
    if (THROTTLING.has(name)) return withStatus('http_429', true);
    if (SERVER_FAILURES.has(name)) return withStatus('http_5xx', true);
    if (name === 'ValidationError' || ACCESS_ERRORS.has(name)) {
      return withStatus('http_4xx', isNotReadyMessage(message));
    }
    return withStatus(httpStatusCategory(status, message), isRetryableStatus(status, message));
  }

  if (name === 'ModelNotReadyException') return { category: 'not_ready', detail, retryable: true };
  if (errorCode(error) !== undefined) {
    const network = classifyNetworkError(error, responseStarted);
    const retryable =
      network.category === 'tls' ? false : !(network.category === 'dns' && network.code === 'ENOTFOUND');
    return { category: network.category, detail: network.detail, retryable };
  }
  if (/truncated event message/i.test(message)) {
    return {
      category: 'stream_cut',
      detail: truncate(`event stream cut mid-message: ${message}`),
      retryable: true,
    };
  }
  if (/checksum|unrecognizable event type|invalid headers|message-type/i.test(message)) {
    return {
      category: 'malformed_event',
      detail: truncate(`corrupt event-stream frame: ${message}`),
      retryable: false,
    };
  }
  return responseStarted
    ? { category: 'stream_cut', detail: truncate(`stream failed: ${detail}`), retryable: true }
    : { category: 'connection', detail, retryable: true };
}

/** The HTTP status of a service error (from the SDK's response metadata), if it has one. */
function httpStatus(e: SdkError): number | undefined {
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  return typeof status === 'number' && status >= 100 ? status : undefined;
}

/** Whether a probe that failed with `category` (reported by the stream reader, not the SDK) should try again. */
export function isRetryableCategory(category: ErrorCategory, detail: string): boolean {
  switch (category) {
    case 'http_4xx':
    case 'tls':
    case 'malformed_event':
      return isNotReadyMessage(detail);
    default:
      return true;
  }
}
