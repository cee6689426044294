/**
 * The steps behind the Aries login page, shared by the JSON backend
 * (`POST /v1/oauth2/authorize`, `/mfa`, `/confirm`) and the HTML pages:
 * 1. `startAuthorization`: credentials checked; says whether MFA and consent are needed;
 * 2. `verifyMfa`: the 6-digit code (users with MFA only);
 * 3. `confirmAuthorization`: records consent for (user, client, scopes) and issues the code.
 * Each step consumes its `next_step_auth_id` and returns a new one.
 */
import type { AuthorizationRequest, AuthorizationSession } from '../state/authorization-sessions.js';
import type { SandboxState } from '../state/sandbox-state.js';
import { SANDBOX_MFA_CODE, type User } from '../state/users.js';
import { OAuthError } from './oauth-error.js';

export interface AuthorizationStep {
  readonly client_name: string;
  readonly consent_required: boolean;
  readonly is_mfa: boolean;
  readonly next_step_auth_id: string;
  readonly scopes: readonly string[];
}

export interface ConfirmedAuthorization {
  readonly code: string;
  readonly redirect_uri: string;
  readonly request: AuthorizationRequest;
}

export function startAuthorization(state: SandboxState, request: AuthorizationRequest, user: User): AuthorizationStep {
  const consentRequired = !state.consents.covers(user.id, request.clientId, request.scopes);
  const session = state.sessions.open(user.mfa ? 'mfa' : 'consent', request, user.id, consentRequired);
  return describeStep(state, session);
}

export function verifyMfa(state: SandboxState, nextStepAuthId: unknown, verificationCode: unknown): AuthorizationStep {
  const pending = state.sessions.peek(nextStepAuthId, 'mfa');
  if (!pending) throw unknownStep();
  if (typeof verificationCode !== 'string' || !/^[0-9]{6}$/.test(verificationCode)) {
    throw new OAuthError('invalid_request', 'verification_code must be 6 digits.');
  }
  if (verificationCode !== SANDBOX_MFA_CODE) throw new OAuthError('unauthorized', 'The verification code is not correct.', { status: 401 });
  const session = state.sessions.take(nextStepAuthId, ['mfa']);
  if (!session) throw unknownStep();
  return describeStep(state, state.sessions.open('consent', session.request, session.userId, session.consentRequired));
}

export function confirmAuthorization(state: SandboxState, nextStepAuthId: unknown): ConfirmedAuthorization {
  if (state.sessions.peek(nextStepAuthId, 'mfa')) throw new OAuthError('invalid_request', 'Verify the MFA code before confirming.');
  const session = state.sessions.take(nextStepAuthId, ['consent']);
  if (!session || session.userId === undefined) throw unknownStep();
  const { request } = session;
  if (!state.clients.findActive(request.clientId)) throw new OAuthError('invalid_client', 'The OAuth client is inactive.');
  state.consents.record(session.userId, request.clientId, request.scopes);
  return { code: state.codes.issue(request, session.userId), redirect_uri: request.redirectUri, request };
}

/** Abandons a step (the user pressed Deny); returns its request so the caller can redirect with `access_denied`. */
export function denyAuthorization(state: SandboxState, nextStepAuthId: unknown): AuthorizationRequest {
  const session = state.sessions.take(nextStepAuthId, ['consent']);
  if (!session) throw unknownStep();
  return session.request;
}

export function authenticateUser(state: SandboxState, email: unknown, password: unknown): User {
  const user = state.users.authenticate(email, password);
  if (!user) throw new OAuthError('unauthorized', 'Invalid email or password.', { status: 401 });
  return user;
}

function describeStep(state: SandboxState, session: AuthorizationSession): AuthorizationStep {
  return {
    client_name: state.clients.find(session.request.clientId)?.name ?? '',
    consent_required: session.consentRequired,
    is_mfa: session.stage === 'mfa',
    next_step_auth_id: session.id,
    scopes: session.request.scopes,
  };
}

function unknownStep(): OAuthError {
  return new OAuthError('invalid_request', 'next_step_auth_id is unknown, expired or already used; start the authorization again.');
}
