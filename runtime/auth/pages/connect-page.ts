/**
 * The connection page: shown at /auth/callback after Aries approved a
 * sign-in whose scopes let the app trade, before anything goes back to the
 * app. It names the app by where it sends the browser back, lists what the
 * app will be able to do (the titles of the tools the forwarded scopes
 * allow), and offers the trading guardrails with their current values (the
 * defaults, or what this Aries Client ID chose last time). A plain HTML form
 * (no script: the page CSP allows none) posting to /auth/callback with the
 * connection id as its CSRF token; Connect or Cancel.
 * What it does not do: read the answer (`connect.ts`).
 */
import type { Response } from 'express';
import type { FormProblem } from '../../guardrails/guardrails-form.js';
import { formatUsd, type GuardrailPolicy, type Guardrails } from '../../guardrails/guardrails.js';
import { html, SafeHtml } from './html.js';
import { sendPage } from './layout.js';

export interface ConnectPageOptions {
  readonly connectionId: string;
  readonly redirectUri: string;
  /** What the forwarded scopes let the app do, in plain words (tool titles). */
  readonly abilities: readonly string[];
  readonly policy: GuardrailPolicy;
  readonly values: Guardrails;
  /** Shown after a submit the gateway could not accept; the fields keep what was sent where it was valid. */
  readonly problems?: readonly FormProblem[];
  /** The raw amounts sent, so a mistyped amount stays visible for correcting. */
  readonly typed?: { readonly maxOrder?: string; readonly maxDaily?: string };
}

const STYLE = `
form{margin:0}fieldset{border:1px solid #e2e8f0;border-radius:8px;margin:14px 0;padding:10px 14px}
legend{font-weight:600;padding:0 4px}label{display:block;margin:4px 0}
input[type=text]{font:inherit;width:10em;padding:4px 6px;border:1px solid #94a3b8;border-radius:6px}
.row{display:flex;gap:10px;margin-top:18px}
button{font:inherit;font-weight:600;padding:10px 16px;border-radius:8px;border:1px solid #0f172a;cursor:pointer}
button.primary{background:#0f172a;color:#fff}button.secondary{background:#fff;color:#0f172a}
.problems{border:1px solid #dc2626;background:#fef2f2;border-radius:8px;padding:8px 12px;margin:10px 0}
ul.abilities{margin:0;padding-left:20px}
`;

export function sendConnectPage(res: Response, options: ConnectPageOptions): void {
  const { policy, values } = options;
  const app = appName(options.redirectUri);
  const problems = options.problems ?? [];
  const body = html`<style>
      ${new SafeHtml(STYLE)}
    </style>
    <h1>Connect ${app} to your Aries account</h1>
    <p>
      Aries approved the sign-in. Before ${app} is connected, choose what it may do with orders. If your Aries OAuth client allows trading, these limits apply:
      the gateway refuses any order outside them before it reaches Aries.
    </p>
    <h2>What it will be able to do</h2>
    <ul class="abilities">
      ${options.abilities.map((ability) => html`<li>${ability}</li>`)}
    </ul>
    ${
      problems.length === 0
        ? ''
        : html`<div class="problems" role="alert">
            <p><strong>Please correct:</strong></p>
            <ul>
              ${problems.map((problem) => html`<li>${fieldLabel(problem.field)}: ${problem.message}</li>`)}
            </ul>
          </div>`
    }
    <form method="post" action="/auth/callback">
      <input type="hidden" name="connection" value="${options.connectionId}" />
      <fieldset>
        <legend>Orders</legend>
        <label><input type="radio" name="access" value="trade" ${values.readOnly ? '' : ' checked'} /> Allow orders within the limits below</label>
        <label
          ><input type="radio" name="access" value="read_only" ${values.readOnly ? ' checked' : ''} /> Read only: no orders at all (the order tools are
          hidden)</label
        >
      </fieldset>
      <fieldset>
        <legend>Limits (US dollars)</legend>
        <label
          >Maximum value per order
          <input type="text" inputmode="decimal" name="max_order_usd" value="${options.typed?.maxOrder ?? formatUsd(values.maxOrderCents)}" maxlength="20"
        /></label>
        <label
          >Maximum total of orders per day (US market day)
          <input type="text" inputmode="decimal" name="max_daily_usd" value="${options.typed?.maxDaily ?? formatUsd(values.maxDailyCents)}" maxlength="20"
        /></label>
      </fieldset>
      ${checkboxes('Allowed order types', 'order_types', policy.orderTypes, values.orderTypes)}
      ${checkboxes('Allowed sides', 'sides', policy.sides, values.sides)}
      ${checkboxes('Allowed instruments', 'instruments', ['equity', 'option'], values.instruments, { equity: 'Stocks and ETFs', option: 'Options' })}
      <div class="row">
        <button class="primary" type="submit" name="action" value="connect">Connect</button>
        <button class="secondary" type="submit" name="action" value="cancel">Cancel</button>
      </div>
    </form>
    <p class="muted">
      A market order is valued at the current ask (buy) or bid (sell); an option order at quantity × 100 × premium. To change these limits later, connect the
      app to Aries again: this page then shows the current values.
    </p>`;
  sendPage(res, problems.length === 0 ? 200 : 400, { title: 'Connect your Aries account', body });
}

/** The app, named by where the browser goes back to (the redirect URI was checked at /authorize). */
export function appName(redirectUri: string): string {
  const host = new URL(redirectUri).hostname;
  if (host === 'claude.ai' || host === 'claude.com') return `Claude (${host})`;
  if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return 'a desktop or command-line app on this computer';
  return `the app at ${host}`;
}

function checkboxes(
  legend: string,
  name: string,
  choices: readonly string[],
  checked: readonly string[],
  labels: Readonly<Record<string, string>> = {},
): SafeHtml {
  return html`<fieldset>
    <legend>${legend}</legend>
    ${choices.map(
      (choice) =>
        html`<label
          ><input type="checkbox" name="${name}" value="${choice}" ${checked.includes(choice) ? ' checked' : ''} /> ${labels[choice] ?? humanize(choice)}</label
        >`,
    )}
  </fieldset>`;
}

/** `STOP_LIMIT` -> `Stop limit`. */
function humanize(value: string): string {
  const words = value.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const FIELD_LABELS: Readonly<Record<string, string>> = {
  access: 'Orders',
  max_order_usd: 'Maximum value per order',
  max_daily_usd: 'Maximum total per day',
  order_types: 'Order types',
  sides: 'Sides',
  instruments: 'Instruments',
};

function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}
