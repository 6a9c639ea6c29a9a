/**
 * The OpenAI-compatible streaming provider (vLLM, SGLang, TGI's Messages API, LMDeploy, TensorRT-LLM, Ollama,
 * LiteLLM, ...): POST {base_url}/chat/completions or /completions with `stream: true`, read as Server-Sent Events.
 *
 * Connections, headers, timing and probes are the shared HTTP machinery of sse-http-provider.ts; this file shapes the
 * request body, and openai-stream.ts reads the response.
 */
import type { OpenAITargetConfig } from '../config/schema.js';
import { createOpenAIStreamBody } from './openai-stream.js';
import { createSseHttpProvider, type HttpProviderOptions } from './sse-http-provider.js';
import type { Provider, ProviderRequest } from './types.js';

export type OpenAIProviderOptions = HttpProviderOptions;

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
  return createSseHttpProvider(
    {
      id: 'openai',
      target,
      route: target.api === 'chat' ? '/chat/completions' : '/completions',
      requestBody: (request) => openAIRequestBody(target, request),
      streamBody: (control) => createOpenAIStreamBody(target.api, control),
    },
    options,
  );
}
