/**
 * The whole gateway as production wires it (`createApp` with the generated
 * tools and the OAuth proxy), on 127.0.0.1:0, for robustness tests:
 * - `apiBase` puts something (a recording proxy) between the tools and the
 *   sandbox; the OAuth leg talks to the sandbox directly;
 * - every log line is captured; every Aries token the gateway obtains, and
 *   every gateway token the tests obtain, goes into the `SecretLedger`;
 * - `securityHeaders` applies `runtime/http/security-headers.ts` in front of
 *   the app, as the one-line wiring in `app.ts` would.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { instructions, oauthScopes, tools } from '../../../generated/index.js';
import { createApp, type App } from '../../../runtime/app.js';
import { loadOAuthConfig } from '../../../runtime/auth/oauth-config.js';
import { loadConfig, type Config } from '../../../runtime/config.js';
import { securityHeaders } from '../../../runtime/http/security-headers.js';
import type { Store } from '../../../runtime/store/store.js';
import { createAriesOAuthClient, type AriesOAuthClient, type AriesTokenSet } from '../../../runtime/upstream/aries-oauth.js';
import { closeServer, TEST_KEY } from '../../../testkit/harness.js';
import { LogCapture } from '../../support/test-gateway.js';
import type { SecretLedger } from './secret-ledger.js';
import { fastPathFromTestEnvironment } from '../../support/fast-path-setting.js';
import { boundPort } from '../../../build/free-port.js';

/** Every scope a generated tool needs (what `npm start` advertises). */
export const ALL_TOOL_SCOPES: readonly string[] = [...new Set(tools.flatMap((tool) => tool.definition.scopes))].sort();

export interface RobustGatewayOptions {
  /** The sandbox: Aries' OAuth endpoints. */
  readonly sandboxUrl: string;
  /** ARIES_API_BASE for the tools; default the sandbox. */
  readonly apiBase?: string;
  readonly ledger: SecretLedger;
  readonly env?: Readonly<Record<string, string>>;
  readonly store?: Store;
  /** GATEWAY_PUBLIC_URL; default the listening address. */
  readonly publicUrl?: string;
  /** Apply the security-headers middleware in front of the app. */
  readonly securityHeaders?: boolean;
  /** Shared log capture (several gateways in one test). */
  readonly logs?: LogCapture;
}

export interface RobustGateway {
  readonly url: string;
  readonly mcpUrl: string;
  readonly publicUrl: string;
  readonly app: App;
  readonly config: Config;
  readonly logs: LogCapture;
  readonly counter: { refreshes: number };
  close(): Promise<void>;
}

export async function startRobustGateway(options: RobustGatewayOptions): Promise<RobustGateway> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = boundPort(server);
  const url = `http://127.0.0.1:${port}`;
  const publicUrl = options.publicUrl ?? url;
  const env = {
    LOG_LEVEL: 'debug',
    ARIES_API_BASE: options.apiBase ?? options.sandboxUrl,
    GATEWAY_PUBLIC_URL: publicUrl,
    GATEWAY_ENCRYPTION_KEY: TEST_KEY,
    ...fastPathFromTestEnvironment(),
    ...options.env,
  };
  const config = loadConfig(env);
  const oauthConfig = loadOAuthConfig(env, { port, sandboxUrl: options.sandboxUrl });
  const counter = { refreshes: 0 };
  const aries = recordingAries(
    createAriesOAuthClient({ authorizeUrl: oauthConfig.ariesAuthorizeUrl, tokenUrl: oauthConfig.ariesTokenUrl, bodyFormat: oauthConfig.ariesTokenBodyFormat }),
    options.ledger,
    counter,
  );
  const logs = options.logs ?? new LogCapture();
  const app = createApp(config, {
    tools,
    instructions,
    oauth: { config: oauthConfig, scopes: ALL_TOOL_SCOPES, upstreamScopes: oauthScopes, store: options.store, aries },
    logDestination: logs,
  });
  const headers = securityHeaders({ publicUrl });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (options.securityHeaders === true) headers(req, res, () => app.listener(req, res));
    else app.listener(req, res);
  });
  return {
    url,
    mcpUrl: `${url}/mcp`,
    publicUrl,
    app,
    config,
    logs,
    counter,
    close: async () => {
      await app.close();
      await closeServer(server);
    },
  };
}

/** The real Aries OAuth client, with every token it obtains remembered as a secret and its refreshes counted. */
function recordingAries(real: AriesOAuthClient, ledger: SecretLedger, counter: { refreshes: number }): AriesOAuthClient {
  const remember = (tokens: AriesTokenSet): AriesTokenSet => {
    ledger.remember('Aries access token', tokens.accessToken);
    ledger.remember('Aries refresh token', tokens.refreshToken);
    return tokens;
  };
  return {
    authorizationUrl: (params) => real.authorizationUrl(params),
    exchangeCode: async (credentials, params) => remember(await real.exchangeCode(credentials, params)),
    refresh: async (credentials, refreshToken) => {
      counter.refreshes += 1;
      return remember(await real.refresh(credentials, refreshToken));
    },
  };
}
