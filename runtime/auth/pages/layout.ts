/**
 * The shell of the gateway's own pages (error pages of /authorize and
 * /auth/callback) and the headers every page carries:
 * - `Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline';
 *   frame-ancestors 'none'`: no script, no loads, no framing;
 * - `X-Frame-Options: DENY` for older browsers (RFC 6749 §10.13 clickjacking);
 * - `Cache-Control: no-store` (pages may name one-time flows), no referrer.
 * The look is the gateway's own (not Aries'), so users can tell which side
 * is talking.
 */
import type { Response } from 'express';
import { html, SafeHtml } from './html.js';

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#0f172a;
  font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#0f172a}
main{width:100%;max-width:560px;margin:32px 16px;background:#fff;border-radius:12px;padding:28px 30px;border-top:6px solid #f59e0b}
.who{font-size:12px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:#64748b;margin-bottom:14px}
h1{font-size:21px;margin:0 0 12px}
h2{font-size:14px;text-transform:uppercase;letter-spacing:.05em;color:#475569;margin:22px 0 6px}
p{margin:0 0 10px}
ol{margin:0;padding-left:20px}li{margin:6px 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;background:#f1f5f9;border-radius:4px;padding:1px 5px;word-break:break-all}
.code{color:#b45309;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
a.button{display:inline-block;margin-top:18px;padding:10px 16px;border-radius:8px;background:#0f172a;color:#fff;text-decoration:none;font-weight:600}
.muted{color:#64748b;font-size:13px;margin-top:20px}
`;

export interface Page {
  readonly title: string;
  readonly body: SafeHtml;
}

export function renderPage(page: Page): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>${page.title} · Aries MCP gateway</title>
        <style>
          ${new SafeHtml(STYLE)}
        </style>
      </head>
      <body>
        <main>
          <div class="who">Aries MCP gateway</div>
          ${page.body}
        </main>
      </body>
    </html>`.value;
}

export function sendPage(res: Response, status: number, page: Page): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': PAGE_CSP,
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    })
    .send(renderPage(page));
}
