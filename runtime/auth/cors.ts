/**
 * CORS for the endpoints browser-based MCP clients call directly (metadata,
 * /token, /revoke, /register): any origin, no credentials (they carry no
 * cookies; RFC 8414 and RFC 9728 documents are public), and preflight
 * answered here. /authorize and /auth/callback are navigations and get none.
 */
import type { NextFunction, Request, Response } from 'express';

export function allowCors(methods: readonly string[]) {
  const allowed = [...methods, 'OPTIONS'].join(', ');
  return (req: Request, res: Response, next: NextFunction): void => {
    res.set('Access-Control-Allow-Origin', '*');
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    res.set({
      'Access-Control-Allow-Methods': allowed,
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, MCP-Protocol-Version',
      'Access-Control-Max-Age': '600',
    });
    res.status(204).end();
  };
}
