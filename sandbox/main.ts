/**
 * `npm run sandbox`: runs the local Aries alone. Reads the environment,
 * listens (127.0.0.1 by default), prints where everything is and the demo
 * credentials, and stops cleanly on SIGINT/SIGTERM. Start-up failures (port
 * in use, spec missing) are one readable line and exit code 1.
 *
 * Environment: SANDBOX_PORT (4010), SANDBOX_HOST (127.0.0.1), SANDBOX_DEMO_EMAIL,
 * SANDBOX_DEMO_PASSWORD, SANDBOX_DEMO_CLIENT_ID, SANDBOX_DEMO_CLIENT_SECRET,
 * SANDBOX_PUBLIC_URL, SANDBOX_TICK_MS (1000; 0 = no clock), SANDBOX_SEED, LOG_LEVEL (info).
 */
import pino from 'pino';
import { createSandbox, DEFAULT_SANDBOX_PORT } from './app.js';

const env = process.env;
const port = env.SANDBOX_PORT ? Number(env.SANDBOX_PORT) : DEFAULT_SANDBOX_PORT;
const host = env.SANDBOX_HOST ?? '127.0.0.1';

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n`);
  process.exit(1);
}

if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`SANDBOX_PORT must be a port number, got "${env.SANDBOX_PORT}"`);

const sandbox = createSandbox({
  demoEmail: env.SANDBOX_DEMO_EMAIL,
  demoPassword: env.SANDBOX_DEMO_PASSWORD,
  demoClientId: env.SANDBOX_DEMO_CLIENT_ID,
  demoClientSecret: env.SANDBOX_DEMO_CLIENT_SECRET,
  publicUrl: env.SANDBOX_PUBLIC_URL,
  tickIntervalMs: env.SANDBOX_TICK_MS ? Number(env.SANDBOX_TICK_MS) : undefined,
  seed: env.SANDBOX_SEED,
  logger: pino({ level: env.LOG_LEVEL ?? 'info', redact: ['req.headers.authorization', '*.client_secret', '*.password'] }),
});

let server;
try {
  server = await sandbox.listen(port, host);
} catch (error) {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = 'code' in err ? err.code : undefined;
  if (code === 'EADDRINUSE') fail(`port ${port} on ${host} is already in use; stop the other process or set SANDBOX_PORT`);
  if (code === 'EACCES') fail(`not allowed to listen on ${host}:${port}; choose another SANDBOX_PORT`);
  if (code === 'ENOENT') fail(`cannot read the OpenAPI document ${sandbox.config.specPath}`);
  fail(err.message);
}

const base = sandbox.config.publicUrl ?? server.url;
const { demo } = sandbox;
const signIn = new URL('/oauth2/authorize', base);
signIn.search = new URLSearchParams({
  response_type: 'code',
  client_id: demo.clientId,
  redirect_uri: demo.redirectUris[0] ?? '',
  scope: demo.scopes.join(' '),
  state: 'demo',
}).toString();

process.stdout.write(
  [
    '',
    `Aries sandbox listening on ${server.url}${base !== server.url ? ` (public URL ${base})` : ''}`,
    `  Client Center   ${base}/client-center`,
    `  Demo sign-in    ${demo.email} / ${demo.password}  (account ${demo.accountId})`,
    `  Demo Client ID  ${demo.clientId}`,
    `  Client Secret   ${demo.clientSecret}`,
    `  Redirect URIs   ${demo.redirectUris.join(', ')}`,
    `  Sign-in URL     ${signIn.toString()}`,
    `  Token endpoint  POST ${base}/v1/oauth2/token   API base ${base}`,
    '',
  ].join('\n') + '\n',
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
