/**
 * The Aries page shell (a centred card, inline styles, no script) and the
 * headers every sandbox page carries:
 * - `Content-Security-Policy`: nothing loads but inline styles; forms post only to
 *   this server and, where a flow ends in a redirect, to the client's origin;
 * - `X-Frame-Options: DENY` and `frame-ancestors 'none'` against clickjacking;
 * - `Cache-Control: no-store`: pages carry one-time transaction ids.
 */
import type { Response } from 'express';
import { html, SafeHtml } from './html.js';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f5f9;
  font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1b2233}
main{width:100%;max-width:460px;margin:32px 16px;background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(20,30,60,.10);padding:32px}
main.wide{max-width:860px}
.brand{display:flex;align-items:center;gap:10px;margin-bottom:22px;font-weight:700;font-size:20px;letter-spacing:.02em}
.brand .mark{width:34px;height:34px;border-radius:9px;background:linear-gradient(135deg,#2d5bff,#7a3cff);color:#fff;
  display:flex;align-items:center;justify-content:center;font-size:18px}
.brand .tag{margin-left:auto;font-size:11px;font-weight:600;color:#7a3cff;background:#f1ebff;border-radius:999px;padding:3px 10px}
h1{font-size:21px;margin:0 0 6px}
p.lead{margin:0 0 20px;color:#4a5470}
label{display:block;font-weight:600;margin:14px 0 6px}
input[type=email],input[type=password],input[type=text],textarea{width:100%;padding:10px 12px;border:1px solid #cdd3e0;border-radius:8px;font:inherit}
textarea{min-height:70px}
.buttons{display:flex;gap:10px;margin-top:22px}
button{flex:1;padding:11px 14px;border-radius:8px;border:1px solid #2d5bff;background:#2d5bff;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#fff;color:#2d5bff}
button.danger{background:#fff;color:#c0263b;border-color:#e3a1ab;flex:none;padding:6px 12px}
.error{background:#fff1f2;border:1px solid #f5c2c9;color:#8e1b2c;border-radius:8px;padding:10px 12px;margin:0 0 16px}
.notice{background:#f1f6ff;border:1px solid #c9dafc;border-radius:8px;padding:10px 12px;margin:16px 0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
ul.scopes{list-style:none;padding:0;margin:12px 0}
ul.scopes li{border:1px solid #e3e7ef;border-radius:8px;padding:9px 12px;margin:8px 0}
ul.scopes li b{display:block}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;margin:14px 0}
dt{font-weight:600;color:#4a5470}dd{margin:0;white-space:pre-line}
table{width:100%;border-collapse:collapse;margin:12px 0;font-size:14px}
th,td{text-align:left;padding:8px;border-bottom:1px solid #e3e7ef;vertical-align:top}
.checks label{font-weight:400;margin:4px 0}
.muted{color:#6b7590;font-size:13px}
`;

export interface PageOptions {
  readonly title: string;
  readonly body: SafeHtml;
  readonly wide?: boolean;
}

export function renderPage({ title, body, wide }: PageOptions): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${title} · Aries</title>
        <style>
          ${new SafeHtml(STYLE)}
        </style>
      </head>
      <body>
        <main class="${wide ? 'wide' : ''}">
          <div class="brand"><span class="mark">A</span>Aries<span class="tag">Sandbox</span></div>
          ${body}
        </main>
      </body>
    </html>`.value;
}

/**
 * Sends a page with the security headers. `formTargets` are origins the page's forms may end up at (the client's
 * redirect URI). Such forms end in a chain of redirects (client callback, then wherever the client sends the
 * browser next, e.g. a gateway returning to Claude), and browsers apply CSP `form-action` to every hop, so those
 * pages carry no `form-action`; pages whose forms stay here keep `form-action 'self'`.
 * `Referrer-Policy: same-origin`: with `no-referrer`, Chromium sends `Origin: null` on same-origin form posts,
 * which the form-origin check must refuse.
 */
export function sendPage(res: Response, status: number, page: PageOptions, formTargets: readonly string[] = []): void {
  const formAction = formTargets.length > 0 ? '' : " form-action 'self';";
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline';${formAction} frame-ancestors 'none'`,
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'same-origin',
      'X-Content-Type-Options': 'nosniff',
    })
    .send(renderPage(page));
}
