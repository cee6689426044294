/**
 * Tool surface size as a model sees it: the `tools/list` answer the gateway
 * sends (full-scope grant), in bytes and estimated tokens (bytes / 4, the
 * usual rule of thumb for JSON-heavy English text; real tokenizers differ by
 * tens of percent). Per tool: the bytes of that tool's JSON object (name,
 * title, description, schemas, annotations) and how much of it is input
 * schema, output schema and description. Total: the whole HTTP body,
 * JSON-RPC envelope included.
 */
import { BYTES_PER_TOKEN } from '../runtime/mcp/token-estimate.js';
import { mcpResult } from './mcp-requests.js';

export interface ToolSize {
  readonly name: string;
  readonly bytes: number;
  readonly tokens: number;
  /** Bytes of the parts (JSON-encoded as in the answer). */
  readonly inputSchemaBytes: number;
  readonly outputSchemaBytes: number;
  readonly descriptionBytes: number;
}

export interface SurfaceFigures {
  readonly tools: number;
  readonly totalBytes: number;
  readonly totalTokens: number;
  readonly averageTokens: number;
  /** Share of all tool bytes that are output schemas (published, but only used to check results). */
  readonly outputSchemaShare: number;
  readonly inputSchemaShare: number;
  readonly descriptionShare: number;
  readonly largest: ToolSize | undefined;
  /** Sorted by size, largest first. */
  readonly perTool: readonly ToolSize[];
}

export function measureSurface(toolsListBody: string): SurfaceFigures {
  const tools = mcpResult({ status: 200, body: toolsListBody })?.['tools'];
  if (!Array.isArray(tools)) throw new Error('not a tools/list answer');
  const size = (value: unknown): number => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));
  const perTool: ToolSize[] = tools
    .map((tool: { name?: unknown; inputSchema?: unknown; outputSchema?: unknown; description?: unknown }) => {
      const bytes = size(tool);
      return {
        name: String(tool.name),
        bytes,
        tokens: Math.round(bytes / BYTES_PER_TOKEN),
        inputSchemaBytes: size(tool.inputSchema),
        outputSchemaBytes: size(tool.outputSchema),
        descriptionBytes: size(tool.description),
      };
    })
    .sort((a, b) => b.bytes - a.bytes);
  const totalBytes = Buffer.byteLength(toolsListBody);
  const sum = (pick: (tool: ToolSize) => number): number => perTool.reduce((total, tool) => total + pick(tool), 0);
  const toolBytes = sum((tool) => tool.bytes);
  const share = (pick: (tool: ToolSize) => number): number => (toolBytes === 0 ? 0 : sum(pick) / toolBytes);
  return {
    tools: perTool.length,
    totalBytes,
    totalTokens: Math.round(totalBytes / BYTES_PER_TOKEN),
    averageTokens: perTool.length === 0 ? 0 : toolBytes / BYTES_PER_TOKEN / perTool.length,
    outputSchemaShare: share((tool) => tool.outputSchemaBytes),
    inputSchemaShare: share((tool) => tool.inputSchemaBytes),
    descriptionShare: share((tool) => tool.descriptionBytes),
    largest: perTool[0],
    perTool,
  };
}
