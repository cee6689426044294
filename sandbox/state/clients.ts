/**
 * OAuth clients as Client Center registers them: a name, exact redirect URIs
 * and the scopes the customer ticked. Confidential clients get a secret that
 * is shown once and kept only as a hash; public clients have none and must
 * use PKCE. Deactivated clients stay listed but can no longer authorize, get
 * tokens, or use tokens already issued.
 */
import { isKnownScope } from '../oauth/scopes.js';
import { hashSecret, matchesSecretHash, randomHexId, randomSecret } from './random-id.js';

export interface OAuthClient {
  readonly clientId: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
  readonly isPublic: boolean;
  readonly secretHash: string | undefined;
  readonly createdAt: Date;
  active: boolean;
}

export interface ClientRegistration {
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
  readonly isPublic?: boolean;
  /** Fixed credentials (the demo client); random when absent. */
  readonly clientId?: string;
  readonly clientSecret?: string;
}

export class ClientRegistrationError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export class ClientRegistry {
  private readonly clients = new Map<string, OAuthClient>();

  register(input: ClientRegistration): { client: OAuthClient; clientSecret: string | undefined } {
    const client = checkRegistration(input);
    const clientId = input.clientId ?? randomHexId(16);
    if (this.clients.has(clientId)) throw new ClientRegistrationError('client_id already exists', 'client_id');
    const clientSecret = input.isPublic ? undefined : (input.clientSecret ?? randomSecret(32));
    const registered: OAuthClient = {
      ...client,
      clientId,
      secretHash: clientSecret === undefined ? undefined : hashSecret(clientSecret),
      createdAt: new Date(),
      active: true,
    };
    this.clients.set(clientId, registered);
    return { client: registered, clientSecret };
  }

  find(clientId: string | undefined): OAuthClient | undefined {
    return clientId === undefined ? undefined : this.clients.get(clientId);
  }

  /** The client when it exists and is active. */
  findActive(clientId: string | undefined): OAuthClient | undefined {
    const client = this.find(clientId);
    return client?.active ? client : undefined;
  }

  list(): OAuthClient[] {
    return [...this.clients.values()];
  }

  deactivate(clientId: string): OAuthClient | undefined {
    const client = this.clients.get(clientId);
    if (client) client.active = false;
    return client;
  }

  verifySecret(client: OAuthClient, secret: string): boolean {
    return client.secretHash !== undefined && matchesSecretHash(secret, client.secretHash);
  }
}

/**
 * Rules:
 * - name: 1 to 100 characters after trimming;
 * - redirect URIs: at least one, each an absolute URL without a fragment (kept verbatim: matching is exact);
 * - scopes: at least one, each a documented scope.
 */
function checkRegistration(input: ClientRegistration): Pick<OAuthClient, 'name' | 'redirectUris' | 'scopes' | 'isPublic'> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length === 0 || name.length > 100) throw new ClientRegistrationError('name must be 1 to 100 characters', 'name');
  if (!Array.isArray(input.redirectUris) || input.redirectUris.length === 0) {
    throw new ClientRegistrationError('at least one redirect URI is required', 'redirect_uris');
  }
  for (const uri of input.redirectUris) {
    if (!isAbsoluteUrlWithoutFragment(uri)) {
      throw new ClientRegistrationError(`redirect URI must be an absolute URL without a fragment: ${String(uri)}`, 'redirect_uris');
    }
  }
  if (!Array.isArray(input.scopes) || input.scopes.length === 0) throw new ClientRegistrationError('choose at least one scope', 'scopes');
  const unknown = input.scopes.filter((scope) => typeof scope !== 'string' || !isKnownScope(scope));
  if (unknown.length > 0) throw new ClientRegistrationError(`unknown scope: ${unknown.join(', ')}`, 'scopes');
  return {
    name,
    redirectUris: [...new Set(input.redirectUris)],
    scopes: [...new Set(input.scopes)],
    isPublic: input.isPublic === true,
  };
}

function isAbsoluteUrlWithoutFragment(value: unknown): boolean {
  if (typeof value !== 'string' || value.includes('#') || /\s/.test(value)) return false;
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}
