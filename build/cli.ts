/**
 * `npm run build [-- --out DIR] [-- --no-prime]`: the precompiled start path
 * (`build.ts`). Prints what it wrote; exit code 1 when bundling fails or the
 * built gateway does not start.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildGateway } from './build.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-prime': { type: 'boolean', default: false } } });

try {
  const started = performance.now();
  const built = await buildGateway({ outDir: values.out, prime: !values['no-prime'] });
  const show = (file: string) => {
    const near = relative(process.cwd(), file);
    return near === '' ? '.' : near.startsWith('..') ? file : near;
  };
  for (const warning of built.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(
    [
      `built ${show(built.outDir)}/ in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      `  start file   ${show(built.startFile)}   (npm run serve, or: node ${show(built.startFile)})`,
      `  bundle       ${show(built.bundleFile)}   ${(built.bundleBytes / 2 ** 20).toFixed(1)} MiB, sha256 ${built.bundleHash}   (production entry)`,
      `  demo bundle  ${show(built.demo.bundleFile)}   ${(built.demo.bundleBytes / 2 ** 20).toFixed(1)} MiB   (npm start's demo: embedded sandbox + gateway, when no ARIES_* is set)`,
      `  code cache   ${built.codeCache === undefined ? 'not primed (--no-prime): the first start writes it' : show(built.codeCache)}`,
      '',
    ].join('\n'),
  );
} catch (error) {
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
