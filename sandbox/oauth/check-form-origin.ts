/**
 * CSRF defence for the sandbox's HTML forms, on top of one-time transaction
 * ids: a browser POST must come from this server's own pages. Browsers send
 * `Origin` (and `Sec-Fetch-Site`) on form posts; a cross-site value is
 * refused. Requests without those headers (scripts, tests) pass, since they
 * cannot ride a victim's browser.
 */
import type { Request } from 'express';

export function isSameOriginForm(req: Request, publicUrl: string | undefined): boolean {
  if (req.get('sec-fetch-site') === 'cross-site') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  const own = new Set([`${req.protocol}://${req.get('host') ?? ''}`]);
  if (publicUrl) own.add(new URL(publicUrl).origin);
  return own.has(origin);
}
