import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../src/config/index.js';
import type { ConfigIssue } from '../../src/config/index.js';
import type { OpenAITargetConfig, TargetConfig } from '../../src/config/schema.js';
/** Narrows a parsed target to the OpenAI one these tests write. */
function openai(target: TargetConfig): OpenAITargetConfig {
  if (target.provider !== 'openai') throw new Error(`expected an openai target, got ${target.provider}`);
  return target;
}

const FIXTURES = 'fixtures/configs';
const ENV = { OPENAI_API_KEY: 'sk-test-0123456789abcdef' };

/** A valid config, one field per line, so tests can replace a line and know the line number. */
const VALID_LINES = [
  'target:', // 1
  '  provider: openai', // 2
  '  base_url: http://127.0.0.1:8000/v1', // 3
  '  model: test-model', // 4
  '  api_key: ${OPENAI_API_KEY}', // 5
  'scenarios:', // 6
  '  - name: first', // 7
  '    concurrency: 2', // 8
  '    requests: 10', // 9
  '    input_tokens: { mean: 100 }', // 10
  '    output_tokens: { mean: 20 }', // 11
  '  - name: second', // 12
  '    concurrency: 4', // 13
  '    duration_s: 5', // 14
  '    input_tokens: { mean: 100 }', // 15
  '    output_tokens: { mean: 20 }', // 16
];

/** VALID_LINES with line `n` (1-based) replaced by `replacement` lines (none deletes it). */
function withLine(n: number, ...replacement: string[]): string {
  const lines = [...VALID_LINES];
  lines.splice(n - 1, 1, ...replacement);
  return `${lines.join('\n')}\n`;
}

