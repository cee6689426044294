/**
 * What the connection page needs remembered (key layout in
 * `runtime/store/STORAGE.md`):
 * - `connect:<sha256(id)>`: a sign-in Aries has approved, waiting for the
 *   person to submit the page (10 minutes, like the pending authorization).
 *   The id is the page's CSRF token: random, only ever written into that
 *   page, and accepted only with the browser-binding cookie of the same
 *   sign-in. The Aries code and the PKCE verifier are sealed; the record is
 *   read while the form is checked and taken (single use) on submit.
 * - `guardrails-client:<digest of the Aries Client ID>`: the guardrails last
 *   chosen for that Client ID (one per customer), shown on the next
 *   connection as the current values (400 days).
 * What it does not do: render the page or decide anything about the form.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SealError, type Sealer } from '../store/seal.js';
import { readJson, takeJson, writeJson, type Store } from '../store/store.js';
import { readGuardrails, type GuardrailPolicy, type Guardrails } from '../guardrails/guardrails.js';
import { hashToken } from './opaque-tokens.js';
import { PENDING_TTL_SECONDS, type PendingAuthorization } from './oauth-records.js';

export interface PendingConnection {
  readonly pending: Omit<PendingAuthorization, 'expiresAt'>;
  /** The gateway state of the sign-in: names its browser-binding cookie. */
  readonly state: string;
  readonly ariesCode: string;
  readonly expiresAt: number;
}

const CLIENT_GUARDRAILS_TTL_SECONDS = 400 * 86_400;
const CONNECTION_ID = /^agw_cn_[A-Za-z0-9_-]{43}$/;

export class ConnectionRecords {
  constructor(private readonly options: { readonly store: Store; readonly sealer: Sealer; readonly now: () => number }) {}

  /** Stores the approved sign-in; returns the page's id (its CSRF token). */
  async save(pending: Omit<PendingAuthorization, 'expiresAt'>, state: string, ariesCode: string): Promise<string> {
    const id = `agw_cn_${randomBytes(32).toString('base64url')}`;
    const context = contextOf(id);
    const { sealer } = this.options;
    const record: PendingConnection = {
      pending: { ...pending, ariesVerifier: sealer.seal(pending.ariesVerifier, context) },
      state: sealer.seal(state, context),
      ariesCode: sealer.seal(ariesCode, context),
      expiresAt: this.options.now() + PENDING_TTL_SECONDS * 1000,
    };
    await writeJson(this.options.store, context, record, PENDING_TTL_SECONDS);
    return id;
  }

  /** The waiting sign-in, opened, without using it up; undefined when unknown, expired or malformed. */
  async find(id: string): Promise<PendingConnection | undefined> {
    if (!CONNECTION_ID.test(id)) return undefined;
    return this.open(id, await readJson<PendingConnection>(this.options.store, contextOf(id)));
  }

  /** Single use: the first submit wins. */
  async take(id: string): Promise<PendingConnection | undefined> {
    if (!CONNECTION_ID.test(id)) return undefined;
    return this.open(id, await takeJson<PendingConnection>(this.options.store, contextOf(id)));
  }

  async currentGuardrails(clientId: string, policy: GuardrailPolicy): Promise<Guardrails> {
    return readGuardrails(await readJson<unknown>(this.options.store, `guardrails-client:${clientDigest(clientId)}`), policy) ?? policy.defaults;
  }

  async saveCurrentGuardrails(clientId: string, guardrails: Guardrails): Promise<void> {
    await writeJson(this.options.store, `guardrails-client:${clientDigest(clientId)}`, guardrails, CLIENT_GUARDRAILS_TTL_SECONDS);
  }

  private open(id: string, record: PendingConnection | undefined): PendingConnection | undefined {
    if (record === undefined || record.expiresAt <= this.options.now()) return undefined;
    const context = contextOf(id);
    try {
      const { sealer } = this.options;
      return {
        ...record,
        pending: { ...record.pending, ariesVerifier: sealer.open(record.pending.ariesVerifier, context) },
        state: sealer.open(record.state, context),
        ariesCode: sealer.open(record.ariesCode, context),
      };
    } catch (error) {
      if (error instanceof SealError) return undefined;
      throw error;
    }
  }
}

/** Whose daily guardrail total and current values: a digest of the Aries Client ID (never the ID itself in a key). */
export function clientDigest(clientId: string): string {
  return createHash('sha256').update('agw-guardrails-client:').update(clientId, 'utf8').digest('hex').slice(0, 32);
}

function contextOf(id: string): string {
  return `connect:${hashToken(id)}`;
}
