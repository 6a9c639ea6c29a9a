/**
 * Entry point of the simulator worker thread (bundled as dist/sim-worker.js). Starts the simulator from `workerData`
 * and serves the calls of worker-protocol.ts until `close`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type SimHandle } from './server.js';
import type { WorkerCall, WorkerMessage, WorkerStart } from './worker-protocol.js';

function post(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

async function answer(handle: SimHandle, call: WorkerCall): Promise<WorkerMessage> {
  switch (call.op) {
    case 'truth':
      return { type: 'result', id: call.id, truth: await handle.truth() };
    case 'clearTruth':
      await handle.clearTruth();
      return { type: 'result', id: call.id };
    case 'close':
      await handle.close(); // the parent terminates the worker once it has this answer
      return { type: 'result', id: call.id };
  }
}

async function main(): Promise<void> {
  if (parentPort === null) throw new Error('sim worker entry: must run in a worker thread (no parentPort)');
  const start = workerData as WorkerStart;
  let handle: SimHandle;
  try {
    handle = await startSimulator(start.knobs, { port: start.port, host: start.host });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  parentPort.on('message', (call: WorkerCall) => {
    answer(handle, call).then(post, (error: unknown) =>
      post({ type: 'error', id: call.id, message: error instanceof Error ? error.message : String(error) }),
    );
  });
  post({
    type: 'ready',
    addresses: { url: handle.url, origin: handle.origin, port: handle.port, h2Origin: handle.h2Origin },
  });
}

void main();
