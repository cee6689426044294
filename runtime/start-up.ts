/**
 * Decides how the gateway runs from the environment:
 * - no ARIES_* settings: on the embedded sandbox (a local Aries on loopback,
 *   with a demo user and a demo OAuth client whose redirect URI is this
 *   gateway's callback);
 * - ARIES_API_BASE, ARIES_AUTHORIZE_URL and ARIES_TOKEN_URL all set: real Aries.
 * Setting only some of them is a configuration error, not a silent fallback.
 */
import { ConfigError } from './config.js';

export const ARIES_SETTINGS = ['ARIES_API_BASE', 'ARIES_AUTHORIZE_URL', 'ARIES_TOKEN_URL'] as const;

export type StartMode = { readonly kind: 'sandbox'; readonly sandboxPort: number } | { readonly kind: 'aries' };

export function startMode(env: Readonly<Record<string, string | undefined>>): StartMode {
  const present = ARIES_SETTINGS.filter((name) => (env[name] ?? '').trim() !== '');
  if (present.length === ARIES_SETTINGS.length) return { kind: 'aries' };
  if (present.length > 0) {
    const missing = ARIES_SETTINGS.filter((name) => !present.includes(name));
    throw new ConfigError(
      `${present.join(' and ')} ${present.length === 1 ? 'is' : 'are'} set but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not: set all of ${ARIES_SETTINGS.join(', ')} to serve real Aries, or none to run on the embedded sandbox`,
    );
  }
  const raw = (env.SANDBOX_PORT ?? '').trim();
  const sandboxPort = raw === '' ? 4010 : Number(raw);
  if (!/^\d+$/.test(raw || '4010') || sandboxPort > 65535) throw new ConfigError(`SANDBOX_PORT must be a port number from 0 to 65535; got ${JSON.stringify(raw)}`);
  return { kind: 'sandbox', sandboxPort };
}

/** What `npm start` prints once everything listens: where to point an MCP client and how to sign in. */
export function startBanner(info: { mcpUrl: string; mode: StartMode; clientId?: string; email?: string; password?: string; clientCenter?: string }): string {
  const lines = ['', `Aries MCP gateway ready: ${info.mcpUrl}`];
  if (info.mode.kind === 'sandbox') {
    lines.push(
      '  Running on the embedded sandbox (a local Aries; no real account or money).',
      `  Client ID       ${info.clientId}`,
      `  Sign in with    ${info.email} / ${info.password}`,
      `  Client Center   ${info.clientCenter}`,
      '',
      '  Connect Claude Code:',
      `    claude mcp add --transport http --client-id ${info.clientId} aries-sandbox ${info.mcpUrl}`,
      '    then run /mcp inside Claude Code and choose "Authenticate".',
      '  Connect the MCP Inspector:',
      `    npx @modelcontextprotocol/inspector   (Transport: Streamable HTTP, URL ${info.mcpUrl},`,
      `    OAuth Client ID ${info.clientId}, then "Connect")`,
    );
  } else {
    lines.push('  Serving real Aries. Customers create an OAuth client in Client Center with redirect URI', `  ${info.mcpUrl.replace(/\/mcp$/, '')}/auth/callback and enter its Client ID in their MCP client.`);
  }
  return `${lines.join('\n')}\n\n`;
}
