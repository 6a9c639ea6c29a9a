/**
 * The tiny message protocol between {@link startSimulatorInWorker} and the worker entry: the worker starts from
 * `workerData`, says `ready` (or `failed`), then answers numbered calls.
 */
import type { SimKnobs } from './knobs.js';
import type { SimAddresses } from './server.js';
import type { SimTruth } from './truth.js';

/** Passed as `workerData`. */
export interface WorkerStart {
  readonly knobs: SimKnobs;
  readonly port: number;
  readonly host: string;
}

/** Parent → worker. */
export interface WorkerCall {
  readonly id: number;
  readonly op: 'truth' | 'clearTruth' | 'close';
}

/** Worker → parent. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly addresses: SimAddresses }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly truth?: SimTruth[] }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
