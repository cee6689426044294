/**
 * The gateway's Prometheus metrics (prom-client), one registry per app.
 * Loaded (with prom-client) only when /metrics is exposed (`app.ts`).
 *
 * Labels carry only values the gateway itself bounds: tool names from the
 * registry (anything else is `unknown`), outcome words, OAuth endpoint paths,
 * HTTP status codes, store operation names. No label ever carries a user,
 * grant, token, account or order value: those are unbounded and private.
 * Grants are counted (approximately: distinct grants that called a tool on
 * this replica in the last 15 minutes), never named.
 *
 * What it does not do: serve `/metrics` (`metrics-endpoint.ts`) or time
 * anything itself (callers report what they measured).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Exposition, GatewayMetrics, LimitName, ToolCallOutcome } from './gateway-metrics.js';

const ACTIVE_WINDOW_MS = 15 * 60_000;
const MAX_TRACKED_GRANTS = 100_000;

export class PromMetrics implements GatewayMetrics {
  readonly registry = new Registry();
  private readonly toolCalls = new Counter({
    name: 'agw_tool_calls_total',
    help: 'Tool calls by tool and outcome',
    labelNames: ['tool', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly upstreamSeconds = new Histogram({
    name: 'agw_upstream_duration_seconds',
    help: 'Aries API call latency by tool',
    labelNames: ['tool'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly oauth = new Counter({
    name: 'agw_oauth_requests_total',
    help: 'OAuth endpoint answers by endpoint and HTTP status',
    labelNames: ['endpoint', 'status'] as const,
    registers: [this.registry],
  });
  private readonly refreshes = new Counter({
    name: 'agw_aries_refreshes_total',
    help: 'Aries token refreshes by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly storeErrors = new Counter({
    name: 'agw_store_errors_total',
    help: 'Store operations that failed (backend unavailable)',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  private readonly storeSeconds = new Histogram({
    name: 'agw_store_operation_duration_seconds',
    help: 'Store operation latency',
    labelNames: ['operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly guardrailRefusals = new Counter({
    name: 'agw_guardrail_refusals_total',
    help: 'Orders refused by the trading guardrails the customer chose, by guardrail (nothing was sent to Aries)',
    labelNames: ['guardrail'] as const,
    registers: [this.registry],
  });
  private readonly unchecked = new Counter({
    name: 'agw_limit_unchecked_total',
    help: 'Read-only tool calls let through because the store could not count their limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  private readonly lastSeen = new Map<string, number>();

  private readonly toolNames: ReadonlySet<string>;

  constructor(options: { readonly processMetrics: boolean; readonly toolNames: ReadonlySet<string> }) {
    this.toolNames = options.toolNames;
    const lastSeen = this.lastSeen;
    new Gauge({
      name: 'agw_grants_active',
      help: 'Distinct grants that called a tool on this replica in the last 15 minutes (approximate)',
      registers: [this.registry],
      collect() {
        const cutoff = Date.now() - ACTIVE_WINDOW_MS;
        for (const [grant, seen] of lastSeen) if (seen < cutoff) lastSeen.delete(grant);
        this.set(lastSeen.size);
      },
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  toolCall(tool: string, outcome: ToolCallOutcome): void {
    this.toolCalls.inc({ tool: this.toolLabel(tool), outcome });
  }

  upstreamLatency(tool: string, latencyMs: number): void {
    this.upstreamSeconds.observe({ tool: this.toolLabel(tool) }, latencyMs / 1000);
  }

  /** `endpoint` must be one of the gateway's own paths (the caller bounds it). */
  oauthAnswer(endpoint: string, status: number): void {
    this.oauth.inc({ endpoint, status: String(status) });
  }

  ariesRefresh(outcome: string): void {
    this.refreshes.inc({ outcome });
  }

  storeOperation(operation: string, seconds: number, failed: boolean): void {
    this.storeSeconds.observe({ operation }, seconds);
    if (failed) this.storeErrors.inc({ operation });
  }

  guardrailRefused(guardrail: string): void {
    this.guardrailRefusals.inc({ guardrail });
  }

  limitUnchecked(limit: LimitName): void {
    this.unchecked.inc({ limit });
  }

  grantActive(grantId: string): void {
    this.lastSeen.delete(grantId);
    if (this.lastSeen.size >= MAX_TRACKED_GRANTS) {
      const oldest = this.lastSeen.keys().next();
      if (oldest.done !== true) this.lastSeen.delete(oldest.value);
    }
    this.lastSeen.set(grantId, Date.now());
  }

  /** Prometheus text exposition format. */
  async exposition(): Promise<Exposition> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  private toolLabel(tool: string): string {
    return this.toolNames.has(tool) ? tool : 'unknown';
  }
}
