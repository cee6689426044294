/**
 * What start-up leaves for later must still work later, and must really be
 * left (no timings here, only what is loaded and what is answered):
 * - simple-oauth2 (with Joi and Wreck) loads on the first Aries token
 *   exchange, ioredis only when REDIS_URL selects the Redis store, and
 *   prom-client only when /metrics is exposed (METRICS_TOKEN): checked
 *   in a fresh process (`fixtures/lazy-imports-probe.ts`), where nothing
 *   else could have loaded them;
 * - tool validators compile on a tool's first call: the first call of a
 *   fresh gateway still refuses bad arguments.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, startRedis, type RedisProcess } from '../../../testkit/redis-server.js';
import { ALL_FIXTURE_SCOPES, fixtureTools } from '../../runtime/fixtures/fixture-tools.js';
import { startFixtureUpstream, type FixtureUpstream } from '../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, TestGrants, type TestGateway } from '../../support/test-gateway.js';
import { z } from 'zod';
import { readJsonAs, toolCallAnswer } from '../../../testkit/json-body.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PROBE = 'test/runtime/fixtures/lazy-imports-probe.ts';

const probeStep = z.looseObject({ step: z.string(), loaded: z.record(z.string(), z.boolean()) });
type ProbeStep = z.infer<typeof probeStep>;

function runProbe(env: Record<string, string> = {}): Promise<ProbeStep[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PROBE], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`the probe exited with ${code}:\n${stderr}`));
      else
        resolve(
          stdout
            .trim()
            .split('\n')
            .map((line) => probeStep.parse(JSON.parse(line))),
        );
    });
  });
}

describe('lazy start-up (fresh process)', () => {
  it('loads simple-oauth2 on the first token exchange and never ioredis on the memory store', { timeout: 60_000 }, async () => {
    const [started, exchanged, ...rest] = await runProbe();
    expect(started).toMatchObject({
      step: 'started',
      status: 401,
      loaded: { 'simple-oauth2': false, joi: false, '@hapi/wreck': false, ioredis: false, 'prom-client': false },
    });
    // The exchange reached simple-oauth2 and failed as a network error, mapped as before.
    expect(exchanged).toMatchObject({ step: 'token-exchange', exchange: 'unreachable', loaded: { 'simple-oauth2': true, joi: true, ioredis: false } });
    expect(rest).toEqual([]);
  });

  describe.skipIf(!redisAvailable())('with REDIS_URL', () => {
    let redis: RedisProcess;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('loads ioredis when REDIS_URL selects the Redis store, and the store works', { timeout: 60_000 }, async () => {
      const steps = await runProbe({ PROBE_REDIS_URL: redis.url });
      expect(steps[0]?.loaded['ioredis']).toBe(false);
      expect(steps.at(-1)).toMatchObject({ step: 'redis', store: 'RedisStore', loaded: { ioredis: true } });
    });
  });
});

describe('validators compiled on first use', () => {
  let upstream: FixtureUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startFixtureUpstream();
    const grants = new TestGrants().add('mcp-1', new TestGrant('grant-1', ALL_FIXTURE_SCOPES, 'aries-1'));
    gateway = await startGateway({ tools: fixtureTools, grants, env: { ARIES_API_BASE: upstream.url } });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('the first tools/call of a fresh gateway refuses bad arguments before reaching Aries', async () => {
    const response = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: 'Bearer mcp-1',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_positions', arguments: { account_id: 42, surprise: true } } }),
    });
    expect(response.status).toBe(200);
    const body = await readJsonAs(response, toolCallAnswer);
    expect(body.result.isError).toBe(true);
    expect(body.result.content[0]?.text).toBe('Invalid arguments for get_positions:\n- unknown argument "surprise"\n- account_id: must be string');
    expect(upstream.requests).toHaveLength(0);
  });
});
