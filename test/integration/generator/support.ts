/** Runs the generator pipeline on files, as the CLI would, without touching generated/. */
import { readFile } from 'node:fs/promises';
import { generate, type GenerateInput, type GenerateResult } from '../../../generator/pipeline.js';

export async function generateFromFiles(specFile: string, configFile: string | undefined, extra: Partial<GenerateInput> = {}): Promise<GenerateResult> {
  return generate({
    specFile,
    specText: await readFile(specFile, 'utf8'),
    configFile: configFile ?? '(none)',
    configText: configFile ? await readFile(configFile, 'utf8') : undefined,
    all: configFile === undefined,
    ...extra,
  });
}
