/**
 * The measured deployment, one process per role as in production, all on
 * 127.0.0.1:
 * - a sandbox child (`entries/sandbox-process.ts`) standing in for Aries;
 * - a gateway child (`entries/gateway-process.ts`, under `node --import
 *   tsx` like `npm start`) with the real OAuth proxy and memory store;
 * - a bare pass-through proxy child (`entries/proxy-process.ts`) in front
 *   of the same sandbox: the floor any extra hop costs (reference rows);
 * - the benchmark process as the only client.
 * The client signs in through the gateway's OAuth proxy (so every call pays
 * the real bearer path: token hash lookup, grant load, sealed Aries token
 * opened), and separately gets an Aries token from the sandbox for the
 * direct calls. `idle` is the gateway's memory after start-up, sign-in and
 * one `tools/list`, before any tool call.
 */
import { tools } from '../generated/index.js';
import { SandboxGrant } from '../testkit/sandbox-grant-resolver.js';
import { readProcMemory, spawnNode, TSX_IMPORT, type Child, type ProcMemory } from './child-process.js';
import { LoadClient } from './load-client.js';
import { mcpResult, toolsList } from './mcp-requests.js';
import { signInThroughGateway } from './oauth-sign-in.js';

/** Every scope a generated Aries tool needs (what `npm start` advertises). */
export const ARIES_SCOPES: readonly string[] = [...new Set(tools.flatMap((tool) => tool.definition.scopes))].sort();

export interface SandboxDemoUser {
  readonly email: string;
  readonly password: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

export interface Stack {
  readonly sandbox: Child;
  readonly sandboxUrl: string;
  /** Aries access token for direct sandbox calls. */
  readonly ariesToken: string;
  readonly gateway: Child;
  /** The bare pass-through proxy in front of the sandbox (reference for "one more hop"). */
  readonly proxy: Child;
  readonly proxyUrl: string;
  readonly mcpUrl: string;
  /** The gateway's own access token (`agw_at_...`). */
  readonly mcpToken: string;
  /** Gateway memory after start-up, sign-in and one tools/list. */
  readonly idle: ProcMemory;
  /** The first full-scope tools/list answer body. */
  readonly toolsListBody: string;
  close(): Promise<void>;
}

export async function startSandboxChild(): Promise<{ child: Child; url: string; demo: SandboxDemoUser }> {
  const child = await spawnNode([...TSX_IMPORT, 'bench/entries/sandbox-process.ts']);
  const demo = child.ready['demo'];
  if (!isSandboxDemoUser(demo)) throw new Error('the sandbox child did not report its demo user (email, password, clientId, clientSecret, redirectUris)');
  return { child, url: String(child.ready['url']), demo };
}

function isSandboxDemoUser(value: unknown): value is SandboxDemoUser {
  if (typeof value !== 'object' || value === null) return false;
  const fields: Record<string, unknown> = { ...value };
  const strings = ['email', 'password', 'clientId', 'clientSecret'].every((name) => typeof fields[name] === 'string');
  return strings && Array.isArray(fields['redirectUris']) && fields['redirectUris'].every((uri) => typeof uri === 'string');
}

/** An Aries token for `demo` straight from the sandbox (no gateway involved). */
export async function ariesTokenFor(sandboxUrl: string, demo: SandboxDemoUser): Promise<string> {
  const grant = await SandboxGrant.create({
    sandboxUrl,
    clientId: demo.clientId,
    clientSecret: demo.clientSecret,
    email: demo.email,
    password: demo.password,
    redirectUri: demo.redirectUris[0],
    scopes: ARIES_SCOPES,
  });
  return grant.accessToken();
}

export async function startStack(): Promise<Stack> {
  const sandbox = await startSandboxChild();
  const ariesToken = await ariesTokenFor(sandbox.url, sandbox.demo);
  const gateway = await spawnNode(
    ['--expose-gc', ...(process.env.BENCH_GATEWAY_FLAGS?.split(' ').filter(Boolean) ?? []), ...TSX_IMPORT, 'bench/entries/gateway-process.ts'],
    {
      env: { BENCH_ARIES_URL: sandbox.url, BENCH_GRANT: 'oauth', LOG_LEVEL: 'info' },
      ipc: true,
    },
  );
  const gatewayUrl = String(gateway.ready['url']);
  const proxy = await spawnNode([...TSX_IMPORT, 'bench/entries/proxy-process.ts'], { env: { BENCH_ARIES_URL: sandbox.url } });
  const mcpToken = await signInThroughGateway({
    gatewayUrl,
    sandboxUrl: sandbox.url,
    email: sandbox.demo.email,
    password: sandbox.demo.password,
    scopes: ARIES_SCOPES,
  });
  const mcpUrl = `${gatewayUrl}/mcp`;
  const client = new LoadClient(1);
  const listed = await client.send(toolsList(mcpUrl, mcpToken));
  client.close();
  if (!Array.isArray(mcpResult(listed)?.['tools'])) throw new Error(`tools/list through the gateway failed: HTTP ${listed.status}`);
  return {
    sandbox: sandbox.child,
    sandboxUrl: sandbox.url,
    ariesToken,
    gateway,
    proxy,
    proxyUrl: String(proxy.ready['url']),
    mcpUrl,
    mcpToken,
    idle: readProcMemory(gateway.pid),
    toolsListBody: listed.body,
    close: async () => {
      await gateway.stop();
      await proxy.stop();
      await sandbox.child.stop();
    },
  };
}
