/**
 * Size of what a model sees of each tool: the tools/list entry (name, title,
 * description, schemas, annotations). Tokens are estimated at 4 characters
 * per token, the usual rule of thumb for JSON-heavy English text.
 */
import type { ToolDefinition } from '../../runtime/contract/tool-definition.js';

export interface ToolStats {
  readonly inputSchemaBytes: number;
  readonly listEntryBytes: number;
  readonly estimatedTokens: number;
}

export function toolListEntry(definition: ToolDefinition) {
  const { name, title, description, inputSchema, outputSchema, annotations } = definition;
  return { name, title, description, inputSchema, outputSchema, annotations };
}

export function measureTool(definition: ToolDefinition): ToolStats {
  const listEntryBytes = Buffer.byteLength(JSON.stringify(toolListEntry(definition)));
  return {
    inputSchemaBytes: Buffer.byteLength(JSON.stringify(definition.inputSchema)),
    listEntryBytes,
    estimatedTokens: Math.ceil(listEntryBytes / 4),
  };
}
