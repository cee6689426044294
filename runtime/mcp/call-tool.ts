/**
 * One `tools/call`, from raw arguments to a `CallToolResult`.
 *
 * Steps:
 * 1. count the call against the grant's per-minute limit, find the tool and
 *    check the grant's scopes;
 * 2. validate the arguments (defaults applied), refuse `.`/`..` as path
 *    parameters, parse JSON-string routes, take out the duplicate
 *    confirmation argument the tool declares (`definition.confirmDuplicate`);
 * 3. for a destructive, non-idempotent tool, claim the duplicate window;
 *    then take one of the grant's concurrent-call slots; then the trading
 *    guardrails the customer chose (`runtime/guardrails/`) for tools that
 *    declare them: refused before Aries, or counted in the day's total
 *    (given back when Aries certainly did not take the order);
 * 4. call Aries with the grant's token; on 401 refresh the token once and
 *    retry once (a 401 means Aries refused before acting, so this is safe even
 *    for orders); if Aries still says 401 to the fresh token, the grant is
 *    dead: revoke it (so the client's next refresh gets invalid_grant and it
 *    re-authorizes instead of looping) and answer the MCP client 401; unless
 *    the fresh token expired or was renewed again in between, which is a
 *    "try again";
 * 5. shape the body, check it against the output schema, or map the failure;
 * 6. settle the duplicate window (kept on success or unknown outcome) and log
 *    one line.
 * Every failure the user can act on is a `ToolError` / `isError` result; a
 * message that names another tool takes it from the definition's `recovery`.
 * Limits, the duplicate window and the slots live in the store; what a
 * store outage means for a tool is `store-checks.ts`.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Logger } from '../log.js';
import { loggableArguments } from '../log.js';
import { callUpstream, type UpstreamOutcome } from '../upstream/aries-client.js';
import { mapUpstreamError } from '../upstream/map-upstream-error.js';
import type { FixedWindowLimit } from '../http/fixed-window.js';
import type { GatewayMetrics, ToolCallOutcome } from '../metrics/gateway-metrics.js';
import { isStoreUnavailable } from '../store/store.js';
import { GuardrailRefusal, readOnlyRefusal, type GuardrailChecker, type GuardrailOutcome } from '../guardrails/check-order.js';
import { ValuationProblem } from '../guardrails/order-value.js';
import { duplicateKey, type Claim, type DuplicateGuard } from './duplicate-guard.js';
import type { GrantConcurrency, ReleaseSlot } from './grant-concurrency.js';
import { GrantRevokedError, type CallerGrant } from './grant.js';
import { shapeResult } from './shape-result.js';
import { checkInStore, Refusal, settleClaim, type CheckContext } from './store-checks.js';
import { BYTES_PER_TOKEN } from './token-estimate.js';
import { ToolError, toolErrorResult } from './tool-errors.js';
import type { RegisteredTool, ToolRegistry } from './tool-registry.js';
import { describeErrors } from './validate-args.js';

export interface ToolCallerOptions<C> {
  readonly registry: ToolRegistry<C>;
  readonly client: C;
  readonly duplicates: DuplicateGuard;
  /** Tool calls per grant per minute. Keyed by grant, not address: all of Claude's users share a few addresses. */
  readonly callLimit: FixedWindowLimit;
  /** Upstream calls one grant may have in flight. */
  readonly concurrency: GrantConcurrency;
  readonly metrics?: GatewayMetrics;
  readonly timeoutMs: number;
  /** Default result budget in estimated tokens (a tool's own `response.budgetChars` may lower it). */
  readonly budgetTokens: number;
  readonly duplicateWindowSeconds: number;
  /** Enforces the grant's trading guardrails on tools that declare them; absent: not enforced. */
  readonly guardrails?: GuardrailChecker;
}

export interface CallContext {
  readonly grant: CallerGrant;
  readonly requestId: string;
  /** Fires when the MCP request is cancelled or its connection closes. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Aries refused the grant even after a refresh: the HTTP answer must become 401. */
  readonly requireReauthorization: () => void;
}

