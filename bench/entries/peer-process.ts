/**
 * Bench-only entry: the peer proxy `@ivotoby/openapi-mcp-server` (installed
 * by `peer-server.ts` into `bench/.tmp/peer`) run in this process with the
 * arguments in PEER_ARGS (JSON array), so the benchmark's usual ready line and
 * SIGTERM apply to it. Prints one JSON ready line to stderr once the peer's
 * HTTP port (PEER_PORT) accepts connections.
 */
import { connect } from 'node:net';
import { pathToFileURL } from 'node:url';

const bin = process.env.PEER_BIN ?? '';
const port = Number(process.env.PEER_PORT);
const args: unknown = JSON.parse(process.env.PEER_ARGS ?? '[]');
if (bin === '' || !Number.isInteger(port) || !Array.isArray(args)) throw new Error('PEER_BIN, PEER_PORT and PEER_ARGS are required');
process.argv = [process.argv[0], bin, ...args.map(String)];
await import(pathToFileURL(bin).href);

const accepts = (): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
for (let attempt = 0; !(await accepts()); attempt++) {
  if (attempt > 200) throw new Error(`the peer server did not open port ${port}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
process.stderr.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}/mcp` })}\n`);
process.once('SIGTERM', () => process.exit(0));
