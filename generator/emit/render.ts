/**
 * Handlebars with `noEscape` and three helpers, and nothing else, so text from
 * a spec can only reach generated code as a JSON literal:
 * - `{{json x}}`: `JSON.stringify(x, null, 2)`;
 * - `{{ident x}}`: an identifier, checked against `^[A-Za-z_$][A-Za-z0-9_$]*$`;
 * - `{{schemaType s}}`: the TypeScript type of JSON Schema `s`
 *   (`schema-type.ts`), whose names and literals are JSON literals.
 * Templates hold layout only; `view-model.ts` decides everything.
 */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaType } from './schema-type.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function checkedIdentifier(value: unknown): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new Error(`Generator bug: ${JSON.stringify(value)} is not a safe identifier`);
  }
  return value;
}

function createEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  engine.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2) ?? 'undefined');
  engine.registerHelper('ident', (value: unknown) => checkedIdentifier(value));
  engine.registerHelper('schemaType', (value: unknown) => schemaType(value));
  return engine;
}

const engine = createEngine();
const TEMPLATE_DIR = fileURLToPath(new URL('./templates/', import.meta.url));

export const TEMPLATE_NAMES = ['tool-module', 'index', 'client'] as const;
type TemplateName = (typeof TEMPLATE_NAMES)[number];

export function templateSource(name: TemplateName): string {
  return readFileSync(`${TEMPLATE_DIR}${name}.hbs`, 'utf8');
}

const compiled = new Map<TemplateName, HandlebarsTemplateDelegate>();

export function render(name: TemplateName, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    template = engine.compile(templateSource(name), { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(view);
}
