/**
 * The per-grant tool-call limit (TOOL_CALLS_PER_MINUTE) through the whole
 * gateway. All of Claude's users reach the gateway from a few shared
 * addresses, so the limit is keyed by grant: one user over the limit gets a
 * tool error saying how long to wait (and nothing reaches Aries), while
 * another user on the same address keeps working; a new minute resets it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedWindowLimit } from '../../../runtime/http/fixed-window.js';
import { MemoryStore } from '../../../runtime/store/memory-store.js';
import { ALL_FIXTURE_SCOPES, fixtureTools } from '../../runtime/fixtures/fixture-tools.js';
import { startFixtureUpstream, type FixtureUpstream } from '../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, TestGrants, type TestGateway } from '../../support/test-gateway.js';
import { z } from 'zod';
import { toolCallAnswer } from '../../../testkit/json-body.js';

const LIMIT = 5;
let upstream: FixtureUpstream;
let gateway: TestGateway;
let now = 1_000_000;

interface ToolResult {
  readonly isError?: boolean;
  readonly content: { readonly text: string }[];
}

async function callAs(token: string, messages = 1): Promise<ToolResult[]> {
  const message = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_accounts', arguments: {} } });
  const response = await fetch(gateway.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-03-26',
    },
    body: JSON.stringify(messages === 1 ? message(1) : Array.from({ length: messages }, (_, index) => message(index + 1))),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const body: unknown = await response.json();
  const answers = z.array(toolCallAnswer).parse(Array.isArray(body) ? body : [body]);
  return answers.map((answer) => answer.result);
}

/** Clears the recorded requests; the fixture then accepts only the two users' Aries tokens. */
function resetUpstream(): void {
  upstream.reset();
  upstream.validTokens.add('aries-alice').add('aries-bob');
}

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  const grants = new TestGrants()
    .add('alice', new TestGrant('grant-alice', ALL_FIXTURE_SCOPES, 'aries-alice'))
    .add('bob', new TestGrant('grant-bob', ALL_FIXTURE_SCOPES, 'aries-bob'));
  gateway = await startGateway({ tools: fixtureTools, grants, env: { ARIES_API_BASE: upstream.url, TOOL_CALLS_PER_MINUTE: String(LIMIT) }, now: () => now });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe('per-grant tool-call limit', () => {
  it('refuses the calls over the limit as tool errors with a wait time, sends none of them upstream, and leaves other users on the same address alone', async () => {
    resetUpstream();
    for (let i = 0; i < LIMIT; i++) expect((await callAs('alice'))[0].isError).toBeFalsy();
    const refused = (await callAs('alice'))[0];
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toMatch(
      /^Too many tool calls on this connection \(limit 5 per minute\)\. Wait \d+ seconds, then try again; nothing was sent to Aries\.$/,
    );
    expect(upstream.requests.filter((request) => request.authorization === 'Bearer aries-alice')).toHaveLength(LIMIT);

    for (let i = 0; i < LIMIT; i++) expect((await callAs('bob'))[0].isError, 'bob shares the address but not the grant').toBeFalsy();
  });

  it('counts every call of a legacy batch, so a batch cannot fan out past the limit', async () => {
    now += 60_000;
    resetUpstream();
    const results = await callAs('alice', 8);
    expect(results.filter((result) => result.isError !== true)).toHaveLength(LIMIT);
    expect(results.filter((result) => result.isError === true)).toHaveLength(8 - LIMIT);
    expect(upstream.requests).toHaveLength(LIMIT);
  });

  it('lets the user call again in the next minute', async () => {
    now += 60_000;
    resetUpstream();
    expect((await callAs('alice'))[0].isError).toBeFalsy();
  });
});

describe('FixedWindowLimit', () => {
  it('allows the limit per key per minute and names the seconds left in the window', async () => {
    let time = 0;
    const store = new MemoryStore({ now: () => time, sweepIntervalMs: 0 });
    const limit = new FixedWindowLimit({ store, name: 'test', limitPerMinute: 2, now: () => time });
    expect(await limit.take('a')).toEqual({ allowed: true });
    expect(await limit.take('a')).toEqual({ allowed: true });
    time = 45_500;
    expect(await limit.take('a')).toEqual({ allowed: false, retryAfterSeconds: 15 });
    expect(await limit.take('b')).toEqual({ allowed: true });
    time = 60_000;
    expect(await limit.take('a')).toEqual({ allowed: true });
    await store.close();
  });

  it('two limiters on one store (two replicas) share the count', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const replicas = [new FixedWindowLimit({ store, name: 'calls', limitPerMinute: 3 }), new FixedWindowLimit({ store, name: 'calls', limitPerMinute: 3 })];
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push((await replicas[i % 2].take('grant')).allowed);
    expect(verdicts).toEqual([true, true, true, false, false, false]);
    await store.close();
  });
});