/** The ConfigError thrown by parsing `text` (fails the test when nothing is thrown). */
function configError(text: string, env: Record<string, string> = ENV, file = 'perf.yml'): ConfigError {
  try {
    parseConfigText(text, file, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function issueLines(error: ConfigError): string[] {
  return error.message
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
}

describe('valid configs', () => {
  it('loads the example with defaults applied and the key interpolated', async () => {
    const loaded = await loadConfig(join(FIXTURES, 'example.yml'), ENV);
    expect(loaded.path).toBe(join(FIXTURES, 'example.yml'));
    const { target, readiness, scenarios } = loaded.config;
    expect(target).toMatchObject({
      provider: 'openai',
      base_url: 'http://127.0.0.1:8000/v1',
      api: 'chat',
      api_key: ENV.OPENAI_API_KEY,
      headers: {},
      include_usage: true,
      extra_body: { temperature: 0 },
    });
    expect(readiness).toEqual({ timeout_s: 600, initial_interval_s: 1, max_interval_s: 15 });
    expect(scenarios.map((s) => s.name)).toEqual(['chat-c8', 'long-prompt-c2']);
    expect(scenarios[0]).toMatchObject({ timeout_s: 120, grace_s: 30, seed: 1, force_output_length: false });
    expect(scenarios[0]?.output_tokens).toEqual({ mean: 128, stddev: 0 });
    expect(scenarios[1]).toMatchObject({
      warmup_requests: 0,
      seed: 0,
      duration_s: 60,
      force_output_length: true,
    });
    expect(loaded.secrets).toEqual([ENV.OPENAI_API_KEY]);
  });

  it('loads JSON files with the same parser', async () => {
    const loaded = await loadConfig(join(FIXTURES, 'example.json'), { GATEWAY_TOKEN: 'gw-token-42' });
    expect(loaded.config.target).toMatchObject({
      api: 'completions',
      headers: { 'X-Api-Key': 'gw-token-42' },
    });
    expect(loaded.config.version).toBe(1);
    expect(loaded.secrets).toEqual(['gw-token-42']);
  });

  it('applies every default to a minimal config', () => {
    const { config } = parseConfigText(withLine(5), 'perf.yml', {});
    expect(config.version).toBe(1);
    expect(openai(config.target).api_key).toBeUndefined();
    expect(config.target).toMatchObject({ api: 'chat', headers: {}, extra_body: {}, include_usage: true });
    expect(config.readiness).toEqual({ timeout_s: 300, initial_interval_s: 1, max_interval_s: 15 });
    expect(config.scenarios[1]).toMatchObject({ warmup_requests: 0, timeout_s: 120, grace_s: 30, seed: 0 });
  });
});

describe('validation messages', () => {
  it('reports every problem of the invalid fixture with path and line, in file order', async () => {
    const error = await loadConfig(join(FIXTURES, 'invalid.yml'), ENV).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const file = join(FIXTURES, 'invalid.yml');
    expect((error as ConfigError).message).toBe(
      [
        `Invalid config ${file}:`,
        `  target.model: required (${file}:3)`,
        `  target.base_url: expected an http:// or https:// URL, got "ftp://127.0.0.1:8000/v1" (${file}:5)`,
        `  target.api: expected one of "chat", "completions", got "chatt" (did you mean "chat"?) (${file}:6)`,
        `  scenarios[1].concurrency: expected a positive integer (or a list of them), got "eight" (${file}:15)`,
        `  scenarios[1].input_tokens.stdev: unknown key (did you mean "stddev"?) (${file}:17)`,
        `  scenarios[1].output_tokens.mean: expected a positive number, got -5 (${file}:18)`,
      ].join('\n'),
    );
    expect((error as ConfigError).issues[3]).toEqual<ConfigIssue>({
      path: 'scenarios[1].concurrency',
      message: 'expected a positive integer (or a list of them), got "eight"',
      line: 15,
      column: 5,
    });
  });

  it.each<[number, ...string[]]>([
    [
      8,
      '    concurrency: eight',
      'scenarios[0].concurrency: expected a positive integer (or a list of them), got "eight" (perf.yml:8)',
    ],
    [
      8,
      '    concurrency: 1.5',
      'scenarios[0].concurrency: expected a positive integer (or a list of them), got 1.5 (perf.yml:8)',
    ],
    [
      8,
      '    concurrency: 0',
      'scenarios[0].concurrency: expected a positive integer (or a list of them), got 0 (perf.yml:8)',
    ],
    [
      8,
      '    concurrency: -3',
      'scenarios[0].concurrency: expected a positive integer (or a list of them), got -3 (perf.yml:8)',
    ],
    [
      8,
      '    concurrency:',
      'scenarios[0].concurrency: expected a positive integer (or a list of them), got null (an empty value) (perf.yml:8)',
    ],
    [
      9,
      '    requests: [1, 2]',
      'scenarios[0].requests: expected a positive integer, got a list of 2 (perf.yml:9)',
    ],
    [4, '  model: ""', 'target.model: expected a non-empty string, got an empty string (perf.yml:4)'],
    [
      4,
      '  model: 7',
      'target.model: expected a non-empty string, got 7 (quote it to make it a string) (perf.yml:4)',
    ],
    [
      2,
      '  provider: x',
      'target.provider: expected one of "openai", "bedrock", "sagemaker", "tgi", got "x" (perf.yml:2)',
    ],
    [
      2,
      '  provider: opneai',
      'target.provider: expected one of "openai", "bedrock", "sagemaker", "tgi", got "opneai" (did you mean "openai"?) (perf.yml:2)',
    ],
    [
      3,
      '  base_url: not a url',
      'target.base_url: expected an http:// or https:// URL, got "not a url" (perf.yml:3)',
    ],
    [
      7,
      '  - name: has space',
      'scenarios[0].name: expected letters, digits, ".", "_" or "-", got "has space" (perf.yml:7)',
    ],
    [12, '  - name: first', 'scenarios[1].name: duplicate scenario name "first" (perf.yml:12)'],
    [
      9,
      '    requests: 10',
      '    duration_s: 3',
      'scenarios[0].requests: give exactly one of requests or duration_s (perf.yml:9)',
    ],
    [9, 'scenarios[0].requests: give exactly one of requests or duration_s (perf.yml:7)'],
    [
      10,
      '    input_tokens: { mean: 1, max: 2, min: 1, stddev: -1 }',
      'scenarios[0].input_tokens.stddev: expected a non-negative number, got -1 (perf.yml:10)',
    ],
    [1, 'version: 2', 'target:', 'version: expected 1, got 2 (perf.yml:1)'],
    [
      1,
      'readiness: { timeout_s: soon }',
      'target:',
      'readiness.timeout_s: expected a non-negative number, got "soon" (perf.yml:1)',
    ],
    [1, 'extra: true', 'target:', 'extra: unknown key (perf.yml:1)'],
  ])('line %i → %s', (line, ...rest) => {
    const expected = rest.pop() ?? '';
    expect(issueLines(configError(withLine(line, ...rest)))).toEqual([expected]);
  });

  it('requires scenarios to be a non-empty list', () => {
    const head = VALID_LINES.slice(0, 5);
    expect(issueLines(configError([...head, 'scenarios: []'].join('\n')))).toEqual([
      'scenarios: expected a list with at least 1 item, got an empty list (perf.yml:6)',
    ]);
    expect(issueLines(configError([...head, 'scenarios: { name: a }'].join('\n')))).toEqual([
      'scenarios: expected a list with at least 1 item, got an object (perf.yml:6)',
    ]);
  });

  it('reports every failed refinement', () => {
    expect(issueLines(configError(withLine(10, '    input_tokens: { mean: 10, min: 5, max: 2 }')))).toEqual([
      'scenarios[0].input_tokens.min: min must not exceed max (perf.yml:10)',
      'scenarios[0].input_tokens.mean: mean must be at most max (perf.yml:10)',
    ]);
  });

  it('points a missing field at the line of its parent', () => {
    expect(issueLines(configError(withLine(4)))).toEqual(['target.model: required (perf.yml:1)']);
    expect(issueLines(configError(withLine(8)))).toEqual([
      'scenarios[0].concurrency: give exactly one of concurrency (closed loop) or rate (open loop) (perf.yml:7)',
    ]);
    expect(issueLines(configError(withLine(2)))).toEqual(['target.provider: required (perf.yml:1)']);
  });

  it('names unknown keys with a suggestion from the schema', () => {
    const error = configError(withLine(8, '    concurency: 2'));
    expect(issueLines(error)).toEqual([
      'scenarios[0].concurrency: give exactly one of concurrency (closed loop) or rate (open loop) (perf.yml:7)',
      'scenarios[0].concurency: unknown key (did you mean "concurrency"?) (perf.yml:8)',
    ]);
    expect(issueLines(configError(withLine(1, 'targt:')))).toEqual([
      'target: required (perf.yml:1)',
      'targt: unknown key (did you mean "target"?) (perf.yml:1)',
    ]);
    expect(issueLines(configError(withLine(9, '    requests: 10', '    zzz: 1')))).toEqual([
      'scenarios[0].zzz: unknown key (perf.yml:10)',
    ]);
  });

  it('quotes keys that are not identifiers in paths', () => {
    expect(issueLines(configError(withLine(4, '  model: m', '  extra_body: 5')))).toEqual([
      'target.extra_body: expected an object (key: value pairs), got 5 (perf.yml:5)',
    ]);
    expect(issueLines(configError(withLine(4, '  model: m', '  tls: { "ca file": x }')))).toEqual([
      'target.tls["ca file"]: unknown key (did you mean "ca_file"?) (perf.yml:5)',
    ]);
  });

  it('truncates long values', () => {
    const long = 'x'.repeat(200);
    const [line = ''] = issueLines(configError(withLine(7, `  - name: ${long} y`)));
    expect(line).toMatch(/^scenarios\[0\]\.name: expected .*, got "x{50,58}…" \(perf\.yml:7\)$/);
  });

  it('reports whole-document problems at their position', () => {
    expect(issueLines(configError('- a\n- b\n'))).toEqual([
      'perf.yml:1:1: expected an object (key: value pairs), got a list of 2',
    ]);
    expect(issueLines(configError('# only a comment\n'))).toEqual([
      'the file is empty: expected an object with "target" and "scenarios"',
    ]);
  });

  it('reports YAML syntax errors as file:line:column with the parser message', () => {
    const error = configError(withLine(9, '   requests: 10'));
    expect(error.issues[0]).toEqual({
      path: '',
      line: 9,
      column: 1,
      message: 'Sequence item without - indicator',
    });
    expect(error.message.split('\n').slice(0, 2)).toEqual([
      'Invalid config perf.yml:',
      '  perf.yml:9:1: Sequence item without - indicator',
    ]);
  });

  it('reports duplicate keys, tabs and unresolved aliases with their position', () => {
    expect(issueLines(configError(withLine(4, '  model: a', '  model: b')))).toEqual([
      'perf.yml:5:3: Map keys must be unique',
    ]);
    expect(issueLines(configError('target:\n\tprovider: openai\n'))).toEqual([
      'perf.yml:2:1: Tabs are not allowed as indentation',
    ]);
    expect(issueLines(configError(withLine(4, '  model: *missing')))).toEqual([
      'perf.yml:4:10: Unresolved alias (the anchor must be set before the alias): missing',
    ]);
  });

  it('validates JSON files with lines', async () => {
    const file = join(FIXTURES, 'invalid.json');
    const error = await loadConfig(file, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(issueLines(error as ConfigError)).toEqual([
      `scenarios[0].concurrency: expected a positive integer (or a list of them), got 0 (${file}:10)`,
      `scenarios[0].timeout: unknown key (did you mean "timeout_s"?) (${file}:14)`,
    ]);
  });

  it('derives the provider list from the schema', async () => {
    const file = join(FIXTURES, 'wrong-provider.yml');
    const error = await loadConfig(file, {}).catch((e: unknown) => e);
    expect(issueLines(error as ConfigError)).toEqual([
      `target.provider: expected one of "openai", "bedrock", "sagemaker", "tgi", got "vertex" (${file}:2)`,
    ]);
  });

  it('follows aliases to their values', () => {
    const text = withLine(10, '    input_tokens: &len { mean: 100 }').replace(
      'input_tokens: { mean: 100 }',
      'input_tokens: *len',
    );
    const { config } = parseConfigText(text, 'perf.yml', ENV);
    expect(config.scenarios[1]?.input_tokens).toEqual({ mean: 100, stddev: 0 });
  });
});

describe('environment interpolation', () => {
  it('names the missing variable and the field', () => {
    const error = configError(withLine(3, '  base_url: ${VLLM_URL}/v1'), {});
    expect(issueLines(error)).toEqual([
      'target.base_url: environment variable VLLM_URL is not set (perf.yml:3)',
      'target.api_key: environment variable OPENAI_API_KEY is not set (perf.yml:5)',
    ]);
  });

  it('rejects an empty variable unless the reference allows it', () => {
    expect(issueLines(configError(VALID_LINES.join('\n'), { OPENAI_API_KEY: '' }))).toEqual([
      'target.api_key: environment variable OPENAI_API_KEY is empty (write ${OPENAI_API_KEY:-} to accept an empty value) (perf.yml:5)',
    ]);
  });

  it('substitutes defaults and escapes, anywhere in a string', () => {
    const text = withLine(
      3,
      '  base_url: http://${HOST:-127.0.0.1}:${PORT}/v1',
      '  extra_body: { note: "$${NOT_A_VAR} and $5", user: "${USER_NAME:-anonymous}" }',
    );
    const { config } = parseConfigText(text, 'perf.yml', { ...ENV, PORT: '8001', USER_NAME: '' });
    expect(openai(config.target).base_url).toBe('http://127.0.0.1:8001/v1');
    expect(openai(config.target).extra_body).toEqual({ note: '${NOT_A_VAR} and $5', user: 'anonymous' });
  });

  it('keeps interpolated values strings, and says so when a number was expected', () => {
    const error = configError(withLine(8, '    concurrency: ${CONC}'), { ...ENV, CONC: '8' });
    expect(issueLines(error)).toEqual([
      'scenarios[0].concurrency: expected a positive integer (or a list of them), got "8" (values from ${CONC} are always strings: write the value in the file) (perf.yml:8)',
    ]);
  });

  it('reports malformed references without schema noise for the same field', () => {
    expect(issueLines(configError(withLine(3, '  base_url: ${VLLM URL}')))).toEqual([
      'target.base_url: invalid variable reference: expected ${NAME} or ${NAME:-default} (write $${ for a literal "${") (perf.yml:3)',
    ]);
    expect(issueLines(configError(withLine(3, '  base_url: "${VLLM_URL"')))).toEqual([
      'target.base_url: unterminated "${": expected ${NAME} or ${NAME:-default} (write $${ for a literal "${") (perf.yml:3)',
    ]);
  });

  it('does not interpolate keys', () => {
    const { config } = parseConfigText(withLine(4, '  model: m', '  extra_body: { "${X}": 1 }'), 'perf.yml', {
      ...ENV,
      X: 'y',
    });
    expect(openai(config.target).extra_body).toEqual({ '${X}': 1 });
  });
});

describe('unreadable files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perf-config-'));
    await writeFile(join(dir, 'ok.yml'), VALID_LINES.join('\n'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names a missing file', async () => {
    const path = join(dir, 'missing.yml');
    await expect(loadConfig(path, ENV)).rejects.toThrow(
      `Cannot read config ${path}:\n  file not found: ${path}`,
    );
  });

  it('names a directory given as the file', async () => {
    await expect(loadConfig(dir, ENV)).rejects.toThrow(`${dir} is a directory, not a config file`);
  });

  it('reads a file from disk with the given environment', async () => {
    const loaded = await loadConfig(join(dir, 'ok.yml'), ENV);
    expect(openai(loaded.config.target).api_key).toBe(ENV.OPENAI_API_KEY);
  });
});
