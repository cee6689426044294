/**
 * Starts the gateway: configuration, listen, graceful shutdown.
 *
 * Until the OAuth proxy lands there is no way for MCP clients to sign in, so
 * this entry point serves one developer's Aries token to loopback callers
 * only: set ARIES_DEV_ACCESS_TOKEN (and ARIES_DEV_SCOPES, space-separated).
 * The OAuth issue replaces this with the real `GrantResolver`.
 */
import { createServer } from 'node:http';
import { tools } from '../generated/index.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import type { GrantResolver } from './mcp/grant.js';

function developerGrants(env: NodeJS.ProcessEnv): GrantResolver {
  const token = env['ARIES_DEV_ACCESS_TOKEN']?.trim();
  if (token === undefined || token === '') {
    throw new ConfigError('ARIES_DEV_ACCESS_TOKEN is required until the OAuth proxy lands: an Aries access token to serve to loopback MCP clients');
  }
  const scopes = (env['ARIES_DEV_SCOPES'] ?? '').split(' ').filter((scope) => scope !== '');
  const grant = { grantId: 'developer', scopes, accessToken: async () => token, refreshAccessToken: async () => token };
  return { resolve: async () => grant };
}

try {
  const config = loadConfig(process.env);
  const app = createApp(config, { tools, grants: developerGrants(process.env) });
  const server = createServer(app.express);
  server.listen(config.port, '127.0.0.1', () => {
    app.log.info({ url: `http://127.0.0.1:${config.port}/mcp` }, 'Aries MCP gateway listening (developer token mode, loopback only)');
  });
  const stop = (): void => {
    app.log.info('shutting down');
    void app.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