type Outcome = 'ok' | 'tool_error' | 'upstream_error' | 'unknown_outcome' | 'reauthorize';

type Attempt =
  | { readonly kind: 'answered'; readonly upstream: UpstreamOutcome; readonly token: string }
  | { readonly kind: 'reauthorize'; readonly upstream?: UpstreamOutcome };

export function createToolCaller<C>(options: ToolCallerOptions<C>) {
  return async function callTool(name: string, rawArgs: unknown, ctx: CallContext): Promise<CallToolResult> {
    const tool = options.registry.get(name);
    options.metrics?.grantActive(ctx.grant.grantId);
    try {
      const allowance = await checkInStore(checkContext(tool, ctx), 'tool_calls', () => options.callLimit.take(ctx.grant.grantId));
      if (allowance?.allowed === false) {
        throw new Refusal(
          `Too many tool calls on this connection (limit ${options.callLimit.limitPerMinute} per minute). Wait ${allowance.retryAfterSeconds} seconds, then try again; nothing was sent to Aries.`,
          'refused_limit',
        );
      }
      if (tool === undefined) throw new ToolError(`Unknown tool "${name}". Call tools/list to see the tools this connection can use.`);
      const missing = options.registry.missingScopes(tool, ctx.grant.scopes);
      if (missing.length > 0) throw new ToolError(missingScopeMessage(name, missing));
      if (ctx.grant.guardrails?.values.readOnly === true && !tool.definition.annotations.readOnlyHint) {
        options.metrics?.guardrailRefused('read_only');
        throw new Refusal(readOnlyRefusal(name).message, 'refused_guardrail');
      }
      const { args, confirmDuplicate } = prepareArguments(tool, rawArgs);
      return await callPrepared(tool, args, confirmDuplicate, ctx);
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      options.metrics?.toolCall(name, error instanceof Refusal ? error.outcome : 'tool_error');
      ctx.log.info(
        { requestId: ctx.requestId, tool: name.slice(0, 64), outcome: 'tool_error' satisfies Outcome, reason: error.message.split('\n')[0].slice(0, 200) },
        'tool call refused',
      );
      return toolErrorResult(error.message);
    }
  };

  async function callPrepared(tool: RegisteredTool<C>, args: Record<string, unknown>, confirmDuplicate: boolean, ctx: CallContext): Promise<CallToolResult> {
    const { name } = tool.definition;
    const at = checkContext(tool, ctx);
    const claim: Claim | undefined =
      tool.unsafeToRepeat && options.duplicates.enabled
        ? await checkInStore(at, undefined, () => options.duplicates.claim(duplicateKey(ctx.grant.grantId, name, args), confirmDuplicate))
        : undefined;
    if (claim?.kind === 'duplicate') {
      throw new Refusal(duplicateMessage(tool, options.duplicateWindowSeconds), 'refused_duplicate');
    }
    let armed = false;
    let release: ReleaseSlot | undefined;
    let checked: GuardrailOutcome | undefined;
    try {
      release = await checkInStore(at, 'concurrency', async () => {
        const slot = await options.concurrency.acquire(ctx.grant.grantId, ctx.signal);
        if (slot !== undefined) return slot;
        throw new Refusal(
          `Too many calls in progress on this connection (limit ${options.concurrency.limit} at a time). Wait for the others to finish, then try again; nothing was sent to Aries.`,
          'refused_concurrency',
        );
      });
      checked = await checkGuardrails(tool, args, ctx);
      const attempt = await callWithRefresh(tool, args, ctx);
      const { result, outcome } = attempt.kind === 'answered' ? finish(tool, attempt.upstream, attempt.token, ctx) : reauthorize(ctx);
      armed = outcome === 'ok' || outcome === 'unknown_outcome';
      if (checked?.kind === 'preview' && result.isError !== true) result.content.push({ type: 'text', text: checked.note });
      const upstream = attempt.upstream;
      if (upstream !== undefined) options.metrics?.upstreamLatency(name, upstream.latencyMs);
      options.metrics?.toolCall(name, metricOutcome(outcome, upstream));
      ctx.log.info(
        {
          requestId: ctx.requestId,
          grantId: ctx.grant.grantId,
          tool: name,
          ...loggableArguments(args),
          upstreamStatus: upstream !== undefined && 'status' in upstream ? upstream.status : undefined,
          upstreamError: upstream === undefined || upstream.kind === 'ok' || upstream.kind === 'http' ? undefined : upstream.kind,
          networkCode: upstream?.kind === 'network' ? upstream.code : undefined,
          latencyMs: upstream?.latencyMs,
          outcome,
        },
        'tool call',
      );
      return result;
    } finally {
      await release?.();
      if (claim !== undefined) await settleClaim(at, options.duplicates, claim, armed);
      if (checked?.kind === 'reserved' && !armed) await giveBack(checked, ctx, name);
    }
  }

  /** Step 3, last part: the grant's trading guardrails, when the tool declares them and the grant has them. */
  async function checkGuardrails(tool: RegisteredTool<C>, args: Record<string, unknown>, ctx: CallContext): Promise<GuardrailOutcome | undefined> {
    const rules = tool.definition.guardrails;
    const limits = ctx.grant.guardrails;
    const checker = options.guardrails;
    if (rules === undefined || limits === undefined || checker === undefined) return undefined;
    try {
      return await checkInStore(checkContext(tool, ctx), undefined, () =>
        checker.check(tool.definition.name, rules, args, limits, (quoteTool, quoteArgs) => quote(quoteTool, quoteArgs, ctx)),
      );
    } catch (error) {
      if (!(error instanceof GuardrailRefusal)) throw error;
      options.metrics?.guardrailRefused(error.guardrail);
      // No order details: which guardrail, whose grant, which tool.
      ctx.log.info(
        { requestId: ctx.requestId, grantId: ctx.grant.grantId, tool: tool.definition.name, guardrail: error.guardrail },
        'order refused by a trading guardrail',
      );
      throw new Refusal(error.message, 'refused_guardrail');
    }
  }

  /** The market price for a guardrail, from the declared quote tool with the caller's own token. */
  async function quote(toolName: string, args: Record<string, unknown>, ctx: CallContext): Promise<unknown> {
    const quoteTool = options.registry.get(toolName);
    if (quoteTool === undefined) throw new ValuationProblem(`the quote tool ${toolName} is not available`);
    // Through the quote tool's own input schema too: `invoke` only ever receives validated arguments (`typedInvoke`).
    const checked = quoteTool.validateArguments(args);
    if (!checked.ok) throw new ValuationProblem(`the quote tool ${toolName} does not accept the order's symbol (${checked.problems.join('; ')})`);
    const token = await ctx.grant.accessToken();
    const answer = await callUpstream(quoteTool.invoke, options.client, checked.args, {
      accessToken: token,
      requestId: ctx.requestId,
      timeoutMs: options.timeoutMs,
      signal: ctx.signal,
    });
    if (answer.kind !== 'ok')
      throw new ValuationProblem(`the current quote could not be fetched (${answer.kind === 'http' ? `Aries answered HTTP ${answer.status}` : answer.kind})`);
    return answer.body;
  }

  /** Aries certainly did not take the order: its value leaves the day's total. An outage here leaves it counted (errs on the safe side). */
  async function giveBack(reserved: Extract<GuardrailOutcome, { kind: 'reserved' }>, ctx: CallContext, name: string): Promise<void> {
    try {
      await reserved.release();
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      ctx.log.error({ requestId: ctx.requestId, tool: name }, 'store unavailable: a refused order stays counted in the daily guardrail total');
    }
  }

  function checkContext(tool: RegisteredTool<C> | undefined, ctx: CallContext): CheckContext {
    return { tool: tool?.definition, requestId: ctx.requestId, log: ctx.log, metrics: options.metrics };
  }

  /** Calls Aries; on 401 renews the token once and calls once more. */
  async function callWithRefresh(tool: RegisteredTool<C>, args: Record<string, unknown>, ctx: CallContext): Promise<Attempt> {
    // `args` passed `prepareArguments` (Ajv, the input schema): the guarantee `typedInvoke` (runtime/contract/request-mapping.ts) relies on.
    const call = (token: string): Promise<UpstreamOutcome> =>
      callUpstream(tool.invoke, options.client, args, { accessToken: token, requestId: ctx.requestId, timeoutMs: options.timeoutMs, signal: ctx.signal });
    const token = await renewable(() => ctx.grant.accessToken(), ctx, tool);
    if (token === undefined) return { kind: 'reauthorize' };
    const first = await call(token);
    if (!(first.kind === 'http' && first.status === 401)) return { kind: 'answered', upstream: first, token };
    const fresh = await renewable(() => ctx.grant.refreshAccessToken(), ctx, tool);
    if (fresh === undefined) return { kind: 'reauthorize', upstream: first };
    ctx.log.info({ requestId: ctx.requestId, tool: tool.definition.name }, 'Aries answered 401; token refreshed, retrying once');
    const second = await call(fresh);
    if (!(second.kind === 'http' && second.status === 401)) return { kind: 'answered', upstream: second, token: fresh };
    if (await ctx.grant.isStale(fresh)) {
      throw new ToolError('Aries refused the session token just as it was renewed (it expired or was renewed again meanwhile); nothing was done. Try again.');
    }
    await ctx.grant.revoke();
    ctx.log.warn(
      { requestId: ctx.requestId, grantId: ctx.grant.grantId, tool: tool.definition.name },
      'Aries refused a freshly renewed token; grant revoked, the client must re-authorize',
    );
    return { kind: 'reauthorize', upstream: second };
  }

  /** A token from the grant; `undefined` when the grant is revoked; a ToolError for a transient failure. */
  async function renewable(get: () => Promise<string>, ctx: CallContext, tool: RegisteredTool<C>): Promise<string | undefined> {
    try {
      return await get();
    } catch (error) {
      if (error instanceof GrantRevokedError) return undefined;
      ctx.log.warn(
        { requestId: ctx.requestId, tool: tool.definition.name, err: { name: error instanceof Error ? error.name : typeof error } },
        'Aries token renewal failed',
      );
      throw new ToolError('Renewing the Aries session failed for now. Try again in a moment; if it keeps failing, reconnect the Aries connector.');
    }
  }

  function reauthorize(ctx: CallContext): { result: CallToolResult; outcome: Outcome } {
    ctx.requireReauthorization();
    return {
      outcome: 'reauthorize',
      result: toolErrorResult('Aries no longer accepts this connection (HTTP 401). Reconnect (re-authorize) the Aries connector, then try again.'),
    };
  }

  function finish(tool: RegisteredTool<C>, upstream: UpstreamOutcome, token: string, ctx: CallContext): { result: CallToolResult; outcome: Outcome } {
    const { name } = tool.definition;
    if (upstream.kind !== 'ok') {
      const mapped = mapUpstreamError(
        upstream,
        { name, scopes: tool.definition.scopes, unsafeToRepeat: tool.unsafeToRepeat, argumentNames: tool.argumentNames, recovery: tool.definition.recovery },
        { secrets: [token] },
      );
      return { outcome: mapped.outcome === 'unknown' ? 'unknown_outcome' : 'upstream_error', result: toolErrorResult(mapped.text) };
    }
    const toolBudget = tool.definition.response.budgetChars;
    const shaped = shapeResult(upstream.body, tool.definition.response, {
      budgetTokens: toolBudget === undefined ? options.budgetTokens : Math.min(options.budgetTokens, Math.floor(toolBudget / BYTES_PER_TOKEN)),
      acceptsMarker: (candidate) => tool.validateOutput(candidate),
    });
    if (!shaped.ok) {
      return {
        outcome: 'ok',
        result: toolErrorResult(
          `The answer from Aries is too large to return (about ${shaped.tokens} tokens, limit ${shaped.budgetTokens}) even after shortening its lists. Narrow the request (use limit/page/from/to or a more specific symbol).`,
        ),
      };
    }
    if (!tool.validateOutput(shaped.structuredContent)) {
      const problems = describeErrors(tool.validateOutput.errors ?? []).slice(0, 5);
      ctx.log.warn({ requestId: ctx.requestId, tool: name, problems }, 'upstream response does not match the output schema');
      return {
        outcome: 'ok',
        result: toolErrorResult(
          `Aries answered, but not in the documented shape for ${name} (${problems.join('; ')}); report this to the gateway operators if it persists. Its answer: ${shaped.text}`,
        ),
      };
    }
    return {
      outcome: 'ok',
      result: { content: [{ type: 'text', text: shaped.text }], structuredContent: shaped.structuredContent },
    };
  }
}

