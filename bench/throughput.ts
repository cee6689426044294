/**
 * Throughput: `get_quote` calls with a fixed number in flight (16, then 64),
 * through the gateway and straight to the sandbox, from one keep-alive
 * client with one connection per call in flight.
 *
 * 1. Warm-up: `warmupMs` of each at the concurrency about to be measured.
 * 2. Alternating rounds of `roundMs` (direct, gateway, proxy, direct, ...),
 *    `rounds` times: all see the same background load on a shared machine.
 *    The proxy rounds send the direct GET through the bare pass-through
 *    proxy: the floor any extra hop costs on this machine.
 * 3. Per target: the median calls/s over its rounds, the errors, the
 *    p50/p99 latency under load, and the CPU time per call each process
 *    (gateway, sandbox, this client) used (`/proc/<pid>/stat`): a figure a
 *    busy machine disturbs far less than calls/s. The ratio is gateway /
 *    direct calls/s.
 * The gateway's RSS is read after the last round (the "loaded" figure).
 */
import { readProcCpuMs, readProcMemory, type ProcMemory } from './child-process.js';
import { LoadClient, runForDuration, type ConcurrentResult, type PreparedRequest } from './load-client.js';
import { claudeToolCall, directQuote } from './mcp-requests.js';
import type { Stack } from './stack.js';
import { median, percentile, ratio } from './stats.js';

export interface ThroughputOptions {
  readonly concurrencies: readonly number[];
  readonly rounds: number;
  readonly roundMs: number;
  readonly warmupMs: number;
}

export interface ThroughputTarget {
  readonly callsPerSecond: number;
  /** CPU time per call used by each process during the rounds (ms). */
  readonly cpuMsPerCall: { readonly gateway: number; readonly sandbox: number; readonly client: number; readonly proxy: number };
  readonly roundsCallsPerSecond: readonly number[];
  readonly calls: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface ThroughputRow {
  readonly concurrency: number;
  readonly direct: ThroughputTarget;
  readonly gateway: ThroughputTarget;
  /** gateway / direct calls per second. */
  readonly ratio: number;
  /** The direct GET through the bare pass-through proxy: the floor for one more hop. */
  readonly proxy: ThroughputTarget;
  /** proxy / direct calls per second. */
  readonly proxyRatio: number;
}

export interface ThroughputResult {
  readonly rows: readonly ThroughputRow[];
  /** Gateway memory right after the last round. */
  readonly loaded: ProcMemory;
}

interface CpuSpent {
  gateway: number;
  sandbox: number;
  client: number;
  proxy: number;
}

/** Runs one round and adds the CPU each process spent in it to `spent`. */
async function round(stack: Stack, spent: CpuSpent, run: () => Promise<ConcurrentResult>): Promise<ConcurrentResult> {
  const before = {
    gateway: readProcCpuMs(stack.gateway.pid),
    sandbox: readProcCpuMs(stack.sandbox.pid),
    proxy: readProcCpuMs(stack.proxy.pid),
    client: process.cpuUsage(),
  };
  const result = await run();
  const client = process.cpuUsage(before.client);
  spent.gateway += readProcCpuMs(stack.gateway.pid) - before.gateway;
  spent.proxy += readProcCpuMs(stack.proxy.pid) - before.proxy;
  spent.sandbox += readProcCpuMs(stack.sandbox.pid) - before.sandbox;
  spent.client += (client.user + client.system) / 1000;
  return result;
}

function summarize(results: readonly ConcurrentResult[], spent: CpuSpent): ThroughputTarget {
  const latencies = results.flatMap((result) => result.latenciesMs);
  const calls = results.reduce((sum, result) => sum + result.calls, 0);
  return {
    callsPerSecond: median(results.map((result) => result.callsPerSecond)),
    cpuMsPerCall: { gateway: spent.gateway / calls, sandbox: spent.sandbox / calls, client: spent.client / calls, proxy: spent.proxy / calls },
    roundsCallsPerSecond: results.map((result) => Math.round(result.callsPerSecond)),
    calls,
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export async function measureThroughput(stack: Stack, options: ThroughputOptions): Promise<ThroughputResult> {
  const rows: ThroughputRow[] = [];
  for (const concurrency of options.concurrencies) {
    const client = new LoadClient(concurrency);
    const direct: PreparedRequest = directQuote(stack.sandboxUrl, stack.ariesToken);
    const gateway: PreparedRequest = claudeToolCall(stack.mcpUrl, stack.mcpToken);
    const proxied: PreparedRequest = directQuote(stack.proxyUrl, stack.ariesToken);
    try {
      await runForDuration(client, direct, concurrency, options.warmupMs);
      await runForDuration(client, gateway, concurrency, options.warmupMs);
      await runForDuration(client, proxied, concurrency, options.warmupMs);
      const directRounds: ConcurrentResult[] = [];
      const gatewayRounds: ConcurrentResult[] = [];
      const proxyRounds: ConcurrentResult[] = [];
      const directCpu: CpuSpent = { gateway: 0, sandbox: 0, client: 0, proxy: 0 };
      const gatewayCpu: CpuSpent = { gateway: 0, sandbox: 0, client: 0, proxy: 0 };
      const proxyCpu: CpuSpent = { gateway: 0, sandbox: 0, client: 0, proxy: 0 };
      for (let i = 0; i < options.rounds; i++) {
        directRounds.push(await round(stack, directCpu, () => runForDuration(client, direct, concurrency, options.roundMs)));
        gatewayRounds.push(await round(stack, gatewayCpu, () => runForDuration(client, gateway, concurrency, options.roundMs)));
        proxyRounds.push(await round(stack, proxyCpu, () => runForDuration(client, proxied, concurrency, options.roundMs)));
      }
      const directSummary = summarize(directRounds, directCpu);
      const gatewaySummary = summarize(gatewayRounds, gatewayCpu);
      const proxySummary = summarize(proxyRounds, proxyCpu);
      rows.push({
        concurrency,
        direct: directSummary,
        gateway: gatewaySummary,
        ratio: ratio(gatewaySummary.callsPerSecond, directSummary.callsPerSecond),
        proxy: proxySummary,
        proxyRatio: ratio(proxySummary.callsPerSecond, directSummary.callsPerSecond),
      });
    } finally {
      client.close();
    }
  }
  return { rows, loaded: readProcMemory(stack.gateway.pid) };
}
