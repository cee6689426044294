/**
 * Users tag: the signed-in user. Profile data beyond the email is fixed
 * sandbox data; updates are acknowledged but only `plaid_status` is echoed.
 */
import { type ApiContext, type OperationHandlers } from './operation-handler.js';
import { isJsonObject } from '../json-object.js';

function userView(ctx: ApiContext, overrides: Record<string, unknown> = {}) {
  const user = ctx.state.users.findById(ctx.caller.userId);
  const created = (user?.createdAt ?? new Date()).toISOString();
  return {
    id: ctx.caller.userId,
    email: user?.email ?? '',
    email_verified: true,
    primary_phone_number: '+15555550100',
    country: 'US',
    avatar_url: null,
    plaid_status: 'COMPLETED',
    created_at: created,
    updated_at: created,
    account_application: { id: 1000 + ctx.caller.userId, status: 'APPROVED', can_submit: false, missing_fields: [], plaid_link_token: null },
    ...overrides,
  };
}

function getCurrentUser(ctx: ApiContext) {
  return userView(ctx);
}

function updateCurrentUser(ctx: ApiContext) {
  const body = isJsonObject(ctx.body) ? ctx.body : {};
  return userView(ctx, { ...(body.plaid_status ? { plaid_status: body.plaid_status } : {}), updated_at: new Date().toISOString() });
}

function getUserProfile(ctx: ApiContext) {
  const { email } = userView(ctx);
  const local = email.split('@')[0] ?? 'user';
  return {
    first_name: local.charAt(0).toUpperCase() + local.slice(1),
    last_name: 'Sandbox',
    email,
    country: 'US',
    city: 'New York',
    state: 'NY',
    timezone: 'America/New_York',
  };
}

function setTradingPassword() {
  return { success: true, message: 'Trading password updated' };
}

function changeEmail(ctx: ApiContext) {
  const body = isJsonObject(ctx.body) ? ctx.body : {};
  return { success: true, message: `A confirmation link was sent to ${String(body.email)}` };
}

export const userHandlers: OperationHandlers = { getCurrentUser, updateCurrentUser, getUserProfile, setTradingPassword, changeEmail };
