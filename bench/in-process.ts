/**
 * The single-process variant of the deployment, for comparing grant
 * resolvers on equal footing: the sandbox and two gateways (`createApp`
 * with the generated tools) inside the benchmark process, on 127.0.0.1:0.
 * - `testResolver`: the test suite's `SandboxGrantResolver` (a bearer token
 *   mapped to an Aries token held in memory: no OAuth bookkeeping);
 * - `oauth`: the real OAuth proxy (memory store), signed in through it.
 * Logs are formatted at `info` and dropped (no I/O), so formatting is paid
 * but nothing is written. Client, gateway and sandbox share one thread here,
 * so these figures are for comparing the two resolvers, not for capacity.
 */
import { createServer, type Server } from 'node:http';
import { boundPort } from '../build/free-port.js';
import { tools } from '../generated/index.js';
import { createApp, type App } from '../runtime/app.js';
import { loadOAuthConfig } from '../runtime/auth/oauth-config.js';
import { loadConfig } from '../runtime/config.js';
import type { GrantResolver } from '../runtime/mcp/grant.js';
import { createSandbox } from '../sandbox/app.js';
import { SandboxGrantResolver } from '../testkit/sandbox-grant-resolver.js';
import { signInThroughGateway } from './oauth-sign-in.js';
import { ariesTokenFor, ARIES_SCOPES } from './stack.js';

export interface InProcessStack {
  readonly sandboxUrl: string;
  readonly ariesToken: string;
  readonly testResolver: { readonly mcpUrl: string; readonly token: string };
  readonly oauth: { readonly mcpUrl: string; readonly token: string };
  close(): Promise<void>;
}

const discard = { write: (_line: string): void => undefined };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${boundPort(server)}`;
}

function startGateway(url: string, server: Server, env: Record<string, string>, deps: { grants?: GrantResolver; oauth?: boolean }): App {
  const settings = { LOG_LEVEL: 'info', GATEWAY_PUBLIC_URL: url, GATEWAY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), ...env };
  const config = loadConfig(settings);
  const app = deps.oauth
    ? createApp(config, {
        tools,
        oauth: { config: loadOAuthConfig(settings, { port: 0, sandboxUrl: config.ariesApiBase }), scopes: ARIES_SCOPES },
        logDestination: discard,
      })
    : createApp(config, { tools, grants: deps.grants, logDestination: discard });
  server.on('request', app.listener);
  return app;
}

export async function startInProcessStack(): Promise<InProcessStack> {
  const sandbox = createSandbox({ tickIntervalMs: 0 });
  const listening = await sandbox.listen(0, '127.0.0.1');
  const env = { ARIES_API_BASE: listening.url };
  const { demo } = sandbox;

  const resolver = new SandboxGrantResolver();
  await resolver.signIn('bench', {
    sandboxUrl: listening.url,
    clientId: demo.clientId,
    clientSecret: demo.clientSecret,
    email: demo.email,
    password: demo.password,
    redirectUri: demo.redirectUris[0],
    scopes: ARIES_SCOPES,
  });
  const plainServer = createServer();
  const plainUrl = await listen(plainServer);
  const plain = startGateway(plainUrl, plainServer, env, { grants: resolver });

  const oauthServer = createServer();
  const oauthUrl = await listen(oauthServer);
  const oauth = startGateway(oauthUrl, oauthServer, env, { oauth: true });
  const oauthToken = await signInThroughGateway({
    gatewayUrl: oauthUrl,
    sandboxUrl: listening.url,
    email: demo.email,
    password: demo.password,
    scopes: ARIES_SCOPES,
  });

  const stop = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    sandboxUrl: listening.url,
    ariesToken: await ariesTokenFor(listening.url, demo),
    testResolver: { mcpUrl: `${plainUrl}/mcp`, token: 'bench' },
    oauth: { mcpUrl: `${oauthUrl}/mcp`, token: oauthToken },
    close: async () => {
      await Promise.all([plain.close(), oauth.close()]);
      await Promise.all([stop(plainServer), stop(oauthServer)]);
      await listening.close();
    },
  };
}
