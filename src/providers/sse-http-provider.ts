/**
 * The machinery the HTTP streaming providers (OpenAI-compatible, TGI native) share: one undici Pool per provider
 * (keep-alive, pipelining 1, sized to `max_connections` or the scenario concurrency), so connection setup is paid once
 * per connection, timed by {@link ConnectTimer} and reported to the request that waited for it; static headers and
 * secrets from the target; a POST per request through {@link runExchange}; readiness probes. Each provider supplies
 * its route, its request body and its stream parser.
 */
import { Pool } from 'undici';
import type { OpenAITargetConfig } from '../config/schema.js';
import { ConnectTimer } from './connect-timer.js';
import { runExchange, type ExchangeControl, type StreamBody } from './http-exchange.js';
import {
  connectorOptions,
  staticHeaders,
  targetSecrets,
  type HeaderFields,
  type TargetTls,
} from './http-target.js';
import { probeWith } from './probe-outcome.js';
import type { Clock, ProbeResult, Provider, ProviderRequest, StreamRecorder } from './types.js';

export interface HttpProviderOptions {
  readonly clock: Clock;
  /** Pool size when the target sets no `max_connections` (normally the scenario concurrency). */
  readonly connections: number;
  /** Time limit of one readiness probe in milliseconds (default 15 000). */
  readonly probeTimeoutMs?: number;
}

/** The target fields every HTTP streaming provider reads. */
export interface HttpTargetFields extends HeaderFields {
  readonly base_url: string;
  readonly tls?: TargetTls;
  readonly max_connections?: OpenAITargetConfig['max_connections'];
}

export interface SseHttpProviderSpec {
  readonly id: string;
  readonly target: HttpTargetFields;
  /** Path after the base URL's own path, e.g. "/chat/completions". */
  readonly route: string;
  /** The JSON body of one request. */
  readonly requestBody: (request: ProviderRequest) => string;
  /** A parser for one response's event stream. */
  readonly streamBody: (control: ExchangeControl) => StreamBody;
}

/** Create the provider. Throws (naming the field and path) when `tls.ca_file` cannot be read. */
export function createSseHttpProvider(spec: SseHttpProviderSpec, options: HttpProviderOptions): Provider {
  const { target, route } = spec;
  const { clock } = options;
  const base = new URL(target.base_url);
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = `${basePath}${route}${base.search}`;
  /** Named in failure details: no credentials, no query string. */
  const url = `${base.origin}${basePath}${route}`;
  const connectTimer = new ConnectTimer(clock, connectorOptions(target.tls));
  const pool = new Pool(base.origin, {
    connections: target.max_connections ?? options.connections,
    pipelining: 1,
    connect: connectTimer.connector,
  });
  const headers = staticHeaders(target, 'text/event-stream');
  const secrets = targetSecrets(target);

  const send = (request: ProviderRequest, recorder: StreamRecorder, signal: AbortSignal): Promise<void> =>
    runExchange({
      dispatcher: pool,
      request: {
        origin: base.origin,
        path,
        method: 'POST',
        headers: [...headers, 'x-request-id', request.requestId],
        body: spec.requestBody(request),
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
      body: spec.streamBody,
    });

  return {
    id: spec.id,
    send,
    probe: (signal: AbortSignal): Promise<ProbeResult> =>
      probeWith(send, url, signal, options.probeTimeoutMs),
    async close(): Promise<void> {
      if (!pool.destroyed) await pool.destroy();
    },
  };
}
