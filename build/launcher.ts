/**
 * The start file of a build (`dist/main.cjs`): runs the bundle the settings
 * select (`runtime/start-up.ts` `entryFor`, the rule `npm start` follows):
 * the production bundle (`dist/bundle/main.cjs`) with the V8 code cache in
 * `dist/.code-cache` (`code-cache.ts`), or, when the build has one and no
 * ARIES_* is set, the demo bundle without a cache (its start time is not a
 * production concern, and it leaves the production cache alone). The build
 * fills in `GATEWAY_BUNDLES`; this file is bundled to CommonJS, so
 * `__dirname` is the folder of the start file. It reads GATEWAY_CODE_CACHE
 * and ARIES_* itself: the settings parser is inside the bundles.
 */
import { join } from 'node:path';
import { entryFor } from '../runtime/start-up.js';
import { cacheDirFor, runWithCodeCache } from './code-cache.js';

interface BundleRef {
  readonly file: string;
  readonly hash: string;
}

declare const GATEWAY_BUNDLES: { readonly production: BundleRef; readonly demo: BundleRef | undefined };

const demo = GATEWAY_BUNDLES.demo;
if (demo !== undefined && entryFor(process.env) === 'demo') {
  runWithCodeCache({ bundleFile: join(__dirname, demo.file), bundleHash: demo.hash, cacheDir: undefined });
} else {
  runWithCodeCache({
    bundleFile: join(__dirname, GATEWAY_BUNDLES.production.file),
    bundleHash: GATEWAY_BUNDLES.production.hash,
    cacheDir: cacheDirFor(process.env, join(__dirname, '.code-cache')),
  });
}
