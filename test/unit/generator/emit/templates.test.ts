import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { checkedIdentifier, templateSource, TEMPLATE_NAMES } from '../../../../generator/emit/render.js';

// Handlebars types every AST node with a plain `type: string`, so each kind is told apart by its `type` here.
const isProgram = (node: hbs.AST.Node): node is hbs.AST.Program => node.type === 'Program';
const isMustache = (node: hbs.AST.Node): node is hbs.AST.MustacheStatement => node.type === 'MustacheStatement';
const isBlock = (node: hbs.AST.Node): node is hbs.AST.BlockStatement => node.type === 'BlockStatement';
const isPartial = (node: hbs.AST.Node): node is hbs.AST.PartialStatement => node.type === 'PartialStatement';
const isPath = (node: hbs.AST.Node): node is hbs.AST.PathExpression => node.type === 'PathExpression';
/** The name a path expression spells; a literal in its place is reported as such. */
const pathName = (node: hbs.AST.Node): string => (isPath(node) ? node.original : `(${node.type})`);

/** Every mustache in a template, as `helper name` or `#each`/`/each`/`> partial`. */
function mustaches(source: string): string[] {
  const found: string[] = [];
  const visit = (node: hbs.AST.Node) => {
    switch (node.type) {
      case 'Program':
        if (isProgram(node)) node.body.forEach(visit);
        break;
      case 'MustacheStatement': {
        if (!isMustache(node)) break;
        const mustache = node;
        if (!mustache.escaped) found.push('triple-stash');
        const path = pathName(mustache.path);
        found.push(mustache.params.length > 0 ? `helper ${path}` : `bare ${path}`);
        break;
      }
      case 'BlockStatement': {
        if (!isBlock(node)) break;
        const block = node;
        const name = pathName(block.path);
        // A condition is one plain value the view model computed: no helper call, no sub-expression.
        const plain = block.params.length === 1 && block.params[0]?.type === 'PathExpression';
        found.push(name === 'if' && !plain ? '#if (computed)' : `#${name}`);
        if (block.program) visit(block.program);
        if (block.inverse) {
          found.push('else');
          visit(block.inverse);
        }
        break;
      }
      case 'PartialStatement':
        if (isPartial(node)) found.push(`> ${pathName(node.name)}`);
        break;
      case 'ContentStatement':
      case 'CommentStatement':
        break;
      default:
        found.push(node.type);
    }
  };
  visit(Handlebars.parse(source));
  return found;
}

describe('templates', () => {
  // Layout only: `#if`/`else` test a flag or value the view model decided (`view-model.ts`), never a computed condition.
  it.each(TEMPLATE_NAMES)('%s uses only json, ident, schemaType, #each and #if on a view-model value', (name) => {
    const allowed = new Set(['helper json', 'helper ident', 'helper schemaType', '#each', '#if', 'else']);
    const used = mustaches(templateSource(name));
    expect(used.filter((entry) => !allowed.has(entry))).toEqual([]);
  });
});

describe('the layout-only check', () => {
  it('refuses a computed condition and a bare (unescaped, helper-less) value', () => {
    expect(mustaches('{{#if (json x)}}a{{else}}{{{y}}}{{/if}}')).toEqual(['#if (computed)', 'else', 'triple-stash', 'bare y']);
  });
});

describe('identifier and type helpers', () => {
  it.each(['a-b', '1abc', 'x;alert(1)', '', 'a b'])('refuses %j as an identifier', (value) => {
    expect(() => checkedIdentifier(value)).toThrow(/not a safe identifier/);
  });
});
