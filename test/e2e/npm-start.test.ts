/**
 * `npm start` (runtime/main.ts) as a process, with no ARIES_* settings: it
 * runs the embedded sandbox and the gateway, prints where to connect and how
 * to sign in, answers /mcp with the OAuth challenge, and stops cleanly on
 * SIGTERM. Start-up problems are one line on stderr naming the variable and
 * exit code 1, never a stack trace.
 * The child is `tsx runtime/main.ts` (what the `start` script runs), not
 * `npx tsx ...`: npx does not pass SIGTERM on to tsx, so the signal test
 * would measure npm, and npm's own warnings would land on stderr.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { authorizeThroughGateway, CLIENT_REDIRECT, exchangeCode } from '../../testkit/harness.js';
import { freePort, isPortFree, readSandboxBanner, startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';
import { rawToolsList } from './support/oauth-flow.js';
import { boundPort } from '../../build/free-port.js';

const started: GatewayProcess[] = [];
function start(env: Record<string, string>): GatewayProcess {
  const child = startGatewayProcess(env);
  started.push(child);
  return child;
}

/** Four tsx start-ups at once on a busy 2-core machine take a while. */
const PROCESS_TEST_MS = 60_000;

afterAll(async () => {
  await Promise.all(started.map((child) => child.kill()));
});

