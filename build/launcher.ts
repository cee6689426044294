/**
 * The start file of a build (`dist/main.cjs`): runs the bundle next to it
 * (`dist/bundle/main.cjs`) with the V8 code cache in `dist/.code-cache`
 * (`code-cache.ts`). The build fills in `GATEWAY_BUNDLE`; this file is bundled
 * to CommonJS, so `__dirname` is the folder of the start file.
 */
import { join } from 'node:path';
import { cacheDirFor, runWithCodeCache } from './code-cache.js';

declare const GATEWAY_BUNDLE: { readonly file: string; readonly hash: string };

runWithCodeCache({
  bundleFile: join(__dirname, GATEWAY_BUNDLE.file),
  bundleHash: GATEWAY_BUNDLE.hash,
  cacheDir: cacheDirFor(process.env, join(__dirname, '.code-cache')),
});
