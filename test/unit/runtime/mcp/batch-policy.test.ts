import { describe, expect, it } from 'vitest';
import { batchRefusal, MAX_BATCH_MESSAGES } from '../../../../runtime/mcp/batch-policy.js';

const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_quote', arguments: { symbol: 'MSFT' } } };
const batch = (size: number) => Array.from({ length: size }, (_, id) => ({ ...call, id }));

describe('batchRefusal (MCP 2025-06-18 removed JSON-RPC batching)', () => {
  it.each([
    [
      '2025-06-18 refuses any batch',
      '2025-06-18',
      batch(2),
      'Invalid Request: JSON-RPC batches are not supported in protocol version 2025-06-18; send one request per HTTP POST',
    ],
    [
      '2025-11-25 refuses any batch',
      '2025-11-25',
      batch(1),
      'Invalid Request: JSON-RPC batches are not supported in protocol version 2025-11-25; send one request per HTTP POST',
    ],
    [
      '2025-03-26 caps the batch',
      '2025-03-26',
      batch(MAX_BATCH_MESSAGES + 1),
      `Invalid Request: a batch may carry at most ${MAX_BATCH_MESSAGES} messages; this one has ${MAX_BATCH_MESSAGES + 1}`,
    ],
    [
      'no header (2025-03-26 assumed) caps the batch',
      undefined,
      batch(1000),
      `Invalid Request: a batch may carry at most ${MAX_BATCH_MESSAGES} messages; this one has 1000`,
    ],
  ])('%s', (_name, version, body, message) => {
    expect(batchRefusal(version, body)).toEqual({ status: 400, body: { jsonrpc: '2.0', error: { code: -32600, message }, id: null } });
  });

  it.each([
    ['a single message', '2025-11-25', call],
    ['an empty batch (the SDK answers it)', '2025-11-25', []],
    ['a small batch on 2025-03-26', '2025-03-26', batch(MAX_BATCH_MESSAGES)],
    ['a small batch without a header', undefined, batch(3)],
  ])('allows %s', (_name, version, body) => {
    expect(batchRefusal(version, body)).toBeUndefined();
  });
});
