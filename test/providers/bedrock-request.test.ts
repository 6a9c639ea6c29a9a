import { describe, expect, it } from 'vitest';
import { bedrockTargetSchema, type BedrockTargetConfig } from '../../src/config/schema.js';
import {
  checkBedrockTarget,
  converseInput,
  fillTemplate,
  invokeBody,
} from '../../src/providers/bedrock-request.js';

function target(overrides: Record<string, unknown> = {}): BedrockTargetConfig {
  return bedrockTargetSchema.parse({ provider: 'bedrock', model_id: 'm', region: 'us-east-1', ...overrides });
}

const request = { prompt: 'Say "hi" {{max_tokens}}', maxTokens: 12 };

describe('Bedrock request bodies', () => {
  it('converse: one user message, maxTokens then inference_config, extra_body as additionalModelRequestFields', () => {
    const input = converseInput(
      target({ inference_config: { temperature: 0, topP: 0.9 }, extra_body: { top_k: 5 } }),
      request,
    );
    expect(input).toEqual({
      modelId: 'm',
      messages: [{ role: 'user', content: [{ text: request.prompt }] }],
      inferenceConfig: { maxTokens: 12, temperature: 0, topP: 0.9 },
      additionalModelRequestFields: { top_k: 5 },
    });
    expect(converseInput(target(), request)).not.toHaveProperty('additionalModelRequestFields');
  });

  it('invoke llama and openai bodies keep a fixed key order with extra_body last', () => {
    const extra = { extra_body: { temperature: 0 } };
    expect(invokeBody(target({ api: 'invoke', ...extra }), request)).toBe(
      `{"prompt":${JSON.stringify(request.prompt)},"max_gen_len":12,"temperature":0}`,
    );
    expect(invokeBody(target({ api: 'invoke', invoke_body: 'openai' }), request)).toBe(
      `{"messages":[{"role":"user","content":${JSON.stringify(request.prompt)}}],"max_tokens":12}`,
    );
  });

  it('template: whole-value placeholders become the prompt and a number, embedded ones are replaced as text', () => {
    const t = target({
      api: 'invoke',
      invoke_body: 'template',
      body_template: {
        inputs: '<s>[INST] {{prompt}} [/INST]',
        parameters: { max_new_tokens: '{{max_tokens}}', note: 'up to {{max_tokens}}', stop: ['</s>'], n: 1 },
        raw: '{{prompt}}',
      },
      extra_body: { stream: true },
    });
    expect(JSON.parse(invokeBody(t, request))).toEqual({
      // The prompt's own "{{max_tokens}}" text is not a placeholder.
      inputs: `<s>[INST] ${request.prompt} [/INST]`,
      parameters: { max_new_tokens: 12, note: 'up to 12', stop: ['</s>'], n: 1 },
      raw: request.prompt,
      stream: true,
    });
    expect(fillTemplate([null, true, 3], request)).toEqual([null, true, 3]);
  });
});

describe('Bedrock target checks', () => {
  it('rejects inferenceConfig keys ConverseStream drops, naming the field', () => {
    expect(() => checkBedrockTarget(target({ inference_config: { top_k: 3 } }))).toThrow(
      /target\.inference_config\.top_k: not an inferenceConfig field .*extra_body/,
    );
    expect(() =>
      checkBedrockTarget(target({ inference_config: { temperature: 1, stopSequences: ['x'] } })),
    ).not.toThrow();
    // invoke ignores inference_config entirely
    expect(() => checkBedrockTarget(target({ api: 'invoke', inference_config: { top_k: 3 } }))).not.toThrow();
  });

  it('rejects a body_template without either placeholder', () => {
    const template = (body: Record<string, unknown>) =>
      target({ api: 'invoke', invoke_body: 'template', body_template: body });
    expect(() => checkBedrockTarget(template({ prompt: 'fixed', max_tokens: '{{max_tokens}}' }))).toThrow(
      'target.body_template: no string value contains the {{prompt}} placeholder',
    );
    expect(() => checkBedrockTarget(template({ prompt: '{{prompt}}', max_tokens: 10 }))).toThrow(
      'target.body_template: no string value contains the {{max_tokens}} placeholder',
    );
    expect(() =>
      checkBedrockTarget(template({ a: ['{{prompt}}'], b: { c: '{{max_tokens}}' } })),
    ).not.toThrow();
  });
});
