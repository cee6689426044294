/**
 * Load and soak, bounded: 20 sandbox users, each with its own account, Aries
 * OAuth client and gateway grant (connected through the real OAuth proxy),
 * call every read tool, preview, and place -> replace -> cancel, for several
 * rounds at once, while Aries expires every access token now and then (the
 * gateway must refresh, per grant, and retry once).
 * Checked for every call: HTTP 200, no JSON-RPC error, no `isError`,
 * structuredContent valid against the tool's output schema (Ajv 2020-12), and
 * no account id or order id of another user anywhere in the result.
 * Each expiry lands between calls (the clients pause at a barrier for it):
 * `expireTokens` kills every access token at once, so one landing between the
 * gateway's refresh and its single retry would make Aries refuse the fresh
 * token too, which DESIGN §5 answers with HTTP 401 (re-authorize), by design.
 * Expiry during a call in flight is `faults.test.ts`'s subject.
 * Afterwards: every order at Aries is accounted for exactly once (nothing
 * placed twice), every upstream request is a spec operation, and no log line
 * holds a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { accountIdsIn, limitBuy, outputProblems, READ_TOOLS, readArguments } from './support/call-mix.js';
import { connectUser, type GatewayUser } from './support/gateway-users.js';
import { callTool } from './support/mcp-wire.js';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.js';
import { startRobustGateway, type RobustGateway } from './support/robust-gateway.js';
import { SecretLedger } from './support/secret-ledger.js';
import { upstreamProblem } from './support/spec-paths.js';
import { z } from 'zod';
import { readJsonAs } from '../../testkit/json-body.js';

const USERS = 20;
const ROUNDS = 6;
const TOKEN_EXPIRIES = 6;

interface CallRecord {
  readonly user: number;
  readonly tool: string;
  readonly ok: boolean;
  readonly problem?: string;
  readonly text: string;
}

/** Lets the chaos step run while no call is in flight; calls wait while it runs. */
class Barrier {
  private inFlight = 0;
  private held: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  /** Runs one call; waits first while the chaos step holds the barrier. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.held !== undefined) await this.held;
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /** Waits until no call is in flight, runs `work` while new calls wait. */
  async hold(work: () => Promise<unknown>): Promise<void> {
    let release = (): void => {};
    this.held = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = undefined;
      await work();
    } finally {
      this.held = undefined;
      release();
    }
  }
}

