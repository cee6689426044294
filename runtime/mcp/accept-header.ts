/**
 * Reads `Accept` liberally on `/mcp` (DESIGN §5).
 *
 * The Streamable HTTP transport asks clients to accept both
 * `application/json` and `text/event-stream`, and the SDK answers 406 when
 * either is missing. This stateless endpoint always answers JSON, so a
 * client that accepts JSON (`application/json` alone, `application/*`,
 * `*\/*`) or says nothing (RFC 9110 §12.5.1: no Accept means any type) is
 * served as if it had sent the full pair. Anything that rules JSON out
 * (`text/html` alone, `text/event-stream` alone) is left for the SDK to
 * refuse.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const FULL_MCP_ACCEPT = 'application/json, text/event-stream';

/** Rewrites `headers.accept` in place when the client accepts JSON but not the full pair. */
export function normalizeAccept(headers: IncomingHttpHeaders): void {
  const accept = headers.accept?.trim();
  if (accept === undefined || accept === '') {
    headers.accept = FULL_MCP_ACCEPT;
    return;
  }
  const types = accept
    .split(',')
    .map(mediaRange)
    .filter((range) => range.quality > 0);
  const takesJson = types.some(({ type }) => type === 'application/json' || type === 'application/*' || type === '*/*');
  const takesStream = types.some(({ type }) => type === 'text/event-stream');
  if (takesJson && !takesStream) headers.accept = FULL_MCP_ACCEPT;
}

function mediaRange(part: string): { type: string; quality: number } {
  const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
  const q = parameters.find((parameter) => parameter.startsWith('q='));
  const quality = q === undefined ? 1 : Number(q.slice(2));
  return { type, quality: Number.isFinite(quality) ? quality : 1 };
}
