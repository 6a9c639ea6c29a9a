/**
 * The OpenAI-compatible streaming provider (vLLM, SGLang, TGI's Messages API, LMDeploy, TensorRT-LLM, Ollama,
 * LiteLLM, ...): POST {base_url}/chat/completions or /completions with `stream: true`, read as Server-Sent Events.
 *
 * Requests go through one undici Pool per provider (keep-alive, pipelining 1, sized to `max_connections` or the
 * scenario concurrency), so connection setup is paid once per connection, timed by {@link ConnectTimer} and reported
 * to the request that waited for it via `recorder.connected(ms)`.
 */
import { Pool } from 'undici';
import type { OpenAITargetConfig } from '../config/schema.js';
import { ConnectTimer } from './connect-timer.js';
import { runExchange } from './http-exchange.js';
import { connectorOptions, staticHeaders, targetSecrets } from './http-target.js';
import { createOpenAIStreamBody } from './openai-stream.js';
import { probeWith } from './probe-outcome.js';
import type { Clock, ProbeResult, Provider, ProviderRequest, StreamRecorder } from './types.js';

export interface OpenAIProviderOptions {
  readonly clock: Clock;
  /** Pool size when the target sets no `max_connections` (normally the scenario concurrency). */
  readonly connections: number;
  /** Time limit of one readiness probe in milliseconds (default 15 000). */
  readonly probeTimeoutMs?: number;
}

/** The request fields that shape the body. */
export type OpenAIBodyRequest = Pick<ProviderRequest, 'prompt' | 'maxTokens' | 'forceOutputLength'>;

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
    probe: (signal: AbortSignal): Promise<ProbeResult> =>
      probeWith(send, url, signal, options.probeTimeoutMs),
    async close(): Promise<void> {
      if (!pool.destroyed) await pool.destroy();
    },
  };
}
