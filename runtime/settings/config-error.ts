/**
 * The one error a setting problem raises. Its message names the variable, what
 * is wrong and the accepted form (never a secret's value); the entries print
 * it as one line and exit 1. Its own module so the built start file and the
 * mode switch can name it without loading the settings table.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The environment, or any map read like it (tests pass their own). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The variable's trimmed value, or undefined when unset or blank: blank counts as unset everywhere. */
export function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
