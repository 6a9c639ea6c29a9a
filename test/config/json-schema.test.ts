import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configJsonSchemaText } from '../../src/config/index.js';

describe('config JSON Schema', () => {
  it('is committed up to date in schema/config.schema.json (regenerate: node scripts/write-config-schema.mjs)', async () => {
    const committed = await readFile('schema/config.schema.json', 'utf8');
    expect(committed).toBe(configJsonSchemaText());
  });

  it('describes what users write: draft-07, titled, defaults optional, unknown keys rejected', () => {
    const schema = configJsonSchema() as {
      $schema: string;
      title: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { items?: { required: string[]; properties: Record<string, unknown> } }>;
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.title).toBe('llm-perf-gate configuration');
    expect(schema.required).toEqual(['target', 'scenarios']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.scenarios?.items?.required).toEqual(['name', 'input_tokens', 'output_tokens']);
    // A level, or a list of levels (a sweep).
    expect(schema.properties.scenarios?.items?.properties.concurrency).toMatchObject({
      anyOf: [
        { type: 'integer', exclusiveMinimum: 0 },
        { type: 'array', items: { type: 'integer', exclusiveMinimum: 0 }, minItems: 1 },
      ],
      description: expect.any(String),
    });
  });

  it('leaves URL fields without a format, so ${VAR} references are not flagged', () => {
    expect(configJsonSchemaText()).not.toContain('"format"');
    expect(configJsonSchemaText()).toContain('"base_url"');
  });
});