describe('load and soak: 20 grants over the full call mix with forced Aries token refreshes', () => {
  const ledger = new SecretLedger();
  let sandbox: RunningSandbox;
  let proxy: RecordingProxy;
  let gateway: RobustGateway;
  const users: GatewayUser[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
    await fetch(`${sandbox.url}/admin/market/prices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ MSFT: '420.00' }),
    });
    proxy = await startRecordingProxy(sandbox.url);
    gateway = await startRobustGateway({ sandboxUrl: sandbox.url, apiBase: proxy.url, ledger });
    for (let batch = 0; batch < USERS; batch += 5) {
      const connected = await Promise.all(
        Array.from({ length: Math.min(5, USERS - batch) }, (_, i) =>
          connectUser({
            sandboxUrl: sandbox.url,
            gatewayUrl: gateway.url,
            publicUrl: gateway.publicUrl,
            ledger,
            confidential: (batch + i) % 3 === 0,
            label: `load${batch + i}`,
          }),
        ),
      );
      users.push(...connected);
    }
  });

  const sandboxFaults = (body: Record<string, unknown>) =>
    fetch(`${sandbox.url}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  afterAll(async () => {
    await gateway?.close();
    await proxy?.close();
    await sandbox?.close();
  });

  it('every call succeeds with a well-formed result and sees only its own grant', async () => {
    const records: CallRecord[] = [];
    const barrier = new Barrier();
    const ordersSeen = new Map<number, Set<string>>();
    const call = async (user: number, tool: string, args: Record<string, unknown>): Promise<Record<string, unknown> | undefined> => {
      const answer = await barrier.run(() => callTool(gateway.mcpUrl, users[user].accessToken, tool, args));
      const structured = answer.result?.structuredContent;
      let problem: string | undefined;
      if (answer.status !== 200) problem = `HTTP ${answer.status}: ${answer.text.slice(0, 300)}`;
      else if (answer.error !== undefined) problem = `JSON-RPC error ${answer.error.code}: ${answer.error.message}`;
      else if (answer.result?.isError === true) problem = `isError: ${answer.resultText.slice(0, 300)}`;
      else {
        const schema = outputProblems(tool, structured);
        const foreign = accountIdsIn(answer.resultText).filter((id) => id !== users[user].accountId);
        if (schema.length > 0) problem = `output schema: ${schema.slice(0, 3).join('; ')}`;
        else if (foreign.length > 0) problem = `saw another user's account ${foreign.join(', ')}`;
      }
      records.push({ user, tool, ok: problem === undefined, problem, text: answer.resultText });
      return problem === undefined ? structured : undefined;
    };

    const client = async (user: number): Promise<void> => {
      const accountId = users[user].accountId;
      const mine = new Set<string>();
      ordersSeen.set(user, mine);
      for (let round = 0; round < ROUNDS; round++) {
        for (const tool of READ_TOOLS) await call(user, tool, readArguments(tool, accountId, round));
        const placed = await call(user, 'place_order', limitBuy(accountId, round, 1));
        if (placed === undefined) continue;
        mine.add(String(placed['clOrdId']));
        const replaced = await call(user, 'replace_order', {
          origClOrdId: placed['clOrdId'],
          account_id: accountId,
          symbol: 'MSFT',
          qty: String(2 + round),
          price: `${301 + round}.50`,
        });
        if (replaced === undefined) continue;
        mine.add(String(replaced['clOrdId']));
        await call(user, 'cancel_order', { origClOrdId: replaced['clOrdId'], account_id: accountId, symbol: 'MSFT', side: 'BUY' });
      }
    };

    let running = true;
    let expiries = 0;
    const chaos = (async () => {
      while (running && expiries < TOKEN_EXPIRIES) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        if (!running) break;
        await barrier.hold(() => sandboxFaults({ expireTokens: true }));
        expiries += 1;
      }
    })();
    const started = Date.now();
    await Promise.all(users.map((_, user) => client(user)));
    running = false;
    await chaos;
    const elapsed = Date.now() - started;

    const failures = records.filter((record) => !record.ok).map((record) => `user ${record.user} ${record.tool}: ${record.problem}`);
    expect(failures).toEqual([]);
    expect(records).toHaveLength(USERS * ROUNDS * (READ_TOOLS.length + 3));
    // No order id of one user in any other user's results.
    for (const record of records) {
      for (const [other, ids] of ordersSeen) {
        if (other === record.user) continue;
        for (const id of ids) if (record.text.includes(id)) throw new Error(`user ${record.user} ${record.tool} saw order ${id} of user ${other}`);
      }
    }
    expect(expiries).toBeGreaterThanOrEqual(1);
    expect(gateway.counter.refreshes).toBeGreaterThanOrEqual(expiries);
    console.info(
      `load: ${records.length} calls by ${USERS} clients in ${elapsed} ms, ${expiries} token expiries, ${gateway.counter.refreshes} Aries refreshes`,
    );
    expect(elapsed).toBeLessThan(60_000);
  }, 90_000);

  it('Aries holds exactly the orders the clients made: one placement and one replacement per round, all cancelled', async () => {
    for (const user of users) {
      const res = await fetch(`${sandbox.url}/admin/orders?account_id=${user.accountId}`);
      const { orders } = await readJsonAs(res, z.looseObject({ orders: z.array(z.looseObject({ clOrdId: z.string(), ordStatus: z.string() })) }));
      expect(orders, user.accountId).toHaveLength(ROUNDS * 2);
      expect(new Set(orders.map((order) => order.clOrdId)).size).toBe(ROUNDS * 2);
      expect(
        orders
          .filter((order) => !['CANCELED', 'CANCELLED', 'SUPERSEDED', 'REPLACED'].includes(order.ordStatus))
          .map((order) => `${order.clOrdId} ${order.ordStatus}`),
      ).toEqual([]);
    }
  });

  it('every upstream request was a spec operation with encoded path parameters', () => {
    expect(proxy.requests.length).toBeGreaterThan(USERS * ROUNDS * 10);
    expect(proxy.requests.map(upstreamProblem).filter((problem) => problem !== undefined)).toEqual([]);
  });

  it('no log line holds a password, secret, verifier or token', () => {
    expect(ledger.count('Aries access token')).toBeGreaterThan(USERS);
    expect(ledger.count('gateway access token')).toBe(USERS);
    expect(gateway.logs.lines.length).toBeGreaterThan(USERS * ROUNDS);
    expect(ledger.findIn(gateway.logs.lines)).toEqual([]);
  });
});
