/**
 * Times every new connection an undici Client/Pool opens (DNS + TCP + TLS) and attributes it to the request that the
 * connection was opened for.
 *
 * How the attribution works: undici calls its connector when a client with a queued request has no socket; when the
 * connector's callback reports the socket, undici synchronously (inside that callback) writes the request at the
 * head of that client's queue, which calls the request handler's `onRequestStart`. The wrapped connector publishes
 * the connect duration only for the duration of that callback, so the one `onRequestStart` that runs inside it — the
 * request that waited for this connection — takes it. Requests written on reused connections find nothing.
 */
import { buildConnector } from 'undici';
import type { Clock } from './types.js';

export class ConnectTimer {
  /** Pass as the `connect` option of an undici Pool or Client. */
  readonly connector: buildConnector.connector;
  #justConnectedMs: number | undefined;
  #opened = 0;

  constructor(clock: Clock, options: buildConnector.BuildOptions = {}) {
    const base = buildConnector(options);
    this.connector = (connectOptions, callback) => {
      const start = clock();
      base(connectOptions, (...args) => {
        if (args[0] !== null) {
          callback(...args);
          return;
        }
        this.#opened++;
        this.#justConnectedMs = clock() - start;
        try {
          callback(...args);
        } finally {
          this.#justConnectedMs = undefined;
        }
      });
    };
  }

  /** How many connections were opened so far. */
  get opened(): number {
    return this.#opened;
  }

  /**
   * Call from a handler's `onRequestStart`: the connect time (ms) when this request is the first one written on a
   * connection that was just opened for it, else undefined. Returns a given connection's time at most once.
   */
  take(): number | undefined {
    const ms = this.#justConnectedMs;
    this.#justConnectedMs = undefined;
    return ms;
  }
}
