#!/usr/bin/env node
/**
 * Writes schema/config.schema.json from src/config/schema.ts. Runs without a build step: esbuild bundles the
 * TypeScript source in memory and the bundle is imported from a data: URL.
 *
 * Usage: node scripts/write-config-schema.mjs
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const bundle = await build({
  entryPoints: [fileURLToPath(new URL('src/config/json-schema.ts', root))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const code = bundle.outputFiles[0]?.text ?? '';
const { configJsonSchemaText } = await import(
  `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
);
const target = new URL('schema/config.schema.json', root);
await mkdir(new URL('./', target), { recursive: true });
await writeFile(target, configJsonSchemaText());
console.log(`wrote ${fileURLToPath(target)}`);
