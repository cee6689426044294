/**
 * Final argument names: `^[a-zA-Z0-9_-]{1,64}$`, unique, predictable.
 *
 * - Name segments are joined with `_`; other characters become `_`; names are
 *   cut to 64 characters.
 * - The first argument keeps a name; a later one that collides gets `_<in>`
 *   (`id_query`, `id_body`), then `_<in>_2`, `_<in>_3`, ... while still taken.
 * - Every change is a note.
 */
import type { LowerArgument } from './lower-argument.js';
import type { NoteBook } from './lower-context.js';

export const ARGUMENT_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_NAME_LENGTH = 64;

export interface NamedArgument extends LowerArgument {
  readonly name: string;
}

export function assignArgumentNames(args: readonly LowerArgument[], notes: NoteBook): NamedArgument[] {
  const taken = new Set<string>();
  return args.map((arg) => {
    const wanted = arg.segments.join('_');
    const clean = sanitizeName(wanted);
    if (clean !== wanted) notes.add(`renamed ${arg.in} "${wanted}" to "${clean}" (allowed characters: a-z A-Z 0-9 _ -, at most 64)`);
    let name = clean;
    for (let attempt = 1; taken.has(name); attempt += 1) {
      name = withSuffix(clean, attempt === 1 ? `_${arg.in}` : `_${arg.in}_${attempt}`);
    }
    if (name !== clean) notes.add(`renamed ${arg.in} "${clean}" to "${name}" (the name is taken by an earlier argument)`);
    taken.add(name);
    return { ...arg, name };
  });
}

export function sanitizeName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_NAME_LENGTH);
  return clean === '' ? 'arg' : clean;
}

function withSuffix(base: string, suffix: string): string {
  return `${base.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
}
