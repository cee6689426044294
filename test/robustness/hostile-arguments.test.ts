/**
 * Hostile tool arguments, property-based (fast-check, 50 runs per tool):
 * arguments generated from and around each generated tool's input schema
 * (wrong types, huge strings, deep nesting, `..` and `%2e%2e/` traversal,
 * CR/LF header injection in path and query values, NUL, lone surrogates and
 * other unicode, `__proto__`/`constructor` keys), sent as `tools/call`
 * through the real gateway to the sandbox, with a recording proxy between
 * them. For every call:
 * - the HTTP answer is not 5xx and the JSON-RPC answer is a tool result
 *   (`isError` or not) or a client-fault error, never -32603;
 * - every upstream request it caused is a spec operation whose path
 *   parameters are percent-encoded and never a dot segment (no traversal).
 * Then: very deep JSON nesting sent as raw text, non-object `arguments`,
 * hostile tool names; the gateway still serves a healthy call; no error-level
 * log line; no secret in any log line.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../generated/index.js';
import { startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { checkProperty } from './support/check-property.js';
import { connectUser, type GatewayUser } from './support/gateway-users.js';
import { argumentsAround, notAnObject, PROTOTYPE_KEYS } from './support/hostile-values.js';
import { callTool, postMcp, toolAnswerParts, type ToolAnswer } from './support/mcp-wire.js';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.js';
import { startRobustGateway, type RobustGateway } from './support/robust-gateway.js';
import { SecretLedger } from './support/secret-ledger.js';
import { upstreamProblem } from './support/spec-paths.js';

const RUNS_PER_TOOL = 50;

describe('hostile tool arguments (property-based)', () => {
  const ledger = new SecretLedger();
  let sandbox: RunningSandbox;
  let proxy: RecordingProxy;
  let gateway: RobustGateway;
  let user: GatewayUser;
  const upstream5xx: string[] = [];
  const reachedUpstream = new Map<string, number>();

  beforeAll(async () => {
    sandbox = await startSandbox();
    proxy = await startRecordingProxy(sandbox.url);
    // Hundreds of calls from one grant within a minute: lift the per-grant limit, which call-limit.test.ts covers.
    const env = { TOOL_TIMEOUT_MS: '5000', DUPLICATE_WINDOW_SECONDS: '1', TOOL_CALLS_PER_MINUTE: '1000000' };
    gateway = await startRobustGateway({ sandboxUrl: sandbox.url, apiBase: proxy.url, ledger, env });
    user = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, confidential: true, label: 'hostile' });
  });

  afterAll(async () => {
    console.info(`generated calls that reached Aries, per tool: ${[...reachedUpstream].map(([tool, count]) => `${tool} ${count}`).join(', ')}`);
    if (upstream5xx.length > 0)
      console.info(`sandbox answered 5xx to ${upstream5xx.length} hostile calls (not a gateway fault):\n${upstream5xx.slice(0, 10).join('\n')}`);
    await gateway?.close();
    await proxy?.close();
    await sandbox?.close();
  });

  /** Sends one call; throws (for fast-check to shrink) when the gateway misbehaved. */
  async function probe(name: string, args: unknown, raw?: string): Promise<ToolAnswer> {
    const before = proxy.requests.length;
    const answer = raw === undefined ? await callTool(gateway.mcpUrl, user.accessToken, name, args) : await rawCall(raw);
    const label = `${name} ${raw === undefined ? safeJson(args) : `<raw ${raw.length} bytes>`}`;
    if (answer.status >= 500) throw new Error(`HTTP ${answer.status} for ${label}: ${answer.text.slice(0, 300)}`);
    if (answer.status === 401) throw new Error(`HTTP 401 (a valid token was refused) for ${label}`);
    if (answer.error?.code === -32603) throw new Error(`JSON-RPC -32603 for ${label}: ${answer.error.message}`);
    if (answer.error === undefined && answer.result === undefined)
      throw new Error(`neither result nor error for ${label}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
    for (const request of proxy.requests.slice(before)) {
      const problem = upstreamProblem(request);
      if (problem !== undefined) throw new Error(`upstream request outside the spec for ${label}: ${problem}`);
    }
    if (/^Aries is having trouble \(HTTP 5\d\d\)/.test(answer.resultText)) upstream5xx.push(`${label.slice(0, 200)} -> ${answer.resultText.split('\n')[0]}`);
    return answer;
  }

  async function rawCall(body: string): Promise<ToolAnswer> {
    const answer = await postMcp(gateway.mcpUrl, body, { authorization: `Bearer ${user.accessToken}` });
    const { result, error } = toolAnswerParts(answer.json);
    return { ...answer, result, error, resultText: (result?.content ?? []).map((block) => block.text ?? '').join('\n') };
  }

  for (const tool of tools) {
    const { name, inputSchema } = tool.definition;
    it(`${name}: ${RUNS_PER_TOOL} generated argument sets never cause a 5xx, a -32603 or an off-spec upstream request`, async () => {
      const before = proxy.requests.length;
      let refused = 0;
      let guarded = 0;
      await checkProperty(
        fc.asyncProperty(argumentsAround(inputSchema, { account_id: user.accountId }), async (args) => {
          const answer = await probe(name, args);
          if (answer.resultText.startsWith(`Invalid arguments for ${name}`)) refused += 1;
          // Valid arguments the trading guardrails refuse (hostile quantities and prices): past validation, stopped before the order.
          if (/^Refused by the trading guardrails?\b/.test(answer.resultText)) guarded += 1;
        }),
        { numRuns: RUNS_PER_TOOL, seed: 20_260_728 + name.length, endOnFailure: true },
      );
      // Enough generated calls got past validation to exercise the upstream leg, or the guardrails' checks for order tools
      // (hostile values inside valid types included).
      reachedUpstream.set(name, proxy.requests.length - before);
      expect(
        proxy.requests.length - before + guarded,
        `${name}: ${refused} of ${RUNS_PER_TOOL} refused by validation, ${guarded} by guardrails`,
      ).toBeGreaterThanOrEqual(5);
      if (tool.definition.guardrails?.mode === 'enforce')
        expect(proxy.requests.length - before, `${name}: some orders inside the guardrails reach Aries`).toBeGreaterThanOrEqual(1);
    }, 60_000);
  }

  it.each(['get_balances', 'list_open_orders', 'get_order_history', 'get_positions'])(
    '%s: dot-segment account ids are refused before any upstream request',
    async (name) => {
      for (const accountId of ['..', '.', '%2e%2e', '.%2E', '%2e']) {
        const before = proxy.requests.length;
        const answer = await probe(name, { account_id: accountId, ...(name === 'get_order_history' ? { from: new Date().toISOString() } : {}) });
        expect(answer.result?.isError, `${name} ${accountId}`).toBe(true);
        if (accountId === '..' || accountId === '.') {
          expect(answer.resultText).toContain('account_id');
          expect(proxy.requests.length).toBe(before);
        }
      }
    },
  );

  it('deep JSON nesting in arguments (raw JSON text): up to 64 levels is a tool result, deeper is a 400, up to 100 000 levels', async () => {
    const nest = (depth: number, open: string, close: string) => `${open.repeat(depth)}1${close.repeat(depth)}`;
    const shallow = await probe(
      'get_quote',
      undefined,
      `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"get_quote","arguments":{"symbol":${nest(50, '[', ']')}}}}`,
    );
    expect(shallow.result?.isError).toBe(true);
    expect(shallow.resultText).toContain('symbol: must be string');
    for (const depth of [100, 1_000, 10_000, 100_000]) {
      for (const [open, close] of [
        ['[', ']'],
        ['{"a":', '}'],
      ]) {
        const value = nest(depth, open, close);
        for (const body of [
          `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"place_order","arguments":{"account_id":"${user.accountId}","legs":${value}}}}`,
          `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"get_quote","arguments":${value}}}`,
          `[${value}]`,
        ]) {
          const answer = await probe('deep', undefined, body);
          expect({ depth, status: answer.status, code: answer.error?.code }).toEqual({ depth, status: 400, code: -32600 });
        }
      }
    }
  }, 60_000);

  it('non-object arguments and hostile tool names are answered as errors', async () => {
    await checkProperty(
      fc.asyncProperty(
        notAnObject,
        fc.constantFrom('get_quote', 'place_order', ...PROTOTYPE_KEYS, '../place_order', 'place_order\r\n', 'PLACE_ORDER', 'x'.repeat(10_000)),
        async (args, name) => {
          const answer = await probe(name, args);
          if (answer.result !== undefined) expect(answer.result.isError).toBe(true);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  }, 60_000);

  it('still serves a healthy call afterwards, with no error-level log line', async () => {
    const healthy = await callTool(gateway.mcpUrl, user.accessToken, 'get_positions', { account_id: user.accountId });
    expect(healthy.status).toBe(200);
    expect(healthy.result?.isError, healthy.resultText).toBeFalsy();
    const errors = gateway.logs.entries.filter((entry) => Number(entry['level']) >= 50);
    expect(errors.map((entry) => `${String(entry['msg'])} ${JSON.stringify(entry['err'] ?? '').slice(0, 300)}`)).toEqual([]);
  });

  it('no log line holds a password, secret, verifier or token', () => {
    expect(ledger.size).toBeGreaterThanOrEqual(5);
    expect(ledger.findIn(gateway.logs.lines)).toEqual([]);
  });
});

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text.length > 300 ? `${text.slice(0, 300)}... (${text.length} chars)` : text;
  } catch {
    return '<unserializable>';
  }
}
