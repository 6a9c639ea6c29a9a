// Bundles the action, the CLI and the simulator worker with esbuild.
//   node scripts/bundle.mjs            -> dist/ (committed; the action runs dist/index.js)
//   node scripts/bundle.mjs --bench    -> build/ (ignored; the benchmark and its simulator worker)
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

const bench = process.argv.includes('--bench');
const outdir = bench ? 'build' : 'dist';
const entryPoints = {
  cli: 'src/cli/entry.ts',
  'sim-worker': 'src/sim/worker-entry.ts',
  ...(bench ? { bench: 'bench/main.ts' } : { index: 'src/action.ts' }),
};

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __lpgCreateRequire } from 'node:module'; const require = __lpgCreateRequire(import.meta.url);",
  },
});
console.log(`bundled ${Object.keys(entryPoints).join(', ')} into ${outdir}/`);
