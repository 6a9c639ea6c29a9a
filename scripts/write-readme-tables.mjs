// Regenerates the generated parts of README.md from the code: the metric definitions table, and the example pull
// request comment rendered from examples/pr-comment/baseline.json and results.json.
//   node scripts/write-readme-tables.mjs
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';

const result = await build({
  stdin: {
    contents: [
      "export { renderReadmeTables } from './src/report/readme-tables.ts';",
      "export { parseBaseline } from './src/gate/baseline-file.ts';",
      "export { parseResults } from './src/results/read.ts';",
    ].join('\n'),
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`;
const { renderReadmeTables, parseBaseline, parseResults } = await import(url);
const read = (file) => readFile(file, 'utf8');
const baselinePath = 'examples/pr-comment/baseline.json';
const resultsPath = 'examples/pr-comment/results.json';
const inputs = {
  exampleBaseline: parseBaseline(await read(baselinePath), baselinePath),
  exampleResults: parseResults(await read(resultsPath), resultsPath),
};
await writeFile('README.md', renderReadmeTables(await read('README.md'), inputs));
console.log('README.md generated sections rewritten');
