/** Loopback ports for the build's priming start, tests and benchmarks: a free port before a process starts, the bound port after. */
import { createServer, type AddressInfo } from 'node:net';

/** A TCP port that was free a moment ago (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The port a listening TCP server is bound to; throws for a server that is not listening or listens on a pipe. */
export function boundPort(server: { address(): AddressInfo | string | null }): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`expected a listening TCP server, got address ${String(address)}`);
  return address.port;
}
