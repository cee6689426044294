/**
 * `npm run build` bundles the two entries apart (issue 16 item 3): the
 * production bundle the start file runs for real Aries holds no sandbox or
 * demo module, the demo bundle holds both. Read from esbuild's metafile of
 * the real build (unprimed, into a temporary folder), and confirmed on the
 * bundle's text by a string only the sandbox contains.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../build/build.js';

const outDir = mkdtempSync(join(tmpdir(), 'aries-gateway-bundles-'));
let built: BuiltGateway;

beforeAll(async () => {
  built = await buildGateway({ outDir, prime: false });
}, 120_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

/** Source modules of ours (not npm packages) under `folder`. */
const ours = (modules: readonly string[], folder: string) => modules.filter((module) => module.startsWith(`${folder}/`));
/** Text only the sandbox's code has: its Client Center page route. */
const SANDBOX_ONLY = '/client-center';

describe('npm run build', () => {
  it('the production bundle has no sandbox or demo module, and the runtime and generated tools are in it', () => {
    expect(ours(built.modules, 'sandbox')).toEqual([]);
    expect(ours(built.modules, 'demo')).toEqual([]);
    expect(built.modules).toContain('runtime/production-main.ts');
    expect(ours(built.modules, 'generated').length).toBeGreaterThan(10);
    expect(readFileSync(built.bundleFile, 'utf8')).not.toContain(SANDBOX_ONLY);
  });

  it('the demo bundle has the sandbox and the demo entry (so the check above can fail)', () => {
    expect(built.demo.modules).toContain('sandbox/app.ts');
    expect(built.demo.modules).toContain('demo/main.ts');
    expect(readFileSync(built.demo.bundleFile, 'utf8')).toContain(SANDBOX_ONLY);
  });

  it('the production bundle is smaller than the demo bundle by at least the sandbox', () => {
    expect(built.bundleBytes).toBeLessThan(built.demo.bundleBytes);
  });
});