/** The metrics outcome: an upstream error by its class (`upstream_http_5xx`, `upstream_timeout`, ...). */
function metricOutcome(outcome: Outcome, upstream: UpstreamOutcome | undefined): ToolCallOutcome {
  if (outcome !== 'upstream_error') return outcome;
  if (upstream === undefined || upstream.kind === 'ok') return 'tool_error';
  if (upstream.kind === 'http') return upstream.status >= 500 ? 'upstream_http_5xx' : 'upstream_http_4xx';
  return `upstream_${upstream.kind}`;
}

const DOT_SEGMENT = /^\.{1,2}$/;

function prepareArguments<C>(tool: RegisteredTool<C>, rawArgs: unknown): { args: Record<string, unknown>; confirmDuplicate: boolean } {
  const { name } = tool.definition;
  const checked = tool.validateArguments(rawArgs);
  if (!checked.ok) throw new ToolError(`Invalid arguments for ${name}:\n${checked.problems.map((problem) => `- ${problem}`).join('\n')}`);
  const args: Record<string, unknown> = { ...checked.args };
  const confirm = tool.confirmArgument === undefined ? undefined : args[tool.confirmArgument];
  if (tool.confirmArgument !== undefined) delete args[tool.confirmArgument];
  for (const route of tool.definition.routes) {
    const value = args[route.argument];
    // RFC 3986 §5.2.4: URL normalization (fetch's included, even for %2E) removes "." and ".." segments, so such a value would reach another endpoint.
    if (route.in === 'path' && typeof value === 'string' && DOT_SEGMENT.test(value)) {
      throw new ToolError(`Invalid arguments for ${name}:\n- ${route.argument}: must be an identifier, not ${JSON.stringify(value)}`);
    }
  }
  for (const argument of tool.jsonStringArguments) {
    const value = args[argument];
    if (typeof value !== 'string') continue;
    try {
      args[argument] = JSON.parse(value);
    } catch (error) {
      throw new ToolError(`Invalid arguments for ${name}:\n- ${argument}: must be valid JSON text (${error instanceof Error ? error.message : 'parse error'})`);
    }
  }
  return { args, confirmDuplicate: confirm === true };
}

/** The refusal of a probable duplicate: where to look for the first call (`recovery.checkOrdersWith`) and how to mean a second one. */
function duplicateMessage<C>(tool: RegisteredTool<C>, windowSeconds: number): string {
  const { name } = tool.definition;
  const check = tool.definition.recovery?.checkOrdersWith?.[0];
  const look = check === undefined ? '' : `Check ${check} to see the first one. `;
  const again =
    tool.confirmArgument === undefined
      ? `If you really intend a second, separate order, wait ${windowSeconds} seconds and call ${name} again.`
      : `If you really intend a second, separate order, call ${name} again with the same arguments and ${tool.confirmArgument}: true.`;
  return `Refused as a probable duplicate: an identical ${name} call was made from this connection less than ${windowSeconds} seconds ago, or is still in progress. ${look}${again}`;
}

function missingScopeMessage(tool: string, missing: readonly string[]): string {
  const list = missing.map((scope) => `"${scope}"`).join(' and ');
  return `${tool} needs the Aries scope ${list}, which this connection was not granted. Add it to your OAuth client in Aries Client Center (Client Center > your client > Scopes), then reconnect the Aries connector so the new scope is granted.`;
}
