import { describe, expect, it } from 'vitest';
import { appendToRedirectUri, isAllowedRedirectUri } from '../../../../runtime/auth/redirect-uris.js';

const EXTRA = ['https://app.example.com/oauth/callback', 'cursor://anysphere.cursor-retrieval/oauth/callback'];

describe('redirect URI allowlist', () => {
  const table: [string, { uri: string; want: boolean }][] = [
    ['claude.ai callback', { uri: 'https://claude.ai/api/mcp/auth_callback', want: true }],
    ['claude.com callback', { uri: 'https://claude.com/api/mcp/auth_callback', want: true }],
    ['claude.ai with trailing slash', { uri: 'https://claude.ai/api/mcp/auth_callback/', want: false }],
    ['claude.ai over http', { uri: 'http://claude.ai/api/mcp/auth_callback', want: false }],
    ['claude.ai other path', { uri: 'https://claude.ai/api/other', want: false }],
    ['claude.ai lookalike host', { uri: 'https://claude.ai.evil.com/api/mcp/auth_callback', want: false }],
    ['claude.ai with fragment', { uri: 'https://claude.ai/api/mcp/auth_callback#x', want: false }],
    ['127.0.0.1 any port', { uri: 'http://127.0.0.1:33418/callback', want: true }],
    ['127.0.0.1 no port', { uri: 'http://127.0.0.1/callback', want: true }],
    ['localhost any port and path', { uri: 'http://localhost:6274/oauth/callback/debug', want: true }],
    ['[::1] any port', { uri: 'http://[::1]:8080/cb', want: true }],
    ['loopback with query', { uri: 'http://127.0.0.1:5000/cb?x=1', want: true }],
    ['loopback over https', { uri: 'https://127.0.0.1:5000/cb', want: false }],
    ['loopback with user info', { uri: 'http://user@127.0.0.1:5000/cb', want: false }],
    ['loopback-looking host', { uri: 'http://127.0.0.1.nip.io:5000/cb', want: false }],
    ['localhost subdomain', { uri: 'http://localhost.evil.com/cb', want: false }],
    ['at-sign host confusion', { uri: 'http://127.0.0.1:80@evil.com/cb', want: false }],
    ['backslash host confusion', { uri: 'http://127.0.0.1\\@evil.com/cb', want: false }],
    ['other loopback address', { uri: 'http://127.0.0.2:5000/cb', want: false }],
    ['loopback with fragment', { uri: 'http://127.0.0.1:5000/cb#frag', want: false }],
    ['configured exact', { uri: 'https://app.example.com/oauth/callback', want: true }],
    ['configured custom scheme', { uri: 'cursor://anysphere.cursor-retrieval/oauth/callback', want: true }],
    ['configured, different path', { uri: 'https://app.example.com/oauth/callback2', want: false }],
    ['random https site', { uri: 'https://evil.example/callback', want: false }],
    ['javascript URI', { uri: 'javascript:alert(1)', want: false }],
    ['not a URL', { uri: 'callback', want: false }],
    ['empty', { uri: '', want: false }],
    ['whitespace', { uri: 'http://127.0.0.1:5000/c b', want: false }],
  ];

  it.each(table)('%s', (_name, { uri, want }) => {
    expect(isAllowedRedirectUri(uri, EXTRA)).toBe(want);
  });

  it('adds parameters while keeping the redirect URI own query', () => {
    expect(appendToRedirectUri('http://127.0.0.1:5000/cb?x=1', { code: 'c', state: undefined, iss: 'https://gw' })).toBe(
      'http://127.0.0.1:5000/cb?x=1&code=c&iss=https%3A%2F%2Fgw',
    );
  });
});
