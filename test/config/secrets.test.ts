import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText, redactConfig } from '../../src/config/index.js';
import { maskUrlCredentials } from '../../src/config/redact.js';
import type { OpenAITargetConfig, TargetConfig } from '../../src/config/schema.js';
/** Narrows a parsed target to the OpenAI one these tests write. */
function openai(target: TargetConfig): OpenAITargetConfig {
  if (target.provider !== 'openai') throw new Error(`expected an openai target, got ${target.provider}`);
  return target;
}

const SECRET = 'sk-live-9f8e7d6c5b4a39281706';

/**
 * Invalid configs that each put `value` (directly, or through $MY_TOKEN / $OPENAI_API_KEY / $SERVICE_PASSWORD) where
 * an error message would show it if secrets were not hidden.
 */
function leakyConfigs(value: string): string[] {
  const config = (targetLines: string[], scenarioLines: string[] = []) =>
    [
      'target:',
      '  provider: openai',
      '  model: m',
      ...targetLines,
      'scenarios:',
      '  - name: s',
      '    concurrency: 1',
      '    requests: 1',
      '    input_tokens: { mean: 1 }',
      '    output_tokens: { mean: 1 }',
      ...scenarioLines,
    ].join('\n');
  const url = '  base_url: http://127.0.0.1:8000/v1';
  const quoted = JSON.stringify(value);
  return [
    config([url, `  api_key: [${quoted}]`]),
    config([url, `  api_key: ${quoted}`, '  api: ${MY_TOKEN}']),
    config([url, '  api: ${MY_TOKEN}']),
    config([url, `  headers: { Authorization: [${quoted}] }`]),
    config([url, `  headers: ${quoted}`]),
    config([url, '  max_connections: ${OPENAI_API_KEY}']),
    config([url, '  tls: { ca_file: "${SERVICE_PASSWORD}", insecure_skip_verify: "${SERVICE_PASSWORD}" }']),
    config([url], ['    seed: "${MY_TOKEN}"']),
    config([url], ['    force_output_length: "Bearer ${MY_TOKEN}"']),
    config([`  base_url: ftp://user:${value}@example.test/v1`]),
    config([`  base_url: https://${value}@example.test/v1`, '  api: x']),
    config([url, `  api_key: "${value}`]),
    config([url, `  api_key: ${quoted}`, `  api_key: ${quoted}`]),
  ];
}

function messageOf(text: string, env: Record<string, string>): string {
  try {
    parseConfigText(text, 'perf.yml', env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return [error.message, ...error.issues.map((issue) => issue.message)].join('\n');
    }
    throw error;
  }
  throw new Error(`expected a ConfigError for:\n${text}`);
}

describe('secrets in error messages', () => {
  it('never shows a secret, whatever field it is in', () => {
    const env = { MY_TOKEN: SECRET, OPENAI_API_KEY: SECRET, SERVICE_PASSWORD: SECRET };
    for (const text of leakyConfigs(SECRET)) {
      const message = messageOf(text, env);
      expect(message, text).not.toContain(SECRET);
      expect(message, text).not.toContain('9f8e7d6c5b4a');
    }
  });

  it('describes hidden values by kind', () => {
    const text = [
      'target:',
      '  provider: openai',
      '  base_url: http://127.0.0.1:8000/v1',
      '  model: m',
      '  api: ${MY_TOKEN}',
      '  headers: { Authorization: 12345678 }',
      'scenarios: [{ name: s, concurrency: 1, requests: 1, input_tokens: { mean: 1 }, output_tokens: { mean: 1 } }]',
    ].join('\n');
    expect(messageOf(text, { MY_TOKEN: SECRET }).split('\n').slice(1, 3)).toEqual([
      '  target.api: expected one of "chat", "completions", got a string (perf.yml:5)',
      '  target.headers.Authorization: expected a string, got a number (quote it to make it a string) (perf.yml:6)',
    ]);
  });

  it('holds for arbitrary key-like secrets', () => {
    const secret = fc
      .string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'),
        minLength: 12,
      })
      .map((s) => `sk-${s}`);
    fc.assert(
      fc.property(secret, (value) => {
        const env = { MY_TOKEN: value, OPENAI_API_KEY: value, SERVICE_PASSWORD: value };
        for (const text of leakyConfigs(value)) expect(messageOf(text, env)).not.toContain(value);
      }),
      { numRuns: 30 },
    );
  });
});

