/**
 * The real gateway for end-to-end tests: `createApp` with the generated
 * tools and the OAuth proxy, on 127.0.0.1, with the sandbox as Aries.
 * It listens before the app is built, because the OAuth configuration needs
 * the public URL (issuer, callback, token audience). Replicas behind one
 * address pass that address as `publicUrl` and a shared `store`.
 * Logs are captured (never printed); a counter, when given, counts the
 * gateway's Aries refreshes.
 */
import { createServer } from 'node:http';
import { instructions, oauthScopes, tools } from '../../../generated/index.js';
import { createApp, type App } from '../../../runtime/app.js';
import { loadOAuthConfig } from '../../../runtime/auth/oauth-config.js';
import { loadConfig } from '../../../runtime/config.js';
import type { Store } from '../../../runtime/store/store.js';
import { createAriesOAuthClient } from '../../../runtime/upstream/aries-oauth.js';
import { closeServer, TEST_KEY } from '../../../testkit/harness.js';
import { counting } from '../../support/sdk-provider.js';
import { LogCapture } from '../../support/test-gateway.js';
import { fastPathFromTestEnvironment } from '../../support/fast-path-setting.js';
import { boundPort } from '../../../build/free-port.js';

/** Every scope a generated tool needs, as `npm start` computes it. */
export const ALL_TOOL_SCOPES: readonly string[] = [...new Set(tools.flatMap((tool) => tool.definition.scopes))].sort();

/** The generated tools a grant with `granted` scopes may see, sorted by name. */
export function toolsAllowedBy(granted: readonly string[]): string[] {
  return tools
    .filter((tool) => tool.definition.scopes.every((scope) => granted.includes(scope)))
    .map((tool) => tool.definition.name)
    .sort();
}

export interface RealGatewayOptions {
  readonly sandboxUrl: string;
  /** Shared store (Redis for replicas); default: the mount's own memory store. */
  readonly store?: Store;
  /** GATEWAY_PUBLIC_URL; default this gateway's own address. */
  readonly publicUrl?: string;
  /** Extra environment for `loadConfig` / `loadOAuthConfig`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Counts the gateway's Aries token refreshes. */
  readonly counter?: { refreshes: number };
}

export interface RealGateway {
  /** Where this process listens. */
  readonly url: string;
  /** GATEWAY_PUBLIC_URL (issuer and audience). */
  readonly publicUrl: string;
  /** `<publicUrl>/mcp`. */
  readonly mcpUrl: string;
  readonly app: App;
  readonly logs: LogCapture;
  close(): Promise<void>;
}

export async function startRealGateway(options: RealGatewayOptions): Promise<RealGateway> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = boundPort(server);
  const url = `http://127.0.0.1:${port}`;
  const publicUrl = options.publicUrl ?? url;
  const env = {
    LOG_LEVEL: 'info',
    ARIES_API_BASE: options.sandboxUrl,
    GATEWAY_PUBLIC_URL: publicUrl,
    GATEWAY_ENCRYPTION_KEY: TEST_KEY,
    ...fastPathFromTestEnvironment(),
    ...options.env,
  };
  const config = loadConfig(env);
  const oauthConfig = loadOAuthConfig(env, { port, sandboxUrl: options.sandboxUrl });
  const real = createAriesOAuthClient({
    authorizeUrl: oauthConfig.ariesAuthorizeUrl,
    tokenUrl: oauthConfig.ariesTokenUrl,
    bodyFormat: oauthConfig.ariesTokenBodyFormat,
  });
  const aries = options.counter ? counting(options.counter)(real) : real;
  const logs = new LogCapture();
  const app = createApp(config, {
    tools,
    instructions,
    oauth: { config: oauthConfig, scopes: ALL_TOOL_SCOPES, upstreamScopes: oauthScopes, store: options.store, aries },
    logDestination: logs,
  });
  server.on('request', app.listener);
  return {
    url,
    publicUrl,
    mcpUrl: `${publicUrl}/mcp`,
    app,
    logs,
    close: async () => {
      await app.close();
      await closeServer(server);
    },
  };
}
