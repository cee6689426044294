/**
 * The pages of the browser authorization flow: sign-in, MFA code, consent
 * and errors. Each form carries the one-time transaction id of its step in a
 * hidden field and posts back to this server.
 */
import { SANDBOX_MFA_CODE } from '../../state/users.js';
import { SCOPE_DESCRIPTIONS } from '../scopes.js';
import type { OAuthError } from '../oauth-error.js';
import { html } from './html.js';
import type { PageOptions } from './layout.js';

export function signInPage(input: { txn: string; clientName: string; email?: string; error?: string }): PageOptions {
  return {
    title: 'Sign in',
    body: html`<h1>Sign in</h1>
      <p class="lead">to continue to <b>${input.clientName}</b></p>
      ${input.error ? html`<div class="error" role="alert">${input.error}</div>` : ''}
      <form method="post" action="/oauth2/sign-in">
        <input type="hidden" name="txn" value="${input.txn}" />
        <label for="email">Email</label><input id="email" type="email" name="email" autocomplete="username" required value="${input.email ?? ''}" />
        <label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password" required />
        <div class="buttons"><button type="submit">Sign in</button></div>
      </form>`,
  };
}

export function mfaPage(input: { nextStepAuthId: string; clientName: string; error?: string }): PageOptions {
  return {
    title: 'Verification code',
    body: html`<h1>Enter your verification code</h1>
      <p class="lead">We sent a 6-digit code to your phone to finish signing in to <b>${input.clientName}</b>.</p>
      ${input.error ? html`<div class="error" role="alert">${input.error}</div>` : ''}
      <form method="post" action="/oauth2/mfa">
        <input type="hidden" name="next_step_auth_id" value="${input.nextStepAuthId}" />
        <label for="code">Verification code</label>
        <input id="code" type="text" name="verification_code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required />
        <div class="buttons"><button type="submit">Verify</button></div>
      </form>
      <p class="muted">Sandbox: no SMS is sent; the code is ${SANDBOX_MFA_CODE}.</p>`,
  };
}

export function consentPage(input: { nextStepAuthId: string; clientName: string; email: string; scopes: readonly string[]; redirectUri: string }): PageOptions {
  return {
    title: 'Allow access',
    body: html`<h1>${input.clientName} wants to access your Aries account</h1>
      <p class="lead">Signed in as <b>${input.email}</b>. Allowing lets <b>${input.clientName}</b>:</p>
      <ul class="scopes">
        ${input.scopes.map((scope) => html`<li><b>${SCOPE_DESCRIPTIONS[scope] ?? scope}</b><code>${scope}</code></li>`)}
      </ul>
      <form method="post" action="/oauth2/consent">
        <input type="hidden" name="next_step_auth_id" value="${input.nextStepAuthId}" />
        <div class="buttons">
          <button type="submit" name="decision" value="deny" class="secondary">Deny</button><button type="submit" name="decision" value="allow">Allow</button>
        </div>
      </form>
      <p class="muted">
        You will be sent back to <span class="mono">${input.redirectUri}</span>. To withdraw this access later, deactivate the client in Client Center.
      </p>`,
  };
}

export function authorizationErrorPage(error: OAuthError): PageOptions {
  return {
    title: 'Authorization error',
    body: html`<h1>We could not start the sign-in</h1>
      <div class="error" role="alert">
        <b><code>${error.code}</code></b
        ><br />${error.description}
      </div>
      ${
        error.detail.length > 0
          ? html`<dl>
              ${error.detail.map(
                ([label, value]) =>
                  html`<dt>${label}</dt>
                    <dd class="mono">${value}</dd>`,
              )}
            </dl>`
          : ''
      }
      ${error.hint ? html`<div class="notice">${error.hint}</div>` : ''}
      <p class="muted">Nothing was shared with the app. Close this window and try again from the app once the problem is fixed.</p>`,
  };
}

export function expiredStepPage(): PageOptions {
  return {
    title: 'Sign-in expired',
    body: html`<h1>This sign-in page has expired</h1>
      <div class="error" role="alert">The form was already used, is more than 15 minutes old, or came from another site.</div>
      <p>Go back to the app and start the connection again.</p>`,
  };
}
