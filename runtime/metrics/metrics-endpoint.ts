/**
 * Serves `/metrics` (Prometheus text format) in one of two ways:
 * - on the gateway's own port, only when `METRICS_TOKEN` is set, and only to
 *   a request with `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise);
 *   without `METRICS_TOKEN` the route does not exist (404), so a public
 *   gateway never shows its metrics by accident;
 * - on a separate port (`METRICS_PORT`, bound to 127.0.0.1 by `main.ts`), for
 *   a scraper on the same host or pod; the token is required there too when
 *   it is set.
 * The token is compared in constant time (hashes of equal length).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from './gateway-metrics.js';

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createMetricsHandler(metrics: GatewayMetrics, token: string | undefined): MetricsHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, res) => {
    if (expected !== undefined) {
      const header = req.headers.authorization ?? '';
      const presented = header.startsWith('Bearer ') ? digest(header.slice(7)) : undefined;
      if (presented === undefined || !timingSafeEqual(presented, expected)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end('Send Authorization: Bearer <METRICS_TOKEN>.\n');
        return;
      }
    }
    metrics.exposition().then(
      ({ contentType, text }) => {
        res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
        res.end(text);
      },
      () => {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Metrics could not be collected.\n');
      },
    );
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