describe('secrets list', () => {
  it('holds api_key, header values, URL credentials and credential-like variables, not other variables', () => {
    const text = [
      'target:',
      '  provider: openai',
      '  base_url: https://bench:${PROXY_PASSWORD}@gateway.internal/v1',
      '  model: ${MODEL_NAME}',
      '  api_key: literal-key-1',
      '  headers: { X-Org: org-77, X-Trace: "${TRACE_ID}" }',
      '  extra_body: { user: "${HF_TOKEN}" }',
      'scenarios: [{ name: s, concurrency: 1, requests: 1, input_tokens: { mean: 1 }, output_tokens: { mean: 1 } }]',
    ].join('\n');
    const env = {
      PROXY_PASSWORD: 'pw-123456',
      MODEL_NAME: 'llama',
      TRACE_ID: 'trace-1',
      HF_TOKEN: 'hf_abcdef',
    };
    const { secrets } = parseConfigText(text, 'perf.yml', env);
    expect([...secrets].sort()).toEqual(['hf_abcdef', 'literal-key-1', 'org-77', 'pw-123456', 'trace-1']);
  });
});

describe('short values', () => {
  const config = (targetLine: string) =>
    [
      'target:',
      '  provider: openai',
      '  base_url: http://127.0.0.1:8000/v1',
      '  model: m',
      targetLine,
      'scenarios: [{ name: s, concurrency: 1, requests: 1, input_tokens: { mean: 1 }, output_tokens: { mean: 1 } }]',
    ].join('\n');

  it('are not collected as secrets, so messages stay readable, but secret fields are still masked', () => {
    const loaded = parseConfigText(config('  api_key: abc'), 'perf.yml', {});
    expect(loaded.secrets).toEqual([]);
    expect(openai(redactConfig(loaded.config).target).api_key).toBe('***');
    expect(messageOf(config('  headers: [a]'), {})).toContain(
      'target.headers: expected an object (key: value pairs), got a list of 1 (perf.yml:5)',
    );
  });
});

describe('redactConfig', () => {
  const text = [
    'target:',
    '  provider: openai',
    '  base_url: https://bench:${PROXY_PASSWORD}@gateway.internal/v1',
    '  model: ${MODEL_NAME}',
    '  api_key: ${OPENAI_API_KEY}',
    '  headers: { X-Org: org-77 }',
    '  extra_body: { user: "id-${HF_TOKEN}", temperature: 0, stop: ["${MODEL_NAME}"] }',
    'scenarios: [{ name: s, concurrency: 1, requests: 1, input_tokens: { mean: 1 }, output_tokens: { mean: 1 } }]',
  ].join('\n');
  const env = {
    PROXY_PASSWORD: 'pw-123456',
    MODEL_NAME: 'llama',
    OPENAI_API_KEY: SECRET,
    HF_TOKEN: 'hf_abcdef',
  };

  it('masks api_key, header values, URL passwords and values from credential-like variables', () => {
    const loaded = parseConfigText(text, 'perf.yml', env);
    const redacted = redactConfig(loaded.config, loaded.secrets);
    expect(redacted.target).toEqual({
      ...loaded.config.target,
      base_url: '***',
      api_key: '***',
      headers: { 'X-Org': '***' },
      extra_body: { user: '***', temperature: 0, stop: ['llama'] },
    });
    expect(redacted.scenarios).toEqual(loaded.config.scenarios);
    expect(JSON.stringify(redacted)).not.toMatch(/pw-123456|hf_abcdef|org-77|sk-live/);
  });

  it('masks by field name and URL shape even without a secrets list', () => {
    const loaded = parseConfigText(text, 'perf.yml', env);
    const redacted = redactConfig(loaded.config);
    expect(openai(redacted.target).base_url).toBe('https://bench:***@gateway.internal/v1');
    expect(openai(redacted.target).api_key).toBe('***');
    expect(openai(redacted.target).headers).toEqual({ 'X-Org': '***' });
  });

  it('returns a deep copy and leaves the config alone', () => {
    const loaded = parseConfigText(text, 'perf.yml', env);
    const before = structuredClone(loaded.config);
    const redacted = redactConfig(loaded.config, loaded.secrets);
    expect(loaded.config).toEqual(before);
    expect(redacted.scenarios[0]).not.toBe(loaded.config.scenarios[0]);
    expect(openai(redacted.target).extra_body).not.toBe(openai(loaded.config.target).extra_body);
  });
});

describe('maskUrlCredentials', () => {
  it.each([
    ['https://user:pass@host:8443/v1?x=1', 'https://user:***@host:8443/v1?x=1'],
    ['https://ghp_token@host/v1', 'https://***@host/v1'],
    ['http://127.0.0.1:8000/v1', 'http://127.0.0.1:8000/v1'],
    ['http://host/v1?email=a@b.c', 'http://host/v1?email=a@b.c'],
    ['not a url user:pass@host', 'not a url user:pass@host'],
  ])('%s → %s', (input, expected) => {
    expect(maskUrlCredentials(input)).toBe(expected);
  });
});
