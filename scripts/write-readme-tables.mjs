// Regenerates the generated parts of README.md (the metric definitions table) from the code.
//   node scripts/write-readme-tables.mjs
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';

const result = await build({
  stdin: {
    contents: "export { renderReadmeTables } from './src/report/readme-tables.ts';",
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`;
const { renderReadmeTables } = await import(url);
const readme = await readFile('README.md', 'utf8');
await writeFile('README.md', renderReadmeTables(readme));
console.log('README.md tables regenerated');
