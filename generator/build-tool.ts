/**
 * Turns one selected operation into a tool: lowering (schemas and routes),
 * title, description, annotations, scopes and response shaping.
 */
import type { RecoveryHints, ToolDefinition } from '../runtime/contract/tool-definition.js';
import { addConfirmDuplicate } from './facts/confirm-duplicate.js';
import type { Issue } from './issues.js';
import type { OpenApiDocument } from './load/load-spec.js';
import type { ToolsConfig } from './load/tools-config.js';
import { lowerOperation } from './lower/lower-operation.js';
import { isRecord } from './lower/schema-walk.js';
import { annotateTool } from './name/annotations.js';
import { requiredScopes, toolDescription, toolTitle } from './name/describe-tool.js';
import type { BuiltTool } from './emit/view-model.js';
import type { SelectedOperation } from './select/select-operations.js';

export interface BuildToolContext {
  readonly doc: OpenApiDocument;
  readonly specFile: string;
  readonly configFile: string;
  readonly defaults: NonNullable<ToolsConfig['defaults']>;
  /** The config's top-level recovery hints, for tools without their own. */
  readonly recovery?: RecoveryHints;
}

export function buildTool(selected: SelectedOperation, name: string, context: BuildToolContext): { tool: BuiltTool; issues: Issue[] } {
  const { spec, selection } = selected;
  const lowered = lowerOperation({
    doc: context.doc,
    file: context.specFile,
    path: spec.path,
    method: spec.method,
    operationId: spec.operationId,
    overrides: selection.parameters,
    projection: selection.response?.projection,
    maxInputSchemaBytes: context.defaults.maxInputSchemaBytes,
    maxRecursionDepth: context.defaults.maxRecursionDepth,
    outputSchemaDetail: context.defaults.outputSchemaDetail,
    inputExamples: context.defaults.inputExamples,
  });
  const title = toolTitle(selected, name);
  const annotated = annotateTool({
    method: spec.method,
    title,
    overrides: selection.annotations,
    openWorldDefault: context.defaults.openWorldHint ?? true,
    includeTitle: context.defaults.annotationTitle ?? true,
    configFile: context.configFile,
    configPointer: selected.configPointer,
  });
  const { projection, itemCaps, budgetChars } = selection.response ?? {};
  const confirm = addConfirmDuplicate({
    toolName: name,
    declared: selection.confirmDuplicate,
    inputSchema: lowered.value.inputSchema,
    annotations: annotated.annotations,
    configFile: context.configFile,
    configPointer: selected.configPointer,
  });
  const recovery = selection.recovery ?? context.recovery;
  const definition: ToolDefinition = {
    name,
    title,
    description: toolDescription(selected, title),
    inputSchema: confirm.inputSchema,
    outputSchema: lowered.value.outputSchema,
    ...(lowered.value.outputValidationSchema ? { outputValidationSchema: lowered.value.outputValidationSchema } : {}),
    annotations: annotated.annotations,
    scopes: requiredScopes(context.doc, selected),
    operation: { operationId: spec.operationId, method: spec.method, path: spec.path },
    routes: lowered.value.routes,
    pinned: lowered.value.pinned,
    response: {
      ...(lowered.value.wrap ? { wrap: lowered.value.wrap } : {}),
      ...(projection ? { projection } : {}),
      ...(itemCaps ? { itemCaps } : {}),
      ...(budgetChars ? { budgetChars } : {}),
    },
    ...(selection.guardrails ? { guardrails: selection.guardrails } : {}),
    ...(recovery ? { recovery } : {}),
    ...(confirm.confirmDuplicate ? { confirmDuplicate: confirm.confirmDuplicate } : {}),
  };
  return {
    tool: { definition, bodyContentType: jsonBodyContentType(spec.operation, context.doc), notes: lowered.value.notes },
    issues: [
      ...lowered.issues.map((issue) => pointAtConfig(issue, selected, context.configFile)),
      ...annotated.issues,
      ...confirm.issues,
      ...checkGuardrails(definition, selected, context.configFile),
    ],
  };
}

/** Guardrails that name an argument the tool does not have would never see the order: an error in tools.yaml. */
function checkGuardrails(definition: ToolDefinition, selected: SelectedOperation, configFile: string): Issue[] {
  const guardrails = definition.guardrails;
  if (guardrails === undefined) return [];
  const declared = definition.inputSchema.properties;
  const properties = isRecord(declared) ? Object.keys(declared) : [];
  const named = [
    ...Object.entries(guardrails.arguments).map(([role, argument]) => ({ where: `arguments/${role}`, argument })),
    ...Object.entries(guardrails.priceBy)
      .filter(([, argument]) => argument !== 'quote')
      .map(([type, argument]) => ({ where: `priceBy/${type}`, argument })),
  ];
  return named
    .filter(({ argument }) => argument !== undefined && !properties.includes(argument))
    .map(({ where, argument }) => ({
      code: 'config.guardrails-unknown-argument',
      severity: 'error' as const,
      file: configFile,
      pointer: `${selected.configPointer}/guardrails/${where}`,
      message: `Guardrails of ${definition.name} name the argument "${argument}", which the tool does not have.`,
      fix: `Use one of: ${properties.join(', ')}.`,
    }));
}

/** Overrides and projections that match nothing are mistakes in tools.yaml, so say so there. */
const CONFIG_ISSUES: Readonly<Record<string, string>> = { 'lower.unknown-override': 'parameters', 'lower.unknown-projection': 'response/projection' };

function pointAtConfig(issue: Issue, selected: SelectedOperation, configFile: string): Issue {
  const key = CONFIG_ISSUES[issue.code];
  if (key === undefined || selected.configPointer === '#') return issue;
  return { ...issue, file: configFile, pointer: `${selected.configPointer}/${key}`, line: undefined };
}

/** The request body media type the generated call sends (JSON preferred). */
function jsonBodyContentType(operation: Readonly<Record<string, unknown>>, doc: OpenApiDocument): string | undefined {
  let body = isRecord(operation.requestBody) ? operation.requestBody : undefined;
  if (typeof body?.$ref === 'string') {
    const name = body.$ref.split('/').pop() ?? '';
    const requestBodies = isRecord(doc.components) ? doc.components.requestBodies : undefined;
    const resolved = isRecord(requestBodies) ? requestBodies[name] : undefined;
    body = isRecord(resolved) ? resolved : undefined;
  }
  const content = body?.content;
  const types = isRecord(content) ? Object.keys(content) : [];
  return types.find((type) => type === 'application/json') ?? types.find((type) => /[/+]json\b/.test(type)) ?? types[0];
}
