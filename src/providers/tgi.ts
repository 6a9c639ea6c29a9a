/**
 * Text Generation Inference's native streaming API: POST {base_url}/generate_stream with
 * `{"inputs": prompt, "parameters": {"max_new_tokens", "details": true, ...extra_body}}`, read as Server-Sent Events
 * (see tgi-stream.ts). It shares the OpenAI provider's machinery (sse-http-provider.ts): one undici Pool per provider,
 * connect timing, TLS options, HTTP error classification and probes.
 *
 * TGI has no way to force the output length (no ignore_eos / min_new_tokens): with force_output_length, requests are
 * sent unchanged, and the run's output-length check reports responses that stopped early.
 */
import type { TgiTargetConfig } from '../config/schema.js';
import { createSseHttpProvider, type HttpProviderOptions } from './sse-http-provider.js';
import { createTgiStreamBody } from './tgi-stream.js';
import type { Provider, ProviderRequest } from './types.js';

export type TgiProviderOptions = HttpProviderOptions;

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
  return createSseHttpProvider(
    {
      id: 'tgi',
      target,
      route: '/generate_stream',
      requestBody: (request) => tgiRequestBody(target, request),
      streamBody: createTgiStreamBody,
    },
    options,
  );
}
