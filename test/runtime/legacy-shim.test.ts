import { describe, expect, it } from 'vitest';
import { legacyVersionFor } from '../../runtime/mcp/legacy-shim.js';

const META = 'io.modelcontextprotocol/protocolVersion';
const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };

describe('legacyVersionFor (Claude sends a 2026-07-28 header after a legacy handshake)', () => {
  it.each([
    ['modern header, no envelope: served as legacy 2025-11-25', '2026-07-28', list, '2025-11-25'],
    ['modern header, empty _meta: served as legacy', '2026-07-28', { ...list, params: { _meta: {} } }, '2025-11-25'],
    ['modern header, batch without envelopes: served as legacy', '2026-07-28', [list, { ...list, id: 3 }], '2025-11-25'],
    ['modern header with the envelope: genuine modern traffic, untouched', '2026-07-28', { ...list, params: { _meta: { [META]: '2026-07-28' } } }, undefined],
    ['modern header with a malformed envelope: the SDK answers it', '2026-07-28', { ...list, params: { _meta: { [META]: 42 } } }, undefined],
    ['a batch where one message claims the envelope: untouched', '2026-07-28', [list, { ...list, params: { _meta: { [META]: '2026-07-28' } } }], undefined],
    ['legacy header: untouched', '2025-06-18', list, undefined],
    ['no header: untouched', null, list, undefined],
    ['a version nobody serves: untouched (the transport answers 400)', '2099-01-01', list, undefined],
    ['garbage header: untouched', 'invalid-protocol-version', list, undefined],
    ['no JSON body: untouched', '2026-07-28', undefined, undefined],
    ['empty batch: untouched', '2026-07-28', [], undefined],
  ] as const)('%s', (_name, header, body, want) => {
    expect(legacyVersionFor(header, body)).toBe(want);
  });
});
