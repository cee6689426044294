/**
 * Golden files: the generated output of a small fixture spec, one real file
 * per output (typechecked with the rest of the project by typecheck.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../../generator/issues.js';
import { generateFromFiles } from './support.js';

describe('golden output for test/fixtures/specs/golden/shop', () => {
  it('matches the committed golden files', async () => {
    const result = await generateFromFiles('test/fixtures/specs/golden/shop.openapi.yaml', 'test/fixtures/specs/golden/shop.tools.yaml', {
      runtimeImport: '../../../runtime',
    });
    expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(hasErrors(result.issues)).toBe(false);
    for (const [file, content] of result.files) {
      await expect(content).toMatchFileSnapshot(`../../golden/shop/${file}`);
    }
  });
});
