/**
 * Renders a catalogue entry as a page. When the client's redirect is trusted
 * (validated at /authorize and still known), the page also offers the way
 * back to the app carrying the OAuth error (`returnUrl`), so the app learns
 * what happened too.
 */
import type { Response } from 'express';
import { describeError, type CatalogueContext, type ErrorPageCode } from './error-catalogue.js';
import { html } from './html.js';
import { sendPage } from './layout.js';

export interface ErrorPageOptions {
  readonly code: ErrorPageCode;
  readonly context: CatalogueContext;
  /** The OAuth error code shown in small print (what the app or Aries said). */
  readonly shownCode?: string;
  /** The client's redirect URI with `error`, `error_description`, `state`, `iss`. */
  readonly returnUrl?: string;
  readonly status?: number;
}

export function sendErrorPage(res: Response, options: ErrorPageOptions): void {
  const entry = describeError(options.code, options.context);
  const body = html`<h1>${entry.title}</h1>
    <p>${entry.whatHappened}</p>
    <h2>What to do</h2>
    <ol>
      ${entry.whatToDo.map((step) => html`<li>${step}</li>`)}
    </ol>
    ${options.returnUrl === undefined ? '' : html`<a class="button" href="${options.returnUrl}">Return to the app</a>`}
    <p class="muted">Error code: <span class="code">${options.shownCode ?? options.code}</span>. Nothing was shared with the app.</p>`;
  sendPage(res, options.status ?? 400, { title: entry.title, body });
}
