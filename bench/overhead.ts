/**
 * Gateway overhead: one client, one call at a time, keep-alive, `get_quote
 * {symbol: AAPL}` through the gateway versus the same Aries read sent
 * straight to the sandbox.
 *
 * 1. Warm-up: `WARMUP` calls of every variant (JIT, connection pools).
 * 2. Interleaved blocks: `BLOCK` calls of each variant in turn, `BLOCKS`
 *    times, so a burst of other work on the machine hits all variants alike.
 * 3. Per variant: p50/p90/p99 of the pooled client-side latencies, and the
 *    p50 and p99 ratios to the direct call of the same setup.
 * Variants in the process deployment (`stack.ts`): direct, Claude-style raw
 * JSON-RPC (the target), a genuine 2026-07-28 request, and the SDK v2 client
 * (`callTool`, after its legacy handshake; timed separately, after the
 * blocks), and the reference: the direct GET through a bare pass-through
 * proxy, the floor for any extra hop. Through the SDK v2 client, after the
 * blocks: the gateway, an SDK-only server and (with `--peer`) the peer proxy
 * `@ivotoby/openapi-mcp-server` on the same operation (`peer-server.ts`). In one process (`in-process.ts`): direct, the test resolver and
 * the real OAuth resolver.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startInProcessStack } from './in-process.js';
import { LoadClient, runSequential, type PreparedRequest } from './load-client.js';
import { claudeToolCall, directQuote, modernToolCall, QUOTE_ARGUMENTS, QUOTE_TOOL } from './mcp-requests.js';
import { PEER_PACKAGE, PEER_TOOL, startPeer, startSdkReference } from './peer-server.js';
import type { Stack } from './stack.js';
import { ratio, summarizeLatencies, type LatencySummary } from './stats.js';

export interface OverheadOptions {
  readonly blocks: number;
  readonly block: number;
  readonly warmup: number;
  readonly sdkCalls: number;
  /** Install and measure the peer proxy (`--peer`). */
  readonly peer: boolean;
}

export interface LatencyRow extends LatencySummary {
  readonly id: string;
  readonly label: string;
  readonly errors: number;
  /** p50 / direct p50 of the same setup (NaN for the direct row). */
  readonly ratioP50: number;
  readonly ratioP99: number;
}

export interface OverheadResult {
  readonly processes: readonly LatencyRow[];
  readonly inProcess: readonly LatencyRow[];
  /** Comparison rows not measured in this run (`peer` without `--peer`). */
  readonly notMeasured?: readonly string[];
}

interface Variant {
  readonly id: string;
  readonly label: string;
  readonly request: PreparedRequest;
}

async function interleaved(variants: readonly Variant[], options: OverheadOptions): Promise<LatencyRow[]> {
  const client = new LoadClient(1);
  try {
    for (const variant of variants) await runSequential(client, variant.request, options.warmup);
    const latencies = new Map<string, number[]>(variants.map((variant) => [variant.id, []]));
    const errors = new Map<string, number>(variants.map((variant) => [variant.id, 0]));
    for (let round = 0; round < options.blocks; round++) {
      for (const variant of variants) {
        const result = await runSequential(client, variant.request, options.block);
        latencies.get(variant.id)?.push(...result.latenciesMs);
        errors.set(variant.id, (errors.get(variant.id) ?? 0) + result.errors);
      }
    }
    const direct = summarizeLatencies(latencies.get(variants[0].id) ?? []);
    return variants.map((variant, index) => {
      const summary = summarizeLatencies(latencies.get(variant.id) ?? []);
      return {
        id: variant.id,
        label: variant.label,
        ...summary,
        errors: errors.get(variant.id) ?? 0,
        ratioP50: index === 0 ? Number.NaN : ratio(summary.p50, direct.p50),
        ratioP99: index === 0 ? Number.NaN : ratio(summary.p99, direct.p99),
      };
    });
  } finally {
    client.close();
  }
}

