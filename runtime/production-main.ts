/**
 * The production entry: the gateway in front of real Aries. Every setting
 * the table marks required for production (the three ARIES_* URLs,
 * GATEWAY_PUBLIC_URL, GATEWAY_ENCRYPTION_KEY) must come from the
 * environment; nothing is filled in. It never imports the sandbox, so the
 * production bundle (`npm run build`: `dist/bundle/main.cjs`) does not
 * contain it (checked by `test/build/production-bundle.test.ts`).
 */
import { loadSettings, readEnvironment } from './config.js';
import { runEntry, serveGateway } from './serve-gateway.js';

runEntry(async () => {
  const settings = loadSettings(readEnvironment(), { production: true });
  await serveGateway({ settings, warnings: [], mode: 'aries' });
});