/** stderr must be exactly one line, with no stack frame. */
function expectOneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, `stderr was:\n${stderr}`).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe.concurrent('npm start', () => {
  it(
    'on the embedded sandbox: prints the MCP URL, Client ID, demo sign-in and the Claude Code command; 401 on /mcp; SIGTERM exits 0',
    { timeout: PROCESS_TEST_MS },
    async () => {
      const [port, sandboxPort] = await Promise.all([freePort(), freePort()]);
      const gateway = start({ PORT: String(port), SANDBOX_PORT: String(sandboxPort) });
      const { stdout, origin, mcpUrl, clientId } = await readSandboxBanner(gateway, port);

      // 1. The banner (ready line and Client ID checked by readSandboxBanner).
      expect(stdout).toContain('Sign in with    demo@aries.test / demo-password');
      expect(stdout).toContain(`Client Center   http://127.0.0.1:${sandboxPort}/client-center`);
      expect(stdout).toContain(`claude mcp add --transport http --client-id ${clientId} aries-sandbox ${mcpUrl}`);

      // 2. /mcp without a token: the challenge that starts discovery.
      const challenge = await fetch(mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(challenge.status).toBe(401);
      expect(challenge.headers.get('www-authenticate')).toMatch(
        new RegExp(`^Bearer .*resource_metadata="${origin}/\\.well-known/oauth-protected-resource/mcp"`),
      );

      // 3. The printed Client ID and sign-in work as printed: authorize, token, tools/list.
      const back = await authorizeThroughGateway(origin, { clientId }, { email: 'demo@aries.test', password: 'demo-password' });
      const tokens = await exchangeCode(origin, back.searchParams.get('code')!, clientId);
      expect(back.origin + back.pathname).toBe(CLIENT_REDIRECT);
      expect(tokens.status).toBe(200);
      const listed = await rawToolsList(mcpUrl, String(tokens.body['access_token']));
      expect(listed.status).toBe(200);
      expect(await listed.text()).toContain('"name":"place_order"');

      // 4. SIGTERM: drains, closes the gateway and the sandbox, exit code 0.
      const stopping = Date.now();
      gateway.child.kill('SIGTERM');
      const exit = await gateway.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - stopping).toBeLessThan(5_000);
      expect(gateway.stderr()).toBe('');
      expect(await isPortFree(port)).toBe(true);
      expect(await isPortFree(sandboxPort)).toBe(true);
    },
  );

  it(
    'METRICS_PORT: /metrics on its own loopback port (Prometheus text), not on the gateway port; SIGTERM frees both',
    { timeout: PROCESS_TEST_MS },
    async () => {
      const [port, sandboxPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
      const gateway = start({ PORT: String(port), SANDBOX_PORT: String(sandboxPort), METRICS_PORT: String(metricsPort) });
      const { origin } = await readSandboxBanner(gateway, port);
      const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await scraped.text()).toMatch(/^process_cpu_user_seconds_total /m);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/mcp`)).status).toBe(404);
      expect((await fetch(`${origin}/metrics`)).status).toBe(404);
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toEqual({ code: 0, signal: null });
      expect(await isPortFree(metricsPort)).toBe(true);
    },
  );

  it('a PORT already in use: exit 1 with one line naming PORT', { timeout: PROCESS_TEST_MS }, async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = boundPort(blocker);
    try {
      const gateway = start({ PORT: String(port), SANDBOX_PORT: String(await freePort()) });
      expect(await gateway.exited).toEqual({ code: 1, signal: null });
      expect(expectOneLine(gateway.stderr())).toBe(
        `Aries MCP gateway: port ${port} (the gateway) is already in use; stop the other process or set PORT to a free port`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  // Finding 8 (issue 12): TRUST_PROXY=true stopped start-up with "invalid IP address: true".
  it('TRUST_PROXY=true starts, and Express sees the forwarded client address', { timeout: PROCESS_TEST_MS }, async () => {
    const [port, sandboxPort] = await Promise.all([freePort(), freePort()]);
    const gateway = start({ PORT: String(port), SANDBOX_PORT: String(sandboxPort), TRUST_PROXY: 'true', OAUTH_RATE_LIMIT_PER_MINUTE: '1' });
    const { origin } = await readSandboxBanner(gateway, port);
    // The per-address limit keys on req.ip: with the proxy trusted, two forwarded clients each get their own allowance.
    const token = (client: string) =>
      fetch(`${origin}/token`, {
        method: 'POST',
        headers: { 'x-forwarded-for': client },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'agw_rt_x', client_id: 'c' }),
      });
    expect((await token('203.0.113.1')).status).toBe(400);
    expect((await token('203.0.113.2')).status).toBe(400);
    expect((await token('203.0.113.1')).status).toBe(429);
    expect(gateway.stderr()).toBe('');
    await gateway.kill();
  });

  it('an unusable TRUST_PROXY: exit 1 with one line naming the variable and the accepted forms', { timeout: PROCESS_TEST_MS }, async () => {
    const gateway = start({ PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()), TRUST_PROXY: 'yes' });
    expect(await gateway.exited).toEqual({ code: 1, signal: null });
    expect(expectOneLine(gateway.stderr())).toBe(
      'Aries MCP gateway: configuration error: TRUST_PROXY must be true, false, a hop count such as 1, or a comma-separated list of proxy addresses and subnets such as 10.0.0.1,192.168.0.0/16 (or the names loopback, linklocal, uniquelocal); got "yes" (invalid IP address: yes)',
    );
  });

  it('only ARIES_API_BASE set: exit 1 naming the missing ARIES_* variables', { timeout: PROCESS_TEST_MS }, async () => {
    const gateway = start({ PORT: String(await freePort()), ARIES_API_BASE: 'https://api.aries.example' });
    expect(await gateway.exited).toEqual({ code: 1, signal: null });
    expect(expectOneLine(gateway.stderr())).toBe(
      'Aries MCP gateway: configuration error: ARIES_API_BASE is set but ARIES_AUTHORIZE_URL and ARIES_TOKEN_URL are not: set all of ARIES_API_BASE, ARIES_AUTHORIZE_URL, ARIES_TOKEN_URL to serve real Aries, or none to run on the embedded sandbox',
    );
  });

  it(
    'an invalid GATEWAY_ENCRYPTION_KEY with a full ARIES_* configuration: exit 1 naming the variable, without echoing it',
    { timeout: PROCESS_TEST_MS },
    async () => {
      const badKey = 'not-a-real-key-0123456789';
      const gateway = start({
        PORT: String(await freePort()),
        ARIES_API_BASE: 'https://api.aries.example',
        ARIES_AUTHORIZE_URL: 'https://app.aries.example/oauth2/authorize',
        ARIES_TOKEN_URL: 'https://api.aries.example/v1/oauth2/token',
        GATEWAY_PUBLIC_URL: 'https://mcp.aries.example',
        GATEWAY_ENCRYPTION_KEY: badKey,
      });
      expect(await gateway.exited).toEqual({ code: 1, signal: null });
      const line = expectOneLine(gateway.stderr());
      expect(line).toMatch(
        /^Aries MCP gateway: configuration error: GATEWAY_ENCRYPTION_KEY: the current key \(first entry\) is invalid: .*openssl rand -base64 32/,
      );
      expect(line).not.toContain(badKey);
    },
  );
});
