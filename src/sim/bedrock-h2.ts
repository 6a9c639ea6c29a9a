/**
 * The simulator's HTTP/2 cleartext server (h2c with prior knowledge): the transport the AWS SDK's default
 * NodeHttp2Handler uses when the endpoint is an http:// URL. It serves the Bedrock face.
 */
import { createServer, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createBedrockH2Listener } from './bedrock-face.js';
import type { Simulation } from './simulation.js';

/** A listening h2c server. */
export interface H2Server {
  readonly port: number;
  /** Stop accepting, destroy every open session and free the port. */
  close(): Promise<void>;
}

/** Start the h2c server of `sim` on host:port (port 0 picks a free one). */
export async function startBedrockH2Server(sim: Simulation, host: string, port: number): Promise<H2Server> {
  const server = createServer({}, createBedrockH2Listener(sim));
  const sessions = new Set<Http2Session>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('connection', (socket: { setNoDelay(noDelay: boolean): unknown }) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        for (const session of sessions) session.destroy();
      });
      return closing;
    },
  };
}
