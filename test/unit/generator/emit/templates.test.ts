import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { checkedIdentifier, renderTypeRef, templateSource, TEMPLATE_NAMES } from '../../../../generator/emit/render.js';

/** Every mustache in a template, as `helper name` or `#each`/`/each`/`> partial`. */
function mustaches(source: string): string[] {
  const found: string[] = [];
  const visit = (node: hbs.AST.Node) => {
    switch (node.type) {
      case 'Program':
        (node as hbs.AST.Program).body.forEach(visit);
        break;
      case 'MustacheStatement': {
        const mustache = node as hbs.AST.MustacheStatement;
        if (!mustache.escaped) found.push('triple-stash');
        const path = (mustache.path as hbs.AST.PathExpression).original;
        found.push(mustache.params.length > 0 ? `helper ${path}` : `bare ${path}`);
        break;
      }
      case 'BlockStatement': {
        const block = node as hbs.AST.BlockStatement;
        found.push(`#${(block.path as hbs.AST.PathExpression).original}`);
        if (block.program) visit(block.program);
        if (block.inverse) found.push('else');
        break;
      }
      case 'PartialStatement':
        found.push(`> ${((node as hbs.AST.PartialStatement).name as hbs.AST.PathExpression).original}`);
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
  it.each(TEMPLATE_NAMES)('%s uses only json, ident, typeRef, #each and partials', (name) => {
    const allowed = new Set(['helper json', 'helper ident', 'helper typeRef', '#each', '> bodyNode']);
    const used = mustaches(templateSource(name));
    expect(used.filter((entry) => !allowed.has(entry))).toEqual([]);
  });
});

describe('identifier and type helpers', () => {
  it.each(['a-b', '1abc', 'x;alert(1)', '', 'a b'])('refuses %j as an identifier', (value) => {
    expect(() => checkedIdentifier(value)).toThrow(/not a safe identifier/);
  });

  it('renders indexed types with JSON-quoted keys', () => {
    expect(renderTypeRef({ base: 'Operation', keys: ['parameters', 'query', 'a"b'] })).toBe(
      'NonNullable<NonNullable<Operation["parameters"]>["query"]>["a\\"b"]',
    );
  });
});
