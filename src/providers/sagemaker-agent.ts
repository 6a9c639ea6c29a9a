/**
 * The connection pool of the SageMaker provider. SageMaker Runtime speaks HTTP/1.1, so the AWS SDK's NodeHttpHandler
 * is given keep-alive node:http / node:https agents sized to the pool, whose connections remember how long they took
 * to open (DNS + TCP + TLS, from the agent's createConnection to connect / secureConnect).
 *
 * The first response read on a connection belongs to the request it was opened for (an agent opens a connection for a
 * request that found none free and writes that request on it first), so that request claims the connection's setup
 * time, once; requests on reused connections find nothing to claim.
 */
import { Agent as HttpAgent } from 'node:http';
import type { ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { RequestOptions as HttpsRequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Clock } from './types.js';

/** Setup times of connections not yet claimed by a request. */
export class ConnectionTimes {
  readonly #unclaimed = new WeakMap<object, number>();
  #opened = 0;

  /** How many connections were opened so far. */
  get opened(): number {
    return this.#opened;
  }

  /** A connection finished opening after `ms`. */
  record(socket: object, ms: number): void {
    this.#opened++;
    this.#unclaimed.set(socket, ms);
  }

  /** The setup time of `socket` if nobody claimed it yet (then it is claimed), else undefined. */
  claim(socket: object | null | undefined): number | undefined {
    if (socket === null || socket === undefined) return undefined;
    const ms = this.#unclaimed.get(socket);
    if (ms !== undefined) this.#unclaimed.delete(socket);
    return ms;
  }
}

/** The two agents handed to NodeHttpHandler. */
export interface TimedAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
  readonly times: ConnectionTimes;
  /** Close every pooled connection. */
  destroy(): void;
}

/** Start timing `socket` now; record its setup time when `readyEvent` fires. */
function watch(
  socket: Duplex | null | undefined,
  readyEvent: string,
  clock: Clock,
  times: ConnectionTimes,
): void {
  if (socket === null || socket === undefined) return;
  const start = clock();
  socket.once(readyEvent, () => times.record(socket, clock() - start));
}

/** Keep-alive agents with at most `maxSockets` connections per origin (and as many kept idle). */
export function createTimedAgents(clock: Clock, maxSockets: number): TimedAgents {
  const times = new ConnectionTimes();
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };

  class TimedHttpAgent extends HttpAgent {
    override createConnection(
      connectOptions: ClientRequestArgs,
      callback?: (err: Error | null, stream: Duplex) => void,
    ): Duplex | null | undefined {
      const socket = super.createConnection(connectOptions, callback);
      watch(socket, 'connect', clock, times);
      return socket;
    }
  }

  class TimedHttpsAgent extends HttpsAgent {
    override createConnection(
      connectOptions: HttpsRequestOptions,
      callback?: (err: Error | null, stream: Duplex) => void,
    ): Duplex | null | undefined {
      const socket = super.createConnection(connectOptions, callback);
      watch(socket, 'secureConnect', clock, times);
      return socket;
    }
  }

  const http = new TimedHttpAgent(options);
  const https = new TimedHttpsAgent(options);
  return {
    http,
    https,
    times,
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}
