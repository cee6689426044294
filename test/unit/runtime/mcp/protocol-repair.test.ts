import { describe, expect, it } from 'vitest';
import { protocolRepairFor, type McpHeaders } from '../../../../runtime/mcp/protocol-repair.js';

const META = 'io.modelcontextprotocol/protocolVersion';
const ENVELOPE = {
  [META]: '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'claude-ai', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
const modernList = { ...list, params: { _meta: ENVELOPE } };
const modernCall = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get_quote', arguments: { symbol: 'MSFT' }, _meta: ENVELOPE } };

describe('protocolRepairFor: a 2026-07-28 header without the envelope (Claude after a legacy handshake)', () => {
  it.each([
    ['no envelope: served as legacy 2025-11-25', list],
    ['empty _meta: served as legacy', { ...list, params: { _meta: {} } }],
    ['batch without envelopes: served as legacy', [list, { ...list, id: 3 }]],
  ] as const)('%s', (_name, body) => {
    expect(protocolRepairFor({ 'mcp-protocol-version': '2026-07-28' }, body)).toEqual({
      servedAs: 'legacy',
      headerVersion: '2026-07-28',
      set: { 'mcp-protocol-version': '2025-11-25' },
      clientName: undefined,
    });
  });
});

describe('protocolRepairFor: a legacy header, or none, with a complete 2026-07-28 envelope (the body wins)', () => {
  it.each([
    [
      '2025-11-25 header, tools/list: version and Mcp-Method from the body',
      { 'mcp-protocol-version': '2025-11-25' },
      modernList,
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    ],
    [
      'no header, tools/call: version, Mcp-Method and Mcp-Name from the body',
      {},
      modernCall,
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'get_quote' },
    ],
    [
      '2025-06-18 header with matching Mcp-Method and Mcp-Name: only the version',
      { 'mcp-protocol-version': '2025-06-18', 'mcp-method': 'tools/call', 'mcp-name': 'get_quote' },
      modernCall,
      { 'mcp-protocol-version': '2026-07-28' },
    ],
    [
      'header with spaces around it',
      { 'mcp-protocol-version': ' 2025-11-25 ' },
      modernList,
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
    ],
  ] as const)('%s', (_name, headers: McpHeaders, body, set) => {
    expect(protocolRepairFor(headers, body)).toMatchObject({ servedAs: 'modern', set, clientName: 'claude-ai' });
  });
});

describe('protocolRepairFor: genuine mismatches and agreeing requests are left to the SDK', () => {
  it.each([
    ['modern header with the envelope (agreeing)', { 'mcp-protocol-version': '2026-07-28' }, modernList],
    ['modern header with a malformed envelope claim', { 'mcp-protocol-version': '2026-07-28' }, { ...list, params: { _meta: { [META]: 42 } } }],
    ['modern header, a batch where one message claims the envelope', { 'mcp-protocol-version': '2026-07-28' }, [list, modernList]],
    ['legacy header, no envelope (plain legacy)', { 'mcp-protocol-version': '2025-06-18' }, list],
    ['no header, no envelope (plain legacy)', {}, list],
    ['a header naming a version nobody serves', { 'mcp-protocol-version': '2099-01-01' }, list],
    ['a header naming a version nobody serves, with an envelope', { 'mcp-protocol-version': '2099-01-01' }, modernList],
    ['garbage header', { 'mcp-protocol-version': 'invalid-protocol-version' }, modernList],
    [
      'envelope naming a version nobody serves',
      { 'mcp-protocol-version': '2025-11-25' },
      { ...list, params: { _meta: { ...ENVELOPE, [META]: '2099-01-01' } } },
    ],
    ['envelope without clientInfo (incomplete)', { 'mcp-protocol-version': '2025-11-25' }, { ...list, params: { _meta: { [META]: '2026-07-28' } } }],
    [
      'envelope with clientCapabilities of the wrong type',
      {},
      { ...list, params: { _meta: { ...ENVELOPE, 'io.modelcontextprotocol/clientCapabilities': 'all' } } },
    ],
    ['Mcp-Method contradicting the body', { 'mcp-protocol-version': '2025-11-25', 'mcp-method': 'tools/call' }, modernList],
    ['a modern batch', { 'mcp-protocol-version': '2025-11-25' }, [modernList]],
    ['no JSON body', { 'mcp-protocol-version': '2026-07-28' }, undefined],
    ['empty batch', { 'mcp-protocol-version': '2026-07-28' }, []],
  ] as const)('%s', (_name, headers: McpHeaders, body) => {
    expect(protocolRepairFor(headers, body)).toBeUndefined();
  });

  it('an Mcp-Name header contradicting the body is kept (only the version is set), so the SDK answers -32020', () => {
    expect(protocolRepairFor({ 'mcp-protocol-version': '2025-11-25', 'mcp-method': 'tools/call', 'mcp-name': 'place_order' }, modernCall)?.set).toEqual({
      'mcp-protocol-version': '2026-07-28',
    });
  });
});
