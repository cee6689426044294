/**
 * `npm start` (`tsx runtime/main.ts`): runs the entry the settings select
 * (`start-up.ts` `entryFor`): the demo on the embedded sandbox when no
 * ARIES_* is set (`demo/main.ts`), else the production entry
 * (`production-main.ts`). Each is imported only when chosen. The built
 * start file makes the same choice between two bundles
 * (`build/launcher.ts`), so `npm run serve` behaves the same.
 */
import { readEnvironment } from './config.js';
import { entryFor } from './start-up.js';

if (entryFor(readEnvironment()) === 'demo') await import('../demo/main.js');
else await import('./production-main.js');
