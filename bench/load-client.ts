/**
 * The benchmark's HTTP client: plain `node:http` with a keep-alive agent
 * (lighter per request than `fetch`, so the client costs both measured paths
 * as little as possible), and the three load shapes the measurements use:
 * sequential with per-call latency, N in flight for a fixed time, and N in
 * flight for a fixed number of calls.
 *
 * A call counts as an error when the HTTP status is not 200 or the `check`
 * of the parsed body fails (for MCP: a JSON-RPC error or an `isError`
 * result). It does not retry and does not follow redirects.
 */
import { Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export interface PreparedRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** True when the answer is a success (default: status 200). */
  readonly check?: (answer: HttpAnswer) => boolean;
}

export class LoadClient {
  private readonly agent: Agent;

  constructor(maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  send(prepared: PreparedRequest): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...prepared.headers };
      if (prepared.body !== undefined) headers['content-length'] = Buffer.byteLength(prepared.body);
      const req = request(prepared.url, { method: prepared.method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(prepared.body);
    });
  }

  /** One call; true when it succeeded. Transport failures count as errors, not exceptions. */
  async attempt(prepared: PreparedRequest): Promise<boolean> {
    try {
      const answer = await this.send(prepared);
      return prepared.check ? prepared.check(answer) : answer.status === 200;
    } catch {
      return false;
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface SequentialResult {
  readonly latenciesMs: readonly number[];
  readonly errors: number;
}

/** `count` calls one after another, each timed on the client. */
export async function runSequential(client: LoadClient, prepared: PreparedRequest, count: number): Promise<SequentialResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const ok = await client.attempt(prepared);
    latenciesMs.push(performance.now() - started);
    if (!ok) errors++;
  }
  return { latenciesMs, errors };
}

export interface ConcurrentResult {
  readonly calls: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly callsPerSecond: number;
  readonly latenciesMs: readonly number[];
}

/** `concurrency` workers, each starting its next call when the last one ends, until `durationMs` passed. */
export async function runForDuration(client: LoadClient, prepared: PreparedRequest, concurrency: number, durationMs: number): Promise<ConcurrentResult> {
  const started = performance.now();
  const deadline = started + durationMs;
  return runWorkers(client, prepared, concurrency, started, () => performance.now() < deadline);
}

/** `concurrency` workers sharing `total` calls. */
export async function runCount(client: LoadClient, prepared: PreparedRequest, concurrency: number, total: number): Promise<ConcurrentResult> {
  let issued = 0;
  return runWorkers(client, prepared, concurrency, performance.now(), () => issued++ < total);
}

async function runWorkers(client: LoadClient, prepared: PreparedRequest, concurrency: number, started: number, more: () => boolean): Promise<ConcurrentResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (more()) {
      const begun = performance.now();
      const ok = await client.attempt(prepared);
      latenciesMs.push(performance.now() - begun);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  return { calls: latenciesMs.length, errors, elapsedMs, callsPerSecond: (latenciesMs.length * 1000) / elapsedMs, latenciesMs };
}
