/**
 * Start the simulator in this thread over one {@link Simulation}: an HTTP/1.1 server with every face, and an HTTP/2
 * cleartext server with the Bedrock face (the AWS SDK's default transport).
 * For measurements, prefer {@link startSimulatorInWorker} (worker.ts), which keeps the simulator's CPU and timers
 * off the client's event loop.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBedrockH2Server } from './bedrock-h2.js';
import { parseKnobs, type SimKnobs } from './knobs.js';
import { createSimListener } from './router.js';
import { Simulation } from './simulation.js';
import type { SimTruth } from './truth.js';

/** Where the simulator listens. */
export interface SimulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; default 127.0.0.1. The simulator never listens publicly unless told to. */
  readonly host?: string;
  /** TCP port of the HTTP/2 cleartext server (Bedrock face); 0 (the default) picks a free one. */
  readonly h2Port?: number;
}

/** Where each face of a running simulator is reached. */
export interface SimAddresses {
  /** Base URL of the OpenAI API, e.g. http://127.0.0.1:41234/v1 */
  readonly url: string;
  /** The HTTP/1.1 origin every other face is served on, e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  readonly port: number;
  /** The HTTP/2 cleartext (h2c, prior knowledge) origin of the Bedrock face, e.g. http://127.0.0.1:41235 */
  readonly h2Origin: string;
}

/** A running simulator, in this thread or in a worker. */
export interface SimHandle extends SimAddresses {
  /** The full, validated knobs in effect. */
  readonly knobs: SimKnobs;
  /** The truth log so far (empty unless log_truth). Times are on the simulator thread's clock: compare durations. */
  truth(): Promise<SimTruth[]>;
  /** Forget the truth log. */
  clearTruth(): Promise<void>;
  /** Stop the model, cut every open connection and free the port. */
  close(): Promise<void>;
}

/** Loopback: the default interface. */
export const DEFAULT_SIM_HOST = '127.0.0.1';

/** Base URL of the OpenAI API served at host:port. */
export function simulatorUrl(host: string, port: number): string {
  const name = host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}/v1`;
}

/**
 * Start a simulator in this thread.
 * @param knobs knob overrides (validated; unknown or invalid knobs throw SimKnobError)
 */
export async function startSimulator(
  knobs: Partial<SimKnobs> = {},
  options: SimulatorOptions = {},
): Promise<SimHandle> {
  const parsed = parseKnobs(knobs);
  const host = options.host ?? DEFAULT_SIM_HOST;
  const sim = new Simulation(parsed);
  const server = createServer({ noDelay: true, keepAlive: true }, createSimListener(sim));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let h2: Awaited<ReturnType<typeof startBedrockH2Server>>;
  try {
    h2 = await startBedrockH2Server(sim, host, options.h2Port ?? 0);
  } catch (error) {
    server.close();
    throw error;
  }
  sim.markStarted();
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: simulatorUrl(host, port),
    origin: simulatorUrl(host, port).replace(/\/v1$/, ''),
    port,
    h2Origin: simulatorUrl(host, h2.port).replace(/\/v1$/, ''),
    knobs: parsed,
    truth: () => Promise.resolve(sim.truth.list()),
    clearTruth: () => {
      sim.truth.clear();
      return Promise.resolve();
    },
    close: () => {
      closing ??= Promise.all([
        new Promise<void>((resolve, reject) => {
          sim.stop();
          server.close((error) => (error === undefined ? resolve() : reject(error)));
          server.closeAllConnections();
        }),
        h2.close(),
      ]).then(() => undefined);
      return closing;
    },
  };
}
