/**
 * GATEWAY_ENCRYPTION_KEY rotation at the gateway level: grants sealed with an
 * old key keep working while it is listed after the new one; once it is
 * removed, the grant cannot be opened and the caller must re-authorize.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GrantRevokedError } from '../../../runtime/mcp/grant.js';
import { MemoryStore } from '../../../runtime/store/memory-store.js';
import {
  authorizeThroughGateway,
  callMcp,
  requestWithBearer,
  createAriesClient,
  exchangeCode,
  startGateway,
  startSandbox,
  type RunningSandbox,
} from '../../../testkit/harness.js';

const OLD = Buffer.alloc(32, 11).toString('base64');
const NEW = Buffer.alloc(32, 12).toString('hex');
let sandbox: RunningSandbox;
const store = new MemoryStore();

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await store.close();
  await sandbox?.close();
});

it('old grants open after rotation, and stop working once the old key is dropped', async () => {
  const before = await startGateway({ sandboxUrl: sandbox.url, store, env: { GATEWAY_ENCRYPTION_KEY: OLD } });
  const publicUrl = before.publicUrl;
  const { clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${publicUrl}/auth/callback`] });
  const back = await authorizeThroughGateway(before.url, { clientId }, sandbox.sandbox.demo);
  const accessToken = String((await exchangeCode(before.url, back.searchParams.get('code')!, clientId)).body['access_token']);
  await before.close();

  const rotated = await startGateway({ sandboxUrl: sandbox.url, store, publicUrl, env: { GATEWAY_ENCRYPTION_KEY: `${NEW},${OLD}` } });
  try {
    expect((await callMcp(rotated.url, accessToken)).body['upstreamStatus']).toBe(200);
  } finally {
    await rotated.close();
  }

  const dropped = await startGateway({ sandboxUrl: sandbox.url, store, publicUrl, env: { GATEWAY_ENCRYPTION_KEY: NEW } });
  try {
    const grant = await dropped.oauth.grantResolver.resolve(requestWithBearer(accessToken));
    await expect(grant!.accessToken()).rejects.toBeInstanceOf(GrantRevokedError);
    expect((await callMcp(dropped.url, accessToken)).status).toBe(401);
  } finally {
    await dropped.close();
  }
});
