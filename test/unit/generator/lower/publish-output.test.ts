import { describe, expect, it } from 'vitest';
import { createLowerContext } from '../../../../generator/lower/lower-context.js';
import { MAX_PUBLISHED_OUTPUT_BYTES, publishOutput } from '../../../../generator/lower/publish-output.js';

const fields = (count: number): Record<string, unknown> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`field_${i}`, { type: 'string' }]));

describe('publishOutput (outputSchemaDetail: types-within-budget)', () => {
  it.each([
    [
      'a small typed schema is published as is, with nothing else to check',
      {
        given: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
        want: { published: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } },
      },
    ],
    [
      'nullable array items become anyOf of single types, properties kept in the typed branch',
      {
        given: { type: 'object', properties: { rows: { type: 'array', items: { type: ['object', 'null'], properties: { t: { type: 'number' } } } } } },
        want: {
          published: {
            type: 'object',
            properties: { rows: { type: 'array', items: { anyOf: [{ type: 'object', properties: { t: { type: 'number' } } }, { type: 'null' }] } } },
          },
        },
      },
    ],
    [
      'a nullable scalar item',
      {
        given: { type: 'object', properties: { closes: { type: 'array', items: { type: ['number', 'null'] } } } },
        want: { published: { type: 'object', properties: { closes: { type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'null' }] } } } } },
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const ctx = createLowerContext({}, 'spec.yaml');
    expect(publishOutput(given, ctx)).toEqual(want);
    expect(ctx.notes.render()).toEqual([]);
  });

  it('a typed schema over the budget publishes a bare object, keeps the typed one for the check and says so', () => {
    const ctx = createLowerContext({}, 'spec.yaml');
    const typed = { type: 'object', properties: fields(40) };
    const bytes = JSON.stringify(typed).length;
    expect(bytes).toBeGreaterThan(MAX_PUBLISHED_OUTPUT_BYTES);
    expect(publishOutput(typed, ctx)).toEqual({ published: { type: 'object' }, validation: typed });
    expect(ctx.notes.render()).toEqual([
      `published the output schema as { type: object }: the typed one is ${bytes} bytes, over ${MAX_PUBLISHED_OUTPUT_BYTES}; results are still checked against it`,
    ]);
  });

  it('never publishes a node without a validation keyword (the Inspector warns on {}) when the typed schema has none', () => {
    const ctx = createLowerContext({}, 'spec.yaml');
    const { published } = publishOutput(
      { type: 'object', properties: { a: { type: 'array', items: { type: ['string', 'null'] } }, b: { type: 'boolean' } } },
      ctx,
    );
    expect(JSON.stringify(published)).not.toContain('{}');
  });
});
