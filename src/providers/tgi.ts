/**
 * Text Generation Inference's native streaming API: POST {base_url}/generate_stream with
 * `{"inputs": prompt, "parameters": {"max_new_tokens", "details": true, ...extra_body}}`, read as Server-Sent Events
 * (see tgi-stream.ts). It shares the OpenAI provider's machinery: one undici Pool per provider (keep-alive, sized to
 * `max_connections` or the scenario concurrency), connect timing, TLS options, HTTP error classification and probes.
 *
 * TGI has no way to force the output length (no ignore_eos / min_new_tokens): with force_output_length, requests are
 * sent unchanged, and the run's output-length check reports responses that stopped early.
 */
import { Pool } from 'undici';
import type { TgiTargetConfig } from '../config/schema.js';
import { ConnectTimer } from './connect-timer.js';
import { runExchange } from './http-exchange.js';
import { connectorOptions, staticHeaders, targetSecrets } from './http-target.js';
import { probeWith } from './probe-outcome.js';
import { createTgiStreamBody } from './tgi-stream.js';
import type { Clock, ProbeResult, Provider, ProviderRequest, StreamRecorder } from './types.js';

export interface TgiProviderOptions {
  readonly clock: Clock;
  /** Pool size when the target sets no `max_connections` (normally the scenario concurrency). */
  readonly connections: number;
  /** Time limit of one readiness probe in milliseconds (default 15 000). */
  readonly probeTimeoutMs?: number;
}

/** The request fields that shape a TGI body. */
export type TgiBodyRequest = Pick<ProviderRequest, 'prompt' | 'maxTokens'>;

/**
 * The `parameters` object of a TGI request: max_new_tokens, details (so the last event reports generated_tokens),
 * then the extra_body keys in config order. A null-prototype object, so an extra key named "__proto__" is a field.
 */
export function tgiParameters(
  extraBody: Readonly<Record<string, unknown>>,
  request: TgiBodyRequest,
): Record<string, unknown> {
  const parameters = Object.create(null) as Record<string, unknown>;
  parameters['max_new_tokens'] = request.maxTokens;
  parameters['details'] = true;
  for (const [key, value] of Object.entries(extraBody)) parameters[key] = value;
  return parameters;
}

/** The JSON body of one /generate_stream request, byte-identical for identical requests. */
export function tgiRequestBody(target: Pick<TgiTargetConfig, 'extra_body'>, request: TgiBodyRequest): string {
  return JSON.stringify({ inputs: request.prompt, parameters: tgiParameters(target.extra_body, request) });
}

/** Create the provider. Throws (naming the field and path) when `tls.ca_file` cannot be read. */
export function createTgiProvider(target: TgiTargetConfig, options: TgiProviderOptions): Provider {
  const { clock } = options;
  const base = new URL(target.base_url);
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = `${basePath}/generate_stream${base.search}`;
  /** Named in failure details: no credentials, no query string. */
  const url = `${base.origin}${basePath}/generate_stream`;
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
        body: tgiRequestBody(target, request),
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
      body: createTgiStreamBody,
    });

  return {
    id: 'tgi',
    send,
    probe: (signal: AbortSignal): Promise<ProbeResult> =>
      probeWith(send, url, signal, options.probeTimeoutMs),
    async close(): Promise<void> {
      if (!pool.destroyed) await pool.destroy();
    },
  };
}
