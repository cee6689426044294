/**
 * Client Center pages: the list of OAuth clients with a deactivate button,
 * the create form (name, redirect URIs one per line, scope checkboxes), and
 * the page that shows a new client's Client ID and its secret, once.
 */
import type { OAuthClient } from '../../state/clients.js';
import { KNOWN_SCOPES, SCOPE_DESCRIPTIONS } from '../scopes.js';
import { html } from './html.js';
import type { PageOptions } from './layout.js';

export interface CreateFormValues {
  readonly name?: string;
  readonly redirectUris?: string;
  readonly scopes?: readonly string[];
  readonly isPublic?: boolean;
  readonly error?: string;
}

export function clientCenterPage(clients: readonly OAuthClient[], form: CreateFormValues = {}): PageOptions {
  const checked = new Set(form.scopes ?? []);
  return {
    title: 'Client Center',
    wide: true,
    body: html`<h1>Client Center · API</h1>
      <p class="lead">OAuth clients let apps (such as an MCP connector) act for you with the permissions you choose.</p>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Client ID</th>
            <th>Redirect URIs</th>
            <th>Scopes</th>
            <th>Status</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${
            clients.length === 0
              ? html`<tr>
                  <td colspan="6" class="muted">No clients yet.</td>
                </tr>`
              : ''
          }
          ${clients.map(
            (client) =>
              html`<tr>
                <td>${client.name}${client.isPublic ? html`<br /><span class="muted">public (PKCE)</span>` : ''}</td>
                <td class="mono">${client.clientId}</td>
                <td class="mono">${client.redirectUris.map((uri) => html`${uri}<br />`)}</td>
                <td class="mono">${client.scopes.join(' ')}</td>
                <td>${client.active ? 'Active' : 'Inactive'}</td>
                <td>
                  ${client.active ? html`<form method="post" action="/client-center/clients/${encodeURIComponent(client.clientId)}/deactivate"><button class="danger" type="submit">Deactivate</button></form>` : ''}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h1 id="generate">Generate key</h1>
      ${form.error ? html`<div class="error" role="alert">${form.error}</div>` : ''}
      <form method="post" action="/client-center/clients">
        <label for="name">Client name</label
        ><input id="name" type="text" name="name" maxlength="100" required value="${form.name ?? ''}" placeholder="Claude MCP" />
        <label for="redirect_uris">Redirect URIs (one per line, matched exactly)</label>
        <textarea id="redirect_uris" name="redirect_uris" required placeholder="https://mcp.aries.com/auth/callback">${form.redirectUris ?? ''}</textarea>
        <label>Scopes</label>
        <div class="checks">
          ${KNOWN_SCOPES.map((scope) => html`<label><input type="checkbox" name="scopes" value="${scope}" ${checked.has(scope) ? html`checked` : ''} /> <code>${scope}</code> · ${SCOPE_DESCRIPTIONS[scope] ?? ''}</label>`)}
        </div>
        <label><input type="checkbox" name="public" value="true" ${form.isPublic ? html`checked` : ''} /> Public client (no secret; PKCE required)</label>
        <div class="buttons"><button type="submit">Generate key</button></div>
      </form>`,
  };
}

export function clientCreatedPage(client: OAuthClient, clientSecret: string | undefined): PageOptions {
  return {
    title: 'Client created',
    body: html`<h1>Client created</h1>
      <p class="lead"><b>${client.name}</b> is ready. Copy the credentials now.</p>
      <dl>
        <dt>Client ID</dt>
        <dd class="mono">${client.clientId}</dd>
        <dt>Client Secret</dt>
        <dd class="mono">${clientSecret ?? '(none: public client, use PKCE)'}</dd>
        <dt>Redirect URIs</dt>
        <dd class="mono">${client.redirectUris.join('\n')}</dd>
        <dt>Scopes</dt>
        <dd class="mono">${client.scopes.join(' ')}</dd>
      </dl>
      ${clientSecret ? html`<div class="notice">The secret is shown <b>only once</b>. If you lose it, create a new client.</div>` : ''}
      <p><a href="/client-center">Back to Client Center</a></p>`,
  };
}
