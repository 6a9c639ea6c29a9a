/**
 * The OpenAI-compatible streaming provider (vLLM, SGLang, TGI's Messages API, LMDeploy, TensorRT-LLM, Ollama,
 * LiteLLM, ...): POST {base_url}/chat/completions or /completions with `stream: true`, read as Server-Sent Events.
 *
 * Requests go through one undici Pool per provider (keep-alive, pipelining 1, sized to `max_connections` or the
 * scenario concurrency), so connection setup is paid once per connection, timed by {@link ConnectTimer} and reported
 * to the request that waited for it via `recorder.connected(ms)`.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Pool } from 'undici';
import type { buildConnector } from 'undici';
import type { OpenAITargetConfig } from '../config/schema.js';
import { ConnectTimer } from './connect-timer.js';
import { isNotReadyMessage, isRetryableStatus } from './http-errors.js';
import { runExchange } from './http-exchange.js';
import { createOpenAIStreamBody } from './openai-stream.js';
import type {
  Clock,
  ErrorCategory,
  ProbeResult,
  Provider,
  ProviderRequest,
  StreamRecorder,
} from './types.js';

export interface OpenAIProviderOptions {
  readonly clock: Clock;
  /** Pool size when the target sets no `max_connections` (normally the scenario concurrency). */
  readonly connections: number;
  /** Time limit of one readiness probe in milliseconds (default 15 000). */
  readonly probeTimeoutMs?: number;
}

/** The request fields that shape the body. */
export type OpenAIBodyRequest = Pick<ProviderRequest, 'prompt' | 'maxTokens' | 'forceOutputLength'>;

const DEFAULT_PROBE_TIMEOUT_MS = 15_000;
const PROBE_REQUEST: ProviderRequest = {
  index: -1,
  requestId: 'llm-perf-gate-probe',
  prompt: 'Hello',
  inputTokens: 1,
  maxTokens: 1,
  forceOutputLength: false,
};

/**
 * The JSON body of one request, with a fixed key order so identical requests give byte-identical bodies:
 * model, messages | prompt, max_tokens, stream, stream_options (when include_usage), extra_body keys in config order,
 * then ignore_eos and min_tokens when the output length is forced.
 */
export function openAIRequestBody(target: OpenAITargetConfig, request: OpenAIBodyRequest): string {
  // A null-prototype object, so an extra_body key named "__proto__" is an ordinary field.
  const body = Object.create(null) as Record<string, unknown>;
  body['model'] = target.model;
  if (target.api === 'chat') body['messages'] = [{ role: 'user', content: request.prompt }];
  else body['prompt'] = request.prompt;
  body['max_tokens'] = request.maxTokens;
  body['stream'] = true;
  if (target.include_usage) body['stream_options'] = { include_usage: true };
  for (const [key, value] of Object.entries(target.extra_body)) body[key] = value;
  if (request.forceOutputLength) {
    body['ignore_eos'] = true;
    body['min_tokens'] = request.maxTokens;
  }
  return JSON.stringify(body);
}

