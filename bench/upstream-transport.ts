/**
 * The upstream transport under openapi-fetch (issue 15): the global `fetch`
 * against `runtime/upstream/keep-alive-fetch.ts` (Node's `http` on a
 * keep-alive agent, what the gateway uses) and undici's `request` on a
 * keep-alive `Agent` (`undici-fetch.ts`), on the sandbox's
 * `GET /v1/stocks/last-quote` with an Aries token, in this process.
 *
 * 1. Warm-up: `warmup` calls through each.
 * 2. `rounds` alternating rounds of `calls` sequential calls each.
 * 3. Per transport: CPU ms per call of this process (`process.cpuUsage`,
 *    the client side only: the sandbox runs in its own process) and the p50
 *    latency, medians over rounds; the ratio is each / global fetch.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/aries-api.js';
import { createAriesClient } from '../runtime/upstream/aries-client.js';
import { BufferedRequest } from '../runtime/upstream/buffered-messages.js';
import { median, summarizeLatencies } from './stats.js';

export interface UpstreamTransportOptions {
  readonly warmup: number;
  readonly rounds: number;
  readonly calls: number;
}

export interface UpstreamTransportRow {
  readonly id: 'global-fetch' | 'keep-alive-agent' | 'undici-request';
  readonly label: string;
  readonly cpuMsPerCall: number;
  readonly p50Ms: number;
}

export interface UpstreamTransportResult {
  readonly rows: readonly UpstreamTransportRow[];
}

type Transport = { readonly id: UpstreamTransportRow['id']; readonly label: string; readonly client: Client<paths> };

export async function measureUpstreamTransport(sandboxUrl: string, ariesToken: string, options: UpstreamTransportOptions): Promise<UpstreamTransportResult> {
  // The gateway's own client: openapi-fetch with `BufferedRequest` over the keep-alive transport.
  const gateway = createAriesClient<paths>(sandboxUrl);
  try {
    const rows = await measure(
      [
        { id: 'global-fetch', label: 'openapi-fetch over the global fetch', client: createClient<paths>({ baseUrl: sandboxUrl }) },
        {
          id: 'keep-alive-agent',
          label: 'openapi-fetch over node:http keep-alive agent (gateway)',
          client: gateway.client,
        },
      ],
      ariesToken,
      options,
    );
    // Loading the undici package installs its Agent as the process-wide dispatcher of the global fetch, so it is loaded
    // only after the rows above are measured, and measured in its own rounds (once more through the gateway's transport,
    // as the same-phase reference).
    const { createUndiciFetch } = await import('./undici-fetch.js');
    const undici = createUndiciFetch();
    try {
      const later = await measure(
        [
          {
            id: 'keep-alive-agent',
            label: 'node:http keep-alive agent again, alternating with undici (reference)',
            client: gateway.client,
          },
          {
            id: 'undici-request',
            label: "openapi-fetch over undici's request on a keep-alive Agent",
            client: createClient<paths>({ baseUrl: sandboxUrl, fetch: undici.fetch, Request: BufferedRequest }),
          },
        ],
        ariesToken,
        options,
      );
      return { rows: [...rows, ...later] };
    } finally {
      await undici.close();
    }
  } finally {
    gateway.close();
  }
}

/** Warm-up, then alternating rounds of sequential calls; per transport the median CPU per call and the p50. */
async function measure(transports: readonly Transport[], ariesToken: string, options: UpstreamTransportOptions): Promise<UpstreamTransportRow[]> {
  const once = async (client: Client<paths>): Promise<number> => {
    const started = performance.now();
    const { response } = await client.GET('/v1/stocks/last-quote', {
      params: { query: { ticker: 'AAPL' } },
      headers: { Authorization: `Bearer ${ariesToken}`, 'X-Request-Id': 'bench' },
      signal: new AbortController().signal,
    });
    if (!response.ok) throw new Error(`upstream transport bench: HTTP ${response.status}`);
    return performance.now() - started;
  };
  for (const transport of transports) for (let i = 0; i < options.warmup; i++) await once(transport.client);
  const cpu = transports.map((): number[] => []);
  const latencies = transports.map((): number[] => []);
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, transport] of transports.entries()) {
      const before = process.cpuUsage();
      for (let i = 0; i < options.calls; i++) latencies[index]?.push(await once(transport.client));
      const used = process.cpuUsage(before);
      cpu[index]?.push((used.user + used.system) / 1000 / options.calls);
    }
  }
  return transports.map((transport, index) => ({
    id: transport.id,
    label: transport.label,
    cpuMsPerCall: median(cpu[index] ?? []),
    p50Ms: summarizeLatencies(latencies[index] ?? []).p50,
  }));
}
