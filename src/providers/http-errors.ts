/**
 * Error classification shared by the HTTP providers (OpenAI-compatible, TGI, SageMaker, ...): socket errors and HTTP
 * statuses become {@link ErrorCategory} values, error bodies become short secret-free messages, and readiness probes
 * learn whether waiting can help.
 */
import type { ErrorCategory } from './types.js';

/** Longest error message kept from a server body or an exception, in characters. */
export const MAX_DETAIL_CHARS = 300;

/** OpenSSL certificate verification codes that Node reports on TLS failures. */
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'HOSTNAME_MISMATCH',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'INVALID_CA',
]);

/** Body text that means "the model is not loaded yet" (scale-to-zero cold start, model loading, warming up). */
const NOT_READY =
  /not[\s_-]*ready|is loading|currently loading|still loading|model loading|loading model|warming up|starting up|initializ|cold start/i;

/** Whether a server message says the model is not ready yet (loading, warming up, initialising). */
export function isNotReadyMessage(text: string): boolean {
  return NOT_READY.test(text);
}

/** The first `max` characters of `text` on one line, with "…" when cut. */
export function truncate(text: string, max: number = MAX_DETAIL_CHARS): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Replace every occurrence of each secret (API keys, header values) in `text` with "***". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0 && out.includes(secret)) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * The human-readable message of an error body: `error.message` / `error` / `message` / `detail` of a JSON body
 * (OpenAI, vLLM, TGI, FastAPI shapes), else the raw text; truncated to {@link MAX_DETAIL_CHARS}.
 */
export function errorBodyMessage(body: string): string {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const message = jsonErrorMessage(JSON.parse(trimmed) as unknown);
      if (message !== undefined) return truncate(message);
    } catch {
      // not JSON after all: fall through to the raw text
    }
  }
  return truncate(trimmed);
}

/** The message inside a parsed JSON error object, if it has a recognisable one. */
export function jsonErrorMessage(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  const error = o['error'];
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const inner = (error as Record<string, unknown>)['message'];
    return typeof inner === 'string' ? inner : JSON.stringify(error);
  }
  if (typeof o['message'] === 'string') return o['message'];
  const detail = o['detail'];
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    const parts = detail.map((d) =>
      typeof d === 'object' && d !== null && typeof (d as Record<string, unknown>)['msg'] === 'string'
        ? ((d as Record<string, unknown>)['msg'] as string)
        : JSON.stringify(d),
    );
    return parts.join('; ');
  }
  return undefined;
}

/** Error category of a non-2xx HTTP response, given its status and the message read from its body. */
export function httpStatusCategory(status: number, message: string): ErrorCategory {
  if (status === 429) return 'http_429';
  if (status === 503 && isNotReadyMessage(message)) return 'not_ready';
  if (status >= 500) return 'http_5xx';
  return 'http_4xx';
}

/** Whether a readiness probe should try again after this HTTP status (and body message). */
export function isRetryableStatus(status: number, message: string): boolean {
  if (status === 408 || status === 425 || status === 429 || status >= 500) return true;
  return isNotReadyMessage(message);
}

/** A socket-level failure, classified. */
export interface NetworkFailure {
  readonly category: ErrorCategory;
  /** Secret-free description: the error code and message. */
  readonly detail: string;
  /** The underlying error code (e.g. "ECONNREFUSED"), when there is one. */
  readonly code: string | undefined;
}

/**
 * Classify a socket/client error. Before the response started: refused → connect_refused, name resolution → dns,
 * TLS/certificate → tls, anything else → connection. After the response started, a socket failure cuts the stream.
 */
export function classifyNetworkError(error: unknown, responseStarted: boolean): NetworkFailure {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const detail = truncate(code !== undefined && !message.includes(code) ? `${code}: ${message}` : message);
  if (responseStarted)
    return { category: 'stream_cut', detail: truncate(`connection lost mid-stream: ${detail}`), code };
  if (code === 'ECONNREFUSED') return { category: 'connect_refused', detail, code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return { category: 'dns', detail, code };
  }
  if (code !== undefined && isTlsCode(code)) return { category: 'tls', detail, code };
  if (/certificate|ssl routines|tls/i.test(message)) return { category: 'tls', detail, code };
  return { category: 'connection', detail, code };
}

function isTlsCode(code: string): boolean {
  return (
    TLS_CODES.has(code) ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_OSSL_') ||
    code.includes('CERT')
  );
}

/** The `code` of an error, looking through `cause` and AggregateError members (happy-eyeballs connects); a system
 * code (ECONNREFUSED, ENOTFOUND, ...) wins over undici's own wrapper codes (UND_ERR_*). */
export function errorCode(error: unknown): string | undefined {
  let fallback: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const o = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof o.code === 'string') {
      if (!o.code.startsWith('UND_ERR_')) return o.code;
      fallback ??= o.code;
    }
    if (Array.isArray(o.errors) && o.errors.length > 0) {
      const inner = errorCode(o.errors[0]);
      if (inner !== undefined && !inner.startsWith('UND_ERR_')) return inner;
    }
    current = o.cause;
  }
  return fallback;
}
