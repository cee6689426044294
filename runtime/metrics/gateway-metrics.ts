/**
 * What the gateway reports to its metrics, as an interface, so prom-client
 * (tens of milliseconds to load) is loaded only when /metrics is exposed:
 * - `PromMetrics` (`prom-metrics.ts`): the Prometheus registry;
 * - `DeferredMetrics`: forwards to a `PromMetrics` still being imported,
 *   keeping what was reported meanwhile (`createApp` is synchronous);
 * - `NO_METRICS`: nothing is kept when nobody can read it.
 * Callers pass only values the gateway bounds (tool names from the
 * registry, outcome words, endpoint paths, status codes, store operation
 * names): never a user, grant, token, account or order value as a label.
 */

/** `refused_*`: nothing was sent to Aries. `upstream_*`: Aries answered with an error or did not answer. */
export type ToolCallOutcome =
  | 'ok'
  | 'tool_error'
  | 'unknown_outcome'
  | 'reauthorize'
  | 'refused_limit'
  | 'refused_duplicate'
  | 'refused_concurrency'
  | 'refused_store_unavailable'
  | 'refused_guardrail'
  | `upstream_${'http_4xx' | 'http_5xx' | 'timeout' | 'network' | 'cancelled' | 'bad_response'}`;

export type LimitName = 'tool_calls' | 'concurrency';

export interface Exposition {
  readonly contentType: string;
  readonly text: string;
}

export interface GatewayMetrics {
  toolCall(tool: string, outcome: ToolCallOutcome): void;
  upstreamLatency(tool: string, latencyMs: number): void;
  /** `endpoint` must be one of the gateway's own paths (the caller bounds it). */
  oauthAnswer(endpoint: string, status: number): void;
  ariesRefresh(outcome: string): void;
  storeOperation(operation: string, seconds: number, failed: boolean): void;
  limitUnchecked(limit: LimitName): void;
  /** An order refused by a trading guardrail (`guardrail` is the guardrail's fixed name). */
  guardrailRefused(guardrail: string): void;
  /** Counted, never named: the grant id stays in memory for the active-grants gauge. */
  grantActive(grantId: string): void;
  /** The Prometheus text exposition. */
  exposition(): Promise<Exposition>;
}

export const NO_METRICS: GatewayMetrics = {
  toolCall: () => {},
  upstreamLatency: () => {},
  oauthAnswer: () => {},
  ariesRefresh: () => {},
  storeOperation: () => {},
  limitUnchecked: () => {},
  guardrailRefused: () => {},
  grantActive: () => {},
  exposition: async () => ({ contentType: 'text/plain; charset=utf-8', text: '' }),
};

/** Reports made before the real metrics are loaded, at most this many (a start-up moment, not a buffer). */
const MAX_PENDING = 10_000;

export class DeferredMetrics implements GatewayMetrics {
  private target: GatewayMetrics | undefined;
  private pending: ((metrics: GatewayMetrics) => void)[] = [];
  private readonly loaded: Promise<GatewayMetrics>;

  constructor(load: Promise<GatewayMetrics>) {
    this.loaded = load.then((metrics) => {
      this.target = metrics;
      for (const report of this.pending) report(metrics);
      this.pending = [];
      return metrics;
    });
  }

  toolCall(tool: string, outcome: ToolCallOutcome): void {
    this.forward((metrics) => metrics.toolCall(tool, outcome));
  }
  upstreamLatency(tool: string, latencyMs: number): void {
    this.forward((metrics) => metrics.upstreamLatency(tool, latencyMs));
  }
  oauthAnswer(endpoint: string, status: number): void {
    this.forward((metrics) => metrics.oauthAnswer(endpoint, status));
  }
  ariesRefresh(outcome: string): void {
    this.forward((metrics) => metrics.ariesRefresh(outcome));
  }
  storeOperation(operation: string, seconds: number, failed: boolean): void {
    this.forward((metrics) => metrics.storeOperation(operation, seconds, failed));
  }
  limitUnchecked(limit: LimitName): void {
    this.forward((metrics) => metrics.limitUnchecked(limit));
  }
  guardrailRefused(guardrail: string): void {
    this.forward((metrics) => metrics.guardrailRefused(guardrail));
  }
  grantActive(grantId: string): void {
    this.forward((metrics) => metrics.grantActive(grantId));
  }
  async exposition(): Promise<Exposition> {
    return (await this.loaded).exposition();
  }

  private forward(report: (metrics: GatewayMetrics) => void): void {
    if (this.target !== undefined) report(this.target);
    else if (this.pending.length < MAX_PENDING) this.pending.push(report);
  }
}
