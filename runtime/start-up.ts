/**
 * Which entry a start runs, and what it prints once everything listens.
 * - all ARIES_* unset: the demo (`demo/main.ts`): the embedded sandbox (a
 *   local Aries on loopback with a demo user and a demo OAuth client) and
 *   the gateway in front of it;
 * - any ARIES_* set: the production entry (`production-main.ts`), which
 *   refuses to start unless all of them (and its other required settings)
 *   are set: some set is a configuration error, not a silent fallback.
 * Tiny on purpose: the built start file (`build/launcher.ts`) asks it which
 * bundle to run before loading either.
 */
import { present, type Env } from './settings/config-error.js';

/** The three settings that point the gateway at real Aries. */
export const ARIES_SETTINGS = ['ARIES_API_BASE', 'ARIES_AUTHORIZE_URL', 'ARIES_TOKEN_URL'] as const;

export type EntryKind = 'production' | 'demo';

export function entryFor(env: Env): EntryKind {
  return ARIES_SETTINGS.some((name) => present(env, name) !== undefined) ? 'production' : 'demo';
}

export interface SandboxBannerInfo {
  readonly clientId: string;
  readonly email: string;
  readonly password: string;
  readonly clientCenter: string;
}

/** What a start prints once everything listens: where to point an MCP client and how to sign in. */
export function startBanner(info: { readonly mcpUrl: string; readonly sandbox?: SandboxBannerInfo }): string {
  const lines = ['', `Aries MCP gateway ready: ${info.mcpUrl}`];
  const sandbox = info.sandbox;
  if (sandbox !== undefined) {
    lines.push(
      '  Running on the embedded sandbox (a local Aries; no real account or money).',
      `  Client ID       ${sandbox.clientId}`,
      `  Sign in with    ${sandbox.email} / ${sandbox.password}`,
      `  Client Center   ${sandbox.clientCenter}`,
      '',
      '  Connect Claude Code:',
      `    claude mcp add --transport http --client-id ${sandbox.clientId} aries-sandbox ${info.mcpUrl}`,
      '    then run /mcp inside Claude Code and choose "Authenticate".',
      '  Connect the MCP Inspector:',
      `    npx @modelcontextprotocol/inspector   (Transport: Streamable HTTP, URL ${info.mcpUrl},`,
      `    OAuth Client ID ${sandbox.clientId}, then "Connect")`,
    );
  } else {
    lines.push(
      '  Serving real Aries. Customers create an OAuth client in Client Center with redirect URI',
      `  ${info.mcpUrl.replace(/\/mcp$/, '')}/auth/callback and enter its Client ID in their MCP client.`,
    );
  }
  return `${lines.join('\n')}\n\n`;
}
