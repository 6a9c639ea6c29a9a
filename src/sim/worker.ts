/**
 * Run the simulator in a worker thread, so its CPU work and timers never share the client's event loop.
 *
 * The worker script is resolved relative to this module (see {@link WORKER_FILE_CANDIDATES}), so it works from the tsc
 * output and from the esbuild bundle. Pass `workerFile` to use another script, e.g. one bundled on the fly from
 * src/sim/worker-entry.ts where the sources are TypeScript (Vitest on Node 20 cannot run a .ts worker).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseKnobs, type SimKnobs } from './knobs.js';
import { DEFAULT_SIM_HOST, type SimAddresses, type SimHandle, type SimulatorOptions } from './server.js';
import type { SimTruth } from './truth.js';
import type { WorkerCall, WorkerMessage, WorkerStart } from './worker-protocol.js';

/**
 * Worker scripts tried, in order, relative to this module: the tsc output (lib/sim/worker-entry.js), the bundle
 * (dist/sim-worker.js beside dist/cli.js), and the bundle when code splitting moved this module into a chunk folder
 * (dist/chunks/chunk-*.js).
 */
export const WORKER_FILE_CANDIDATES = ['./worker-entry.js', './sim-worker.js', '../sim-worker.js'] as const;

/** Options of {@link startSimulatorInWorker}. */
export interface WorkerSimulatorOptions extends SimulatorOptions {
  /** The worker script (path or file: URL); default: {@link defaultWorkerFile}. */
  readonly workerFile?: string | URL;
}

/**
 * The worker script next to `base` (default: this module): the first of {@link WORKER_FILE_CANDIDATES} that exists.
 * @throws Error listing the places looked at
 */
export function defaultWorkerFile(base: string | URL = import.meta.url): URL {
  for (const candidate of WORKER_FILE_CANDIDATES) {
    const url = new URL(candidate, base);
    if (existsSync(url)) return url;
  }
  const folder = fileURLToPath(new URL('.', base));
  throw new Error(
    `simulator worker script not found relative to ${folder} (looked for ${WORKER_FILE_CANDIDATES.join(', ')}); ` +
      'build or bundle src/sim/worker-entry.ts, or pass options.workerFile',
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Start a simulator in a worker thread. Same handle shape as startSimulator; truth times are on the worker's clock.
 * @throws SimKnobError for invalid knobs (before any worker starts); Error when the worker fails to start
 */
export async function startSimulatorInWorker(
  knobs: Partial<SimKnobs> = {},
  options: WorkerSimulatorOptions = {},
): Promise<SimHandle> {
  const parsed = parseKnobs(knobs);
  const start: WorkerStart = {
    knobs: parsed,
    port: options.port ?? 0,
    host: options.host ?? DEFAULT_SIM_HOST,
  };
  const worker = new Worker(options.workerFile ?? defaultWorkerFile(), { workerData: start });
  const pending = new Map<number, { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited: Error | undefined;

  const ready = new Promise<SimAddresses>((resolve, reject) => {
    const fail = (error: Error): void => {
      exited ??= error;
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolve(message.addresses);
      else if (message.type === 'failed') {
        reject(new Error(`simulator worker failed to start: ${message.message}`));
        void worker.terminate();
      } else {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.type === 'error') call?.reject(new Error(`simulator worker: ${message.message}`));
        else call?.resolve(message);
      }
    });
    worker.on('error', (error) => fail(new Error(`simulator worker crashed: ${errorText(error)}`)));
    worker.on('exit', (code) => fail(new Error(`simulator worker exited (code ${code})`)));
  });

  const call = (op: WorkerCall['op']): Promise<WorkerMessage> => {
    if (exited !== undefined) return Promise.reject(exited);
    const id = nextId++;
    return new Promise<WorkerMessage>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op } satisfies WorkerCall);
    });
  };

  const addresses = await ready;
  let closing: Promise<void> | undefined;
  return {
    ...addresses,
    knobs: parsed,
    truth: async (): Promise<SimTruth[]> => {
      const answer = await call('truth');
      return answer.type === 'result' ? (answer.truth ?? []) : [];
    },
    clearTruth: async () => {
      await call('clearTruth');
    },
    close: () => {
      closing ??= (async () => {
        if (exited === undefined) await call('close');
        await worker.terminate();
      })();
      return closing;
    },
  };
}