/** Create the provider. Throws (naming the field and path) when `tls.ca_file` cannot be read. */
export function createOpenAIProvider(target: OpenAITargetConfig, options: OpenAIProviderOptions): Provider {
  const { clock } = options;
  const base = new URL(target.base_url);
  const basePath = base.pathname.replace(/\/+$/, '');
  const route = target.api === 'chat' ? '/chat/completions' : '/completions';
  const path = `${basePath}${route}${base.search}`;
  /** Named in failure details: no credentials, no query string. */
  const url = `${base.origin}${basePath}${route}`;
  const connectTimer = new ConnectTimer(clock, connectorOptions(target));
  const pool = new Pool(base.origin, {
    connections: target.max_connections ?? options.connections,
    pipelining: 1,
    connect: connectTimer.connector,
  });
  const headers = staticHeaders(target);
  const secrets = [target.api_key, ...Object.values(target.headers)].filter(
    (s): s is string => s !== undefined && s.length >= 4,
  );
  const probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;

  const send = (request: ProviderRequest, recorder: StreamRecorder, signal: AbortSignal): Promise<void> =>
    runExchange({
      dispatcher: pool,
      request: {
        origin: base.origin,
        path,
        method: 'POST',
        headers: [...headers, 'x-request-id', request.requestId],
        body: openAIRequestBody(target, request),
        // The engine owns per-request timeouts (through `signal`); undici's own would cut long generations.
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      clock,
      recorder,
      signal,
      url,
      secrets,
      connectTimer,
      body: (control) => createOpenAIStreamBody(target.api, control),
    });

  return {
    id: 'openai',
    send,
    async probe(signal: AbortSignal): Promise<ProbeResult> {
      const timeout = AbortSignal.timeout(probeTimeoutMs);
      const outcome = new ProbeOutcome();
      await send(PROBE_REQUEST, outcome, AbortSignal.any([signal, timeout]));
      return outcome.result(url, signal.aborted ? undefined : timeout.aborted ? probeTimeoutMs : undefined);
    },
    async close(): Promise<void> {
      if (!pool.destroyed) await pool.destroy();
    },
  };
}

/** Connector options: extra trusted CAs (added to Node's bundled roots) and certificate checking. */
function connectorOptions(target: OpenAITargetConfig): buildConnector.BuildOptions {
  const tls = target.tls;
  if (tls === undefined) return {};
  const options: buildConnector.BuildOptions = {};
  if (tls.ca_file !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(tls.ca_file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new Error(`target.tls.ca_file: cannot read "${tls.ca_file}" (${code})`, { cause: error });
    }
    options.ca = [...rootCertificates, pem];
  }
  if (tls.insecure_skip_verify) options.rejectUnauthorized = false;
  return options;
}

/**
 * Header name/value pairs sent with every request. Target headers override the defaults (names compare
 * case-insensitively); the per-request x-request-id is appended by `send` and always wins.
 */
function staticHeaders(target: OpenAITargetConfig): string[] {
  const byName = new Map<string, [string, string]>();
  const set = (name: string, value: string): void => {
    byName.set(name.toLowerCase(), [name, value]);
  };
  set('content-type', 'application/json');
  set('accept', 'text/event-stream');
  if (target.api_key !== undefined) set('authorization', `Bearer ${target.api_key}`);
  for (const [name, value] of Object.entries(target.headers)) set(name, value);
  byName.delete('x-request-id');
  return [...byName.values()].flat();
}

/** Recorder for a readiness probe: keeps only how the request ended. */
class ProbeOutcome implements StreamRecorder {
  #ended = false;
  #failure: { category: ErrorCategory; detail: string; status: number | undefined } | undefined;

  connected(): void {}
  responseStarted(): void {}
  content(): void {}
  usage(): void {}
  serverLatency(): void {}

  ended(): void {
    this.#ended = true;
  }

  failed(_at: number, category: ErrorCategory, detail: string, status?: number): void {
    this.#failure = { category, detail, status };
  }

  /** The probe result; `timedOutAfterMs` is set when the probe's own time limit aborted it. */
  result(url: string, timedOutAfterMs: number | undefined): ProbeResult {
    if (this.#ended) return { ready: true };
    const failure = this.#failure;
    if (failure === undefined)
      return { ready: false, reason: `probe of ${url} ended without an outcome`, retryable: true };
    const { category, detail, status } = failure;
    if (status !== undefined && category !== 'stream_cut') {
      const prefix = `HTTP ${status}`;
      const rest = detail.startsWith(prefix) ? detail.slice(prefix.length) : `: ${detail}`;
      const message = rest.replace(/^[^:]*:\s*/, '');
      return {
        ready: false,
        reason: `${prefix} from ${url}${rest}`,
        retryable: isRetryableStatus(status, message),
      };
    }
    switch (category) {
      case 'aborted':
        return timedOutAfterMs !== undefined
          ? {
              ready: false,
              reason: `no answer from ${url} within ${timedOutAfterMs / 1000} s`,
              retryable: true,
            }
          : { ready: false, reason: 'readiness probe cancelled', retryable: false };
      case 'connect_refused':
        return { ready: false, reason: `connection refused by ${url}: ${detail}`, retryable: true };
      case 'dns':
        // A name that does not exist (ENOTFOUND) will not appear by waiting; a failing resolver (EAI_AGAIN) may recover.
        return {
          ready: false,
          reason: `cannot resolve the host of ${url}: ${detail}`,
          retryable: !/ENOTFOUND/.test(detail),
        };
      case 'tls':
        return { ready: false, reason: `TLS failure with ${url}: ${detail}`, retryable: false };
      case 'malformed_event':
        return { ready: false, reason: `unreadable stream from ${url}: ${detail}`, retryable: false };
      case 'stream_error':
        return {
          ready: false,
          reason: `error in the stream from ${url}: ${detail}`,
          retryable: isNotReadyMessage(detail),
        };
      default:
        return {
          ready: false,
          reason: `${category.replace(/_/g, ' ')} at ${url}: ${detail}`,
          retryable: true,
        };
    }
  }
}
