/**
 * The config's JSON Schema, for editor completion and validation (`# yaml-language-server: $schema=...`), generated
 * from the zod schema so the two cannot disagree. schema/config.schema.json is this output, committed; regenerate it
 * with `node scripts/write-config-schema.mjs` (a test fails when it is stale).
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

/** Title shown by editors for files using the schema. */
export const CONFIG_SCHEMA_TITLE = 'llm-perf-gate configuration';

/**
 * The JSON Schema (draft-07, the dialect editors support best) of what users may write: defaulted fields are
 * optional. URL fields carry no `format`, because `base_url: ${VLLM_URL}/v1` is valid config that is not a URI until
 * interpolated, and editors would flag it.
 */
export function configJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(configSchema, {
    io: 'input',
    target: 'draft-07',
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'uri') delete jsonSchema.format;
    },
  });
  return { $schema, title: CONFIG_SCHEMA_TITLE, ...rest };
}

/** {@link configJsonSchema} as the exact text of schema/config.schema.json. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
