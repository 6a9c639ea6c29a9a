/**
 * What the Bedrock provider sends: the ConverseStream input and the InvokeModelWithResponseStream body of one request,
 * built deterministically from the target config and the workload's request, and the config checks that catch
 * mistakes before any request is sent.
 *
 * Forcing the output length (`force_output_length`) is not available on Bedrock: no field is accepted by every model
 * family, so nothing is added. Where a model accepts one (e.g. an imported model served with vLLM-style parameters),
 * put it in `extra_body` (e.g. `ignore_eos: true`): for converse it goes to additionalModelRequestFields, for invoke
 * into the body.
 */
import type { ConverseStreamCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockTargetConfig } from '../config/schema.js';
import type { ProviderRequest } from './types.js';

/** The request fields that shape what is sent. */
export type BedrockBodyRequest = Pick<ProviderRequest, 'prompt' | 'maxTokens'>;

/** inferenceConfig fields ConverseStream accepts (the SDK silently drops any other key). */
export const INFERENCE_CONFIG_FIELDS = ['maxTokens', 'temperature', 'topP', 'stopSequences'] as const;

const PROMPT = '{{prompt}}';
const MAX_TOKENS = '{{max_tokens}}';

/**
 * Check the target before anything is sent.
 * @throws Error naming the field: an inference_config key ConverseStream does not accept, or a body_template
 *   without the {{prompt}} or {{max_tokens}} placeholder
 */
export function checkBedrockTarget(target: BedrockTargetConfig): void {
  if (target.api === 'converse') {
    for (const key of Object.keys(target.inference_config)) {
      if (!(INFERENCE_CONFIG_FIELDS as readonly string[]).includes(key)) {
        throw new Error(
          `target.inference_config.${key}: not an inferenceConfig field of ConverseStream ` +
            `(known: ${INFERENCE_CONFIG_FIELDS.join(', ')}); model-specific fields go in target.extra_body ` +
            '(sent as additionalModelRequestFields)',
        );
      }
    }
  }
  if (target.api === 'invoke' && target.invoke_body === 'template') {
    const strings = stringsIn(target.body_template);
    for (const placeholder of [PROMPT, MAX_TOKENS]) {
      if (!strings.some((s) => s.includes(placeholder))) {
        throw new Error(`target.body_template: no string value contains the ${placeholder} placeholder`);
      }
    }
  }
}

/** The ConverseStream input: one user message, inferenceConfig {maxTokens, ...inference_config}, extra_body. */
export function converseInput(
  target: BedrockTargetConfig,
  request: BedrockBodyRequest,
): ConverseStreamCommandInput {
  const input: ConverseStreamCommandInput = {
    modelId: target.model_id,
    messages: [{ role: 'user', content: [{ text: request.prompt }] }],
    inferenceConfig: { maxTokens: request.maxTokens, ...target.inference_config },
  };
  if (Object.keys(target.extra_body).length > 0) {
    input.additionalModelRequestFields =
      target.extra_body as ConverseStreamCommandInput['additionalModelRequestFields'];
  }
  return input;
}

/**
 * The JSON body of an invoke request, with a fixed key order:
 * llama → {prompt, max_gen_len, ...extra_body}; openai → {messages: [{role: "user", content}], max_tokens,
 * ...extra_body}; template → body_template with the placeholders replaced, then extra_body.
 */
export function invokeBody(target: BedrockTargetConfig, request: BedrockBodyRequest): string {
  // Null-prototype objects, so a key named "__proto__" is an ordinary field.
  let body: Record<string, unknown>;
  if (target.invoke_body === 'llama') {
    body = Object.create(null) as Record<string, unknown>;
    body['prompt'] = request.prompt;
    body['max_gen_len'] = request.maxTokens;
  } else if (target.invoke_body === 'openai') {
    body = Object.create(null) as Record<string, unknown>;
    body['messages'] = [{ role: 'user', content: request.prompt }];
    body['max_tokens'] = request.maxTokens;
  } else {
    body = fillTemplate(target.body_template ?? {}, request) as Record<string, unknown>;
  }
  for (const [key, value] of Object.entries(target.extra_body)) body[key] = value;
  return JSON.stringify(body);
}

/**
 * Replace the placeholders in every string value of `template` (keys are left alone): a value that is exactly
 * "{{max_tokens}}" becomes the number, one that is exactly "{{prompt}}" the prompt; inside longer strings both are
 * replaced as text (e.g. "<s>[INST] {{prompt}} [/INST]").
 */
export function fillTemplate(template: unknown, request: BedrockBodyRequest): unknown {
  if (typeof template === 'string') {
    if (template === MAX_TOKENS) return request.maxTokens;
    if (template === PROMPT) return request.prompt;
    return template
      .split(PROMPT)
      .map((part) => part.split(MAX_TOKENS).join(String(request.maxTokens)))
      .join(request.prompt);
  }
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, request));
  if (typeof template === 'object' && template !== null) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of Object.entries(template)) out[key] = fillTemplate(value, request);
    return out;
  }
  return template;
}

/** Every string value inside a JSON value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}
