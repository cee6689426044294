/**
 * The admin API for scripts and tests (`/admin/*`). It answers only when the
 * TCP peer is a loopback address; anyone else gets the same 404 as an
 * unknown path. Routes:
 * - POST /admin/clients {name, redirect_uris, scopes, public?} -> 201 {client_id, client_secret}
 * - GET  /admin/clients, POST /admin/clients/:id/deactivate
 * - POST /admin/users {email, password, mfa?} -> 201 {user_id, account_id}
 * - GET  /admin/market, POST /admin/market/prices {"MSFT": "395.00"}, POST /admin/market/tick {count?}
 * - GET  /admin/orders?account_id= (every order ever placed, SUPERSEDED included)
 * - POST /admin/faults {...}, DELETE /admin/faults
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { toOrderView } from '../api/order-views.js';
import { UNIVERSE } from '../market/universe.js';
import { ClientRegistrationError } from '../state/clients.js';
import { parseDecimal } from '../state/money.js';
import { enrollUser, type SandboxState } from '../state/sandbox-state.js';
import { SANDBOX_MFA_CODE, UserDirectoryError } from '../state/users.js';
import { readFaultPlan } from './read-fault-plan.js';
import { isJsonObject } from '../json-object.js';

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\./.test(address));
}

export function createAdminRouter(state: SandboxState): Router {
  const router = express.Router();
  const admin = express.Router();
  router.use(
    '/admin',
    (req: Request, res: Response, next: NextFunction) => {
      if (isLoopback(req.socket.remoteAddress)) next();
      else res.status(404).json({ error: 'not_found', message: `No operation at ${req.method} ${req.originalUrl.split('?')[0]}` });
    },
    express.json({ limit: '64kb' }),
    admin,
  );
  const body = (req: Request): Record<string, unknown> => (isJsonObject(req.body) ? req.body : {});
  const bad = (res: Response, message: string) => res.status(400).json({ error: 'invalid request', message });

  admin.post('/clients', (req, res) => {
    const b = body(req);
    try {
      const { client, clientSecret } = state.clients.register({
        name: String(b.name ?? ''),
        // register() checks both lists (array, non-empty, each entry) and names the field it rejects.
        redirectUris: Array.isArray(b.redirect_uris) ? b.redirect_uris : [],
        scopes: Array.isArray(b.scopes) ? b.scopes : [],
        isPublic: b.public === true,
      });
      res.status(201).json({
        client_id: client.clientId,
        client_secret: clientSecret ?? null,
        name: client.name,
        redirect_uris: client.redirectUris,
        scopes: client.scopes,
        public: client.isPublic,
      });
    } catch (error) {
      if (!(error instanceof ClientRegistrationError)) throw error;
      bad(res, `${error.field}: ${error.message}`);
    }
  });

  admin.get('/clients', (_req, res) => {
    res.json({
      clients: state.clients
        .list()
        .map((c) => ({ client_id: c.clientId, name: c.name, redirect_uris: c.redirectUris, scopes: c.scopes, public: c.isPublic, active: c.active })),
    });
  });

  admin.post('/clients/:id/deactivate', (req, res) => {
    const client = state.clients.deactivate(String(req.params.id));
    if (!client) res.status(404).json({ error: 'not_found', message: 'unknown client_id' });
    else res.json({ client_id: client.clientId, active: false });
  });

  admin.post('/users', (req, res) => {
    const b = body(req);
    try {
      const { user, account } = enrollUser(state, { email: String(b.email ?? ''), password: String(b.password ?? ''), mfa: b.mfa === true });
      res.status(201).json({ user_id: user.id, account_id: account.id, ...(user.mfa ? { mfa_code: SANDBOX_MFA_CODE } : {}) });
    } catch (error) {
      if (!(error instanceof UserDirectoryError)) throw error;
      bad(res, `${error.field}: ${error.message}`);
    }
  });

  const prices = () => Object.fromEntries(UNIVERSE.map((i) => [i.symbol, state.market.quote(i)]));
  admin.get('/market', (_req, res) => res.json({ tick: state.market.tick, prices: prices() }));

  admin.post('/market/prices', (req, res) => {
    const wanted: Record<string, number> = {};
    for (const [symbol, value] of Object.entries(body(req))) {
      const price = typeof value === 'number' ? value : parseDecimal(value);
      if (price === undefined || price <= 0) return void bad(res, `${symbol}: price must be a positive decimal string`);
      wanted[symbol] = price;
    }
    const unknown = state.market.setPrices(wanted);
    if (unknown.length > 0) return void bad(res, `unknown symbol: ${unknown.join(', ')}`);
    res.json({ tick: state.market.tick, prices: prices() });
  });

  admin.post('/market/tick', (req, res) => {
    const count = Number(body(req).count ?? 1);
    state.market.advance(Number.isFinite(count) ? count : 1);
    res.json({ tick: state.market.tick, prices: prices() });
  });

  admin.get('/orders', (req, res) => {
    const accountId = typeof req.query.account_id === 'string' ? req.query.account_id : undefined;
    const orders = accountId ? state.orders.listForAccount(accountId) : state.orders.list();
    res.json({ orders: orders.map(toOrderView) });
  });

  admin.post('/faults', (req, res) => {
    let request;
    try {
      request = readFaultPlan(req.body);
    } catch (error) {
      return void bad(res, error instanceof Error ? error.message : String(error));
    }
    if (request.plan) state.faults.set(request.plan);
    const expiredTokens = request.expireTokens ? state.tokens.expireAllAccessTokens() : 0;
    res.json({ faults: state.faults.describe(), expiredTokens });
  });

  admin.delete('/faults', (_req, res) => {
    state.faults.clear();
    res.json({ faults: null });
  });

  admin.use((req, res) => res.status(404).json({ error: 'not_found', message: `No admin route ${req.method} /admin${req.path}` }));
  return router;
}
