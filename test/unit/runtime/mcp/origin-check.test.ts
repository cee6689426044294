import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from '../../../../runtime/mcp/origin-check.js';

const allowed = ['https://claude.ai', 'http://localhost:6274'];

describe('isOriginAllowed', () => {
  it.each([
    ['no Origin header', undefined, true],
    ['empty Origin header', '', true],
    ['a configured origin', 'https://claude.ai', true],
    ['a configured origin with a trailing slash', 'https://claude.ai/', true],
    ['a configured origin in other case', 'HTTPS://CLAUDE.AI', true],
    ['a configured origin with its default port', 'https://claude.ai:443', true],
    ['a configured loopback origin with its port', 'http://localhost:6274', true],
    ['another port of a configured host', 'http://localhost:3000', false],
    ['another scheme of a configured host', 'http://claude.ai', false],
    ['a lookalike host', 'https://claude.ai.evil.example', false],
    ['an unknown site', 'https://evil.example', false],
    ['the opaque null origin', 'null', false],
    ['garbage', 'not a url', false],
  ] as const)('%s', (_name, origin, want) => {
    expect(isOriginAllowed(origin, allowed)).toBe(want);
  });

  it('refuses every present origin when none are configured', () => {
    expect(isOriginAllowed('https://claude.ai', [])).toBe(false);
    expect(isOriginAllowed(undefined, [])).toBe(true);
  });
});

describe('isOriginAllowed for local clients', () => {
  it.each([
    ['loopback Origin to a loopback Host', 'http://localhost:6274', '127.0.0.1:8787', true],
    ['loopback Origin to localhost', 'http://127.0.0.1:3000', 'localhost:8787', true],
    ['IPv6 loopback', 'http://[::1]:3000', '[::1]:8787', true],
    ['loopback Origin to a public Host (rebinding)', 'http://localhost:6274', 'evil.example.com', false],
    ['rebinding page Origin with its own Host', 'http://evil.example.com:8787', 'evil.example.com:8787', false],
    ['loopback Origin without a Host', 'http://localhost:6274', undefined, false],
  ])('%s', (_name, origin, host, want) => {
    expect(isOriginAllowed(origin, [], host)).toBe(want);
  });
});
