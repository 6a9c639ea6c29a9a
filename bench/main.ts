/**
 * `npm run bench`: the performance figures of the load generator itself (a generator that is its own bottleneck
 * lies). It prints numbers, one table per section, and never asserts: medians over repetitions, with the machine
 * they were measured on. Targets from the issue are shown as met or missed.
 *
 *   node build/bench.js [--quick] [--reps N] [--json PATH] [--only ID,...]
 *
 * The same bundled file also runs the benchmark's helper processes when its first argument is a role flag
 * (see child-process.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHILD_ROLES } from './child-process.js';
import { benchEnvironment } from './environment.js';
import { runFirehoseServer } from './firehose-server.js';
import { runMemoryClient } from './memory-client.js';
import { BenchUsageError, parseBenchArgs, USAGE, type BenchOptions } from './options.js';
import { renderEnvironment, renderSection, renderTargetSummary } from './render.js';
import type { SectionReport, TargetCheck } from './section.js';
import { SECTIONS } from './sections.js';

/** Version of the JSON file's layout. */
const BENCH_JSON_VERSION = 1;

async function runBench(options: BenchOptions): Promise<void> {
  const unknown = (options.only ?? []).filter((id) => !SECTIONS.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new BenchUsageError(
      `--only: unknown section ${unknown.join(', ')} (known: ${SECTIONS.map((s) => s.id).join(', ')})`,
    );
  }
  const sections = SECTIONS.filter((s) => options.only === undefined || options.only.includes(s.id));
  const environment = benchEnvironment();
  const started = performance.now();
  console.log(`${renderEnvironment(environment, options.reps, options.quick)}\n`);
  const reports: Record<string, SectionReport & { readonly title: string; readonly seconds: number }> = {};
  const targets: TargetCheck[] = [];
  for (const section of sections) {
    const t0 = performance.now();
    const report = await section.run({
      quick: options.quick,
      reps: options.reps,
      benchFile: fileURLToPath(import.meta.url),
      log: (message) => process.stderr.write(`[bench] ${message}\n`),
    });
    const seconds = (performance.now() - t0) / 1000;
    reports[section.id] = { title: section.title, seconds, ...report };
    targets.push(...report.targets);
    console.log(`${renderSection(section, report, seconds)}\n`);
  }
  if (targets.length > 0) console.log(`${renderTargetSummary(targets)}\n`);
  const totalSeconds = (performance.now() - started) / 1000;
  const loadAverageAtEnd = loadavg();
  console.log(
    `Total ${totalSeconds.toFixed(1)} s; load average at end ${loadAverageAtEnd.map((x) => x.toFixed(2)).join(' ')}.`,
  );
  if (options.jsonPath !== undefined) {
    await mkdir(dirname(options.jsonPath), { recursive: true });
    const json = {
      benchVersion: BENCH_JSON_VERSION,
      date: new Date().toISOString(),
      options: { quick: options.quick, reps: options.reps, only: options.only ?? null },
      environment,
      loadAverageAtEnd,
      totalSeconds,
      sections: reports,
      targets,
    };
    await writeFile(options.jsonPath, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`Figures written to ${options.jsonPath}`);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === CHILD_ROLES.firehoseServer) return runFirehoseServer(argv);
  if (argv[0] === CHILD_ROLES.memoryClient) return runMemoryClient(argv);
  const options = parseBenchArgs(argv);
  if (options.help) {
    console.log(
      `${USAGE}\n\nsections:\n${SECTIONS.map((s) => `  ${s.id.padEnd(14)} ${s.title}`).join('\n')}`,
    );
    return;
  }
  await runBench(options);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    console.error(`error: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
