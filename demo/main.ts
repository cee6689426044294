/**
 * The demo entry (`npm start` with no ARIES_* set): the embedded sandbox and
 * the gateway in front of it, in one process, on loopback.
 *
 * It owns the demo defaults: the sandbox's URLs, the public URL
 * `http://127.0.0.1:<PORT>` and a random encryption key
 * (`runtime/settings/sandbox-defaults.ts`) fill in unset settings and pass
 * the same parser as configured values. The sandbox registers a demo OAuth
 * client whose redirect URI is the gateway's callback at that public URL,
 * and the banner prints its Client ID and the demo sign-in.
 *
 * Production never loads this file: `runtime/production-main.ts` is the
 * other entry, and the build bundles them apart (`build/build.ts`).
 */
import { createSandbox } from '../sandbox/app.js';
import { loadSettings, readEnvironment, settingReader } from '../runtime/config.js';
import { fail, listenError, runEntry, serveGateway } from '../runtime/serve-gateway.js';
import { sandboxDefaults } from '../runtime/settings/sandbox-defaults.js';
import { SETTINGS } from '../runtime/settings/settings.js';

runEntry(async () => {
  const env = readEnvironment();
  // 1. Where the gateway will be (PORT, GATEWAY_PUBLIC_URL): the sandbox's demo client redirects there.
  const port = settingReader(env, {})(SETTINGS.port);
  const before = loadSettings(env, { defaults: sandboxDefaults(env, { port }).defaults });
  const sandbox = createSandbox({
    demoRedirectUris: [`${before.publicUrl}/auth/callback`],
    demoEmail: before.sandboxDemoEmail,
    demoPassword: before.sandboxDemoPassword,
  });
  const listening = await sandbox
    .listen(before.sandboxPort, '127.0.0.1')
    .catch((error: NodeJS.ErrnoException) => fail(listenError(error, 'the embedded sandbox', before.sandboxPort, 'SANDBOX_PORT')));

  // 2. The settings with the sandbox as Aries.
  const local = sandboxDefaults(env, { port, sandboxUrl: listening.url });
  const settings = loadSettings(env, { defaults: local.defaults });
  await serveGateway({
    settings,
    warnings: local.warnings,
    mode: 'sandbox',
    sandbox: { clientId: sandbox.demo.clientId, email: sandbox.demo.email, password: sandbox.demo.password, clientCenter: `${listening.url}/client-center` },
    closeAlso: () => listening.close(),
  });
});
