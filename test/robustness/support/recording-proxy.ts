/**
 * A byte-faithful pass-through between the gateway and the sandbox that
 * records every upstream request line (method and the raw request target,
 * exactly as the gateway sent it: no URL normalization, so a `..` segment or
 * a CR/LF would be seen as sent). Bodies and headers stream through
 * untouched; when the sandbox drops a connection (its `reset` fault), the
 * gateway's connection is dropped too, so faults look the same as without
 * the proxy. A request Node cannot parse at all (a raw CR/LF in the request
 * line, say) is recorded as `<unparseable>`.
 */
import { Agent, createServer, request as httpRequest } from 'node:http';
import { boundPort } from '../../../build/free-port.js';

export interface UpstreamRequest {
  readonly method: string;
  /** The raw request target (`/v1/accounts/TEST-ACCOUNT-001/balances?x=1`). */
  readonly target: string;
}

export interface RecordingProxy {
  readonly url: string;
  readonly requests: UpstreamRequest[];
  close(): Promise<void>;
}

export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const requests: UpstreamRequest[] = [];
  // Request lines far above Node's default 16 KiB are parsed (and recorded) too; the sandbox then refuses them itself.
  const server = createServer({ maxHeaderSize: 4 * 1024 * 1024 }, (req, res) => {
    requests.push({ method: req.method ?? '', target: req.url ?? '' });
    const headers = { ...req.headers, host: target.host };
    const forward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.once('error', () => res.destroy());
    });
    forward.once('error', () => res.destroy());
    req.pipe(forward);
    res.once('close', () => {
      if (!res.writableFinished) forward.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    requests.push({ method: '<unparseable>', target: '<unparseable>' });
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = boundPort(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
