/**
 * Finding 5 (issue 12): Aries error text at /token is redacted and bounded
 * before it reaches `detail` and the logs.
 *
 * A fake Aries token endpoint answers every code exchange with an error whose
 * `error_description` echoes the whole request (client secret, Aries code,
 * PKCE verifier) plus a bearer token and a long tail. The sign-in itself runs
 * against the real sandbox; only the token call goes to the fake. Neither the
 * refusal line (4xx) nor the failure line (5xx, which logs the cause) may
 * carry any of those values, and the quoted text is capped.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../runtime/log.js';
import { createAriesOAuthClient } from '../../../runtime/upstream/aries-oauth.js';
import { LogCapture } from '../../support/test-gateway.js';
import {
  authorizeThroughGateway,
  closeServer,
  createAriesClient,
  exchangeCode,
  startGateway,
  startSandbox,
  type RunningGateway,
  type RunningSandbox,
} from '../../../testkit/harness.js';
import { boundPort } from '../../../build/free-port.js';
import { parseJsonObject } from '../../../testkit/json-body.js';

const CLIENT_SECRET = 'client-secret-echoed-by-aries-0123456789';
const LEAKED_BEARER = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

/** Answers with `status` and an `error_description` that quotes the request body verbatim. */
function startEchoingTokenEndpoint(status: number, error: string) {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push(parseJsonObject(body));
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error, error_description: `could not process ${body} (sent with ${LEAKED_BEARER}) ${'x'.repeat(5000)}` }));
    });
  });
  return {
    received,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${boundPort(server)}/v1/oauth2/token`))),
    close: () => closeServer(server),
  };
}

describe.each([
  ['a refusal (HTTP 400 invalid_grant)', 400, 'invalid_grant', 400],
  ['a failure (HTTP 500 server_error)', 500, 'server_error', 502],
] as const)('Aries error text at /token: %s', (_name, ariesStatus, ariesError, gatewayStatus) => {
  let sandbox: RunningSandbox;
  let gateway: RunningGateway;
  const logs = new LogCapture();
  const fake = startEchoingTokenEndpoint(ariesStatus, ariesError);
  let clientId: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    const tokenUrl = await fake.listen();
    gateway = await startGateway({
      sandboxUrl: sandbox.url,
      log: createLogger({ level: 'info', destination: logs }),
      wrapAries: (real) => ({ ...real, exchangeCode: createAriesOAuthClient({ authorizeUrl: `${sandbox.url}/oauth2/authorize`, tokenUrl }).exchangeCode }),
    });
    ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`] }));
  });
  afterAll(async () => {
    await gateway?.close();
    await fake.close();
    await sandbox?.close();
  });

  it('keeps the client secret, the codes, the verifier and tokens out of the log, and caps the text', async () => {
    const back = await authorizeThroughGateway(gateway.url, { clientId }, sandbox.sandbox.demo);
    const code = back.searchParams.get('code')!;
    const res = await exchangeCode(gateway.url, code, clientId, { client_secret: CLIENT_SECRET });
    expect(res.status).toBe(gatewayStatus);

    // What the gateway sent to Aries, which Aries echoed.
    const sent = fake.received.at(-1)!;
    const secrets = [CLIENT_SECRET, String(sent['code']), String(sent['code_verifier']), code, LEAKED_BEARER.slice(7)];
    expect(sent['client_secret']).toBe(CLIENT_SECRET);
    for (const secret of secrets) expect(secret.length).toBeGreaterThan(8);

    const line = logs.entries.find((entry) => entry['msg'] === (ariesStatus >= 500 ? 'token request failed' : 'token request refused'));
    expect(line).toBeDefined();
    const detail = String(line!['detail']);
    expect(detail).toMatch(new RegExp(`^Aries ${ariesError} \\(HTTP ${ariesStatus}\\): could not process`));
    expect(detail).toContain('[redacted]');
    expect(detail.length).toBeLessThan(600);
    for (const secret of secrets) expect(logs.text).not.toContain(secret);
    expect(logs.text.length).toBeLessThan(8_000);
  });
});
