/**
 * Handlebars with `noEscape` and three helpers, and nothing else, so text from
 * a spec can only reach generated code as a JSON literal:
 * - `{{json x}}`: `JSON.stringify(x, null, 2)`;
 * - `{{ident x}}`: an identifier, checked against `^[A-Za-z_$][A-Za-z0-9_$]*$`;
 * - `{{typeRef r}}`: an indexed type `NonNullable<Base["a"]>["b"]` from an
 *   identifier and JSON-quoted keys.
 * Templates hold layout only; `view-model.ts` decides everything.
 */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export interface TypeRef {
  readonly base: string;
  readonly keys: readonly string[];
}

export function checkedIdentifier(value: unknown): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new Error(`Generator bug: ${JSON.stringify(value)} is not a safe identifier`);
  }
  return value;
}

/** `Base["a"]` then `NonNullable<...>["b"]` for every further key: optional levels may be undefined. */
export function renderTypeRef(ref: TypeRef): string {
  let expression = checkedIdentifier(ref.base);
  ref.keys.forEach((key, index) => {
    const target = index === 0 ? expression : `NonNullable<${expression}>`;
    expression = `${target}[${JSON.stringify(key)}]`;
  });
  return expression;
}

function createEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  engine.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2) ?? 'undefined');
  engine.registerHelper('ident', (value: unknown) => checkedIdentifier(value));
  engine.registerHelper('typeRef', (value: TypeRef) => renderTypeRef(value));
  return engine;
}

const engine = createEngine();
const TEMPLATE_DIR = fileURLToPath(new URL('./templates/', import.meta.url));

export const TEMPLATE_NAMES = ['tool-module', 'index', 'client', 'body-node'] as const;
type TemplateName = (typeof TEMPLATE_NAMES)[number];

export function templateSource(name: TemplateName): string {
  return readFileSync(`${TEMPLATE_DIR}${name}.hbs`, 'utf8');
}

engine.registerPartial('bodyNode', templateSource('body-node').trim());
const compiled = new Map<TemplateName, HandlebarsTemplateDelegate>();

export function render(name: Exclude<TemplateName, 'body-node'>, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    template = engine.compile(templateSource(name), { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(view);
}
