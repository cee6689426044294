import { describe, expect, it } from 'vitest';
import { jsonPointerLines } from '../../../../generator/load/json-pointer-lines.js';
import { parseSource } from '../../../../generator/load/source-map.js';

const TEXT = `{
  "openapi": "3.1.0",
  "paths": {
    "/a/{id}": {
      "get": {
        "parameters": [
          { "name": "id", "in": "path" },
          {
            "name": "q~x",
            "in": "query"
          }
        ]
      }
    }
  },
  "components": { "schemas": { "A": { "type": "object" } } },
  "tags": [[1, 2], [3,
    4]]
}
`;

describe('jsonPointerLines', () => {
  it.each([
    ['the root', '#', 1],
    ['a top-level scalar', '#/openapi', 2],
    ['a path with an escaped "/"', '#/paths/~1a~1{id}', 4],
    ['an object value on the key line', '#/paths/~1a~1{id}/get', 5],
    ['an array element on one line', '#/paths/~1a~1{id}/get/parameters/0', 7],
    ['a property of a later array element', '#/paths/~1a~1{id}/get/parameters/1/in', 10],
    ['a nested one-line object', '#/components/schemas/A/type', 16],
    ['an element of a nested array that wraps', '#/tags/1/1', 18],
    ['a missing property: its parent', '#/paths/~1a~1{id}/get/responses', 5],
    ['a missing index: its array', '#/paths/~1a~1{id}/get/parameters/7', 6],
    ['a missing top-level key: the root', '#/webhooks', 1],
  ])('%s (%s) is on line %i', (_name, pointer, line) => {
    expect(parseSource(TEXT).sourceMap.lineOf(pointer)).toBe(line);
  });

  it('answers many pointers in one pass, in the order asked, repeated pointers included', () => {
    const pointers = ['#/tags/0', '#/openapi', '#/tags/0', '#/paths/~1a~1{id}/get/parameters/1/name'];
    expect(parseSource(TEXT).sourceMap.linesOf(pointers)).toEqual([17, 2, 17, 9]);
  });

  it('decodes "~0" as "~" and "~1" as "/" (RFC 6901 §4) before matching keys', () => {
    const text = '{\n  "a~/b": {\n    "c": 1\n  }\n}';
    expect(jsonPointerLines(text, [['a~/b', 'c']])).toEqual([3]);
    expect(parseSource(text).sourceMap.lineOf('#/a~0~1b/c')).toBe(3);
  });

  it.each([
    ['strings with escaped quotes and brackets before the target', '{\n  "a": "x\\\\\\"}]{[",\n  "b": ["\\\\", {"c": "\\"]"}],\n  "d": 1\n}', ['d'], 4],
    ['a key written with an escape', '{\n  "k\\u0065y": {\n    "v": null\n  }\n}', ['key', 'v'], 3],
    ['numbers, true, false and null skipped', '{"n": [-1.5e3, true,\nfalse, null,\n  "x"]}', ['n', '4'], 3],
    ['a missing member of an empty object', '{\n  "e": {},\n  "z": 0\n}', ['e', 'q'], 2],
  ])('skips %s', (_name, text, tokens, line) => {
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(jsonPointerLines(text, [tokens])).toEqual([line]);
  });

  it('gives the same lines as the YAML source map for the same document', () => {
    // The YAML path (taken for text that does not start with "{" or "[") was the only map before; a comment line
    // first sends the same JSON through it, one line lower.
    const pointers = ['#/paths/~1a~1{id}/get/parameters/1/in', '#/tags/1/1', '#/components/schemas/A', '#/paths/~1a~1{id}/get/nope'];
    const viaYaml = parseSource(`# comment\n${TEXT}`).sourceMap.linesOf(pointers);
    expect(
      parseSource(TEXT)
        .sourceMap.linesOf(pointers)
        .map((line) => (line ?? 0) + 1),
    ).toEqual(viaYaml);
  });
});