interface ClientTarget {
  readonly id: string;
  readonly label: string;
  readonly mcpUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

/** The SDK v2 client's `callTool` against one server, timed per call after its own warm-up. */
async function sdkClientRow(target: ClientTarget, options: OverheadOptions, direct: LatencySummary): Promise<LatencyRow> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(target.mcpUrl), { requestInit: { headers: { ...target.headers } } }));
  const call = async (): Promise<boolean> => {
    try {
      const result = await client.callTool({ name: target.tool, arguments: target.args });
      return result.isError !== true;
    } catch {
      return false;
    }
  };
  try {
    for (let i = 0; i < options.warmup; i++) await call();
    const latencies: number[] = [];
    let errors = 0;
    for (let i = 0; i < options.sdkCalls; i++) {
      const started = performance.now();
      if (!(await call())) errors++;
      latencies.push(performance.now() - started);
    }
    const summary = summarizeLatencies(latencies);
    return { id: target.id, label: target.label, ...summary, errors, ratioP50: ratio(summary.p50, direct.p50), ratioP99: ratio(summary.p99, direct.p99) };
  } finally {
    await client.close();
  }
}

/**
 * The gateway and the comparison servers, each through the SDK v2 client on the same sandbox operation, one after the
 * other, each after its own warm-up: the gateway must be faster than an SDK-only server and the peer proxy.
 */
async function clientRows(
  stack: Stack,
  options: OverheadOptions,
  direct: LatencySummary,
  peer: boolean,
): Promise<{ rows: LatencyRow[]; notMeasured: string[] }> {
  const reference = await startSdkReference(stack.sandboxUrl, stack.ariesToken);
  const peerServer = peer ? await startPeer(stack.sandboxUrl, stack.ariesToken) : undefined;
  try {
    const targets: ClientTarget[] = [
      {
        id: 'sdk-v2',
        label: 'gateway, SDK v2 client callTool (OAuth)',
        mcpUrl: stack.mcpUrl,
        headers: { Authorization: `Bearer ${stack.mcpToken}` },
        tool: QUOTE_TOOL,
        args: QUOTE_ARGUMENTS,
      },
      {
        id: 'sdk-reference',
        label: 'reference: SDK-only server (one fetch per call), SDK v2 client',
        mcpUrl: reference.mcpUrl,
        headers: {},
        tool: QUOTE_TOOL,
        args: QUOTE_ARGUMENTS,
      },
      ...(peerServer === undefined
        ? []
        : [
            {
              id: 'peer',
              label: `reference: peer ${PEER_PACKAGE} (static token), SDK v2 client`,
              mcpUrl: peerServer.mcpUrl,
              headers: {},
              tool: PEER_TOOL,
              args: { ticker: QUOTE_ARGUMENTS.symbol },
            },
          ]),
    ];
    const rows: LatencyRow[] = [];
    for (const target of targets) rows.push(await sdkClientRow(target, options, direct));
    return { rows, notMeasured: peer ? [] : ['peer'] };
  } finally {
    await reference.child.stop();
    await peerServer?.child.stop();
  }
}

export async function measureOverhead(stack: Stack, options: OverheadOptions): Promise<OverheadResult> {
  const processes = await interleaved(
    [
      { id: 'direct', label: 'direct: GET /v1/stocks/last-quote to the sandbox', request: directQuote(stack.sandboxUrl, stack.ariesToken) },
      { id: 'claude', label: 'gateway, Claude-style tools/call (OAuth bearer)', request: claudeToolCall(stack.mcpUrl, stack.mcpToken) },
      { id: 'modern', label: 'gateway, 2026-07-28 tools/call (OAuth bearer)', request: modernToolCall(stack.mcpUrl, stack.mcpToken) },
      { id: 'proxy', label: 'reference: same GET via a bare node:http proxy', request: directQuote(stack.proxyUrl, stack.ariesToken) },
    ],
    options,
  );
  const clients = await clientRows(stack, options, processes[0], options.peer);

  const local = await startInProcessStack();
  try {
    const inProcess = await interleaved(
      [
        { id: 'direct', label: 'direct (one process)', request: directQuote(local.sandboxUrl, local.ariesToken) },
        {
          id: 'test-resolver',
          label: 'gateway, test SandboxGrantResolver (one process)',
          request: claudeToolCall(local.testResolver.mcpUrl, local.testResolver.token),
        },
        { id: 'oauth', label: 'gateway, real OAuth bearer (one process)', request: claudeToolCall(local.oauth.mcpUrl, local.oauth.token) },
      ],
      { ...options, blocks: Math.max(1, Math.round(options.blocks / 2)) },
    );
    return { processes: [...processes, ...clients.rows], inProcess, notMeasured: clients.notMeasured };
  } finally {
    await local.close();
  }
}
