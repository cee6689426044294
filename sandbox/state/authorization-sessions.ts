/**
 * Authorizations in progress, between the browser's first visit and the code.
 * Each step gets a fresh unguessable id (the page's hidden transaction id, or
 * the backend's `next_step_auth_id`) and the previous id stops working, so a
 * form cannot be replayed or submitted out of order.
 *
 * Stages: `sign-in` (request validated, no user yet) -> `mfa` (password ok,
 * code pending) -> `consent` (user known, waiting for Allow/Deny or confirm).
 */

import { randomSecret } from './random-id.js';

/** A validated authorization request (the parameters of GET /oauth2/authorize). */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  /** Granted scope: requested scopes intersected with the client's registered ones. */
  readonly scopes: readonly string[];
  readonly state: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly codeChallengeMethod: 'S256' | 'plain' | undefined;
}

export type AuthorizationStage = 'sign-in' | 'mfa' | 'consent';

export interface AuthorizationSession {
  readonly id: string;
  readonly stage: AuthorizationStage;
  readonly request: AuthorizationRequest;
  readonly userId: number | undefined;
  readonly consentRequired: boolean;
  readonly expiresAt: number;
}

const SESSION_TTL_MS = 15 * 60 * 1000;

export class AuthorizationSessions {
  private readonly sessions = new Map<string, AuthorizationSession>();

  open(stage: AuthorizationStage, request: AuthorizationRequest, userId?: number, consentRequired = true): AuthorizationSession {
    this.prune();
    const session: AuthorizationSession = {
      id: randomSecret(24),
      stage,
      request,
      userId,
      consentRequired,
      expiresAt: Date.now() + SESSION_TTL_MS,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Removes and returns the session when it exists, is unexpired and is at one of `stages`. */
  take(id: unknown, stages: readonly AuthorizationStage[]): AuthorizationSession | undefined {
    if (typeof id !== 'string') return undefined;
    const session = this.sessions.get(id);
    if (!session || !stages.includes(session.stage)) return undefined;
    this.sessions.delete(id);
    return session.expiresAt > Date.now() ? session : undefined;
  }

  /** Looks without consuming (to re-render a page after a wrong password or code). */
  peek(id: unknown, stage: AuthorizationStage): AuthorizationSession | undefined {
    const session = typeof id === 'string' ? this.sessions.get(id) : undefined;
    return session && session.stage === stage && session.expiresAt > Date.now() ? session : undefined;
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}
