/**
 * The simulator in a worker thread. Under Vitest the sources are TypeScript, which a worker thread cannot load on
 * Node 20, so the worker entry is bundled with esbuild first, the way the release bundle ships it (sim-worker.js).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimKnobError } from '../../src/sim/knobs.js';
import { defaultWorkerFile, startSimulatorInWorker } from '../../src/sim/worker.js';
import { chat, chunksOf, post } from './helpers.js';

let dir: string;
let workerFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-worker-'));
  workerFile = join(dir, 'sim-worker.js');
  await build({
    entryPoints: [fileURLToPath(new URL('../../src/sim/worker-entry.ts', import.meta.url))],
    outfile: workerFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('simulator in a worker thread', () => {
  it('serves streams and answers truth/clearTruth/close through the worker protocol', async () => {
    const sim = await startSimulatorInWorker(
      { step_ms: 2, jitter: 0, log_truth: true, max_batch: 8 },
      { workerFile },
    );
    try {
      expect(sim.url).toBe(`http://127.0.0.1:${sim.port}/v1`);
      expect(sim.knobs.max_batch).toBe(8);
      const result = await post(sim, '/chat/completions', chat('hello', 5), { 'x-request-id': 'w-1' });
      expect(chunksOf(result).filter((c) => c.choices[0]?.delta?.content)).toHaveLength(5);
      const truth = await sim.truth();
      expect(truth).toMatchObject([{ requestId: 'w-1', outputTokens: 5, status: 200 }]);
      expect(truth[0]!.firstTokenMs! - truth[0]!.arrivalMs).toBeGreaterThan(0);
      await sim.clearTruth();
      expect(await sim.truth()).toEqual([]);
    } finally {
      await sim.close();
    }
    await expect(fetch(`${sim.url}/models`)).rejects.toThrow();
    await expect(sim.truth()).rejects.toThrow('exited');
  });

  it('validates knobs before starting a worker, and reports a worker that cannot listen', async () => {
    await expect(startSimulatorInWorker({ step_ms: -1 }, { workerFile })).rejects.toThrow(SimKnobError);
    const first = await startSimulatorInWorker({}, { workerFile });
    try {
      await expect(startSimulatorInWorker({}, { workerFile, port: first.port })).rejects.toThrow(
        /failed to start: .*EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });

  it('finds the worker script relative to the module: tsc output, bundle, or bundle chunk', async () => {
    const bundleDir = await mkdtemp(join(tmpdir(), 'sim-bundle-'));
    try {
      const base = pathToFileURL(join(bundleDir, 'cli.js'));
      expect(() => defaultWorkerFile(base)).toThrow(/worker-entry\.js, \.\/sim-worker\.js/);
      await writeFile(join(bundleDir, 'sim-worker.js'), '');
      expect(defaultWorkerFile(base).href).toBe(new URL('sim-worker.js', base).href);
      // code splitting may move the launcher into dist/chunks/
      const chunk = pathToFileURL(join(bundleDir, 'chunks', 'chunk-ABC.js'));
      expect(defaultWorkerFile(chunk).href).toBe(new URL('sim-worker.js', base).href);
      await writeFile(join(bundleDir, 'worker-entry.js'), '');
      expect(defaultWorkerFile(base).href).toBe(new URL('worker-entry.js', base).href);
    } finally {
      await rm(bundleDir, { recursive: true, force: true });
    }
  });
});
