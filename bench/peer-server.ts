/**
 * The comparison servers of the overhead section, on the same sandbox and
 * the same operation (`GET /v1/stocks/last-quote`) as the gateway:
 * - the SDK-only reference (`entries/sdk-reference-process.ts`), always;
 * - the peer proxy `@ivotoby/openapi-mcp-server`, only with `--peer`: it is
 *   installed then with `npm install --no-save --no-package-lock --prefix
 *   bench/.tmp/peer` (never into the project), fed the Aries spec as JSON and
 *   a static `Authorization` header, and limited to `getLastQuote`.
 * Both are driven by the SDK v2 client, like the gateway's client row.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TMP_DIR } from './bundle.js';
import { freePort, ROOT, spawnNode, TSX_IMPORT, type Child } from './child-process.js';

export const PEER_PACKAGE = '@ivotoby/openapi-mcp-server@^1';
/** The peer's name for getLastQuote (its names are the path abbreviated, kebab-case). */
export const PEER_TOOL = 'get-last-quote';
const PEER_DIR = join(TMP_DIR, 'peer');

export interface ComparisonServer {
  readonly child: Child;
  readonly mcpUrl: string;
}

export async function startSdkReference(sandboxUrl: string, ariesToken: string): Promise<ComparisonServer> {
  const child = await spawnNode([...TSX_IMPORT, 'bench/entries/sdk-reference-process.ts'], {
    env: { BENCH_ARIES_URL: sandboxUrl, BENCH_ARIES_TOKEN: ariesToken },
  });
  return { child, mcpUrl: String(child.ready['url']) };
}

/** Installs the peer into `bench/.tmp/peer` (once) and returns its CLI entry. */
function installPeer(): string {
  const bin = join(PEER_DIR, 'node_modules', '@ivotoby', 'openapi-mcp-server', 'bin', 'mcp-server.js');
  if (existsSync(bin)) return bin;
  mkdirSync(PEER_DIR, { recursive: true });
  execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', PEER_DIR, PEER_PACKAGE], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  if (!existsSync(bin)) throw new Error(`npm install ${PEER_PACKAGE} did not provide ${bin}`);
  return bin;
}

export async function startPeer(sandboxUrl: string, ariesToken: string): Promise<ComparisonServer> {
  const bin = installPeer();
  const spec = join(PEER_DIR, 'aries.openapi.json');
  writeFileSync(spec, JSON.stringify(parse(readFileSync(join(ROOT, 'spec', 'aries.openapi.yaml'), 'utf8'))));
  const port = await freePort();
  const args = [
    '--transport',
    'http',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--path',
    '/mcp',
    '--api-base-url',
    sandboxUrl,
    '--openapi-spec',
    spec,
    '--headers',
    `Authorization:Bearer ${ariesToken}`,
    '--tools',
    'explicit',
    '--tool',
    PEER_TOOL,
  ];
  const child = await spawnNode([...TSX_IMPORT, 'bench/entries/peer-process.ts'], {
    env: { PEER_BIN: bin, PEER_PORT: String(port), PEER_ARGS: JSON.stringify(args) },
  });
  return { child, mcpUrl: String(child.ready['url']) };
}
