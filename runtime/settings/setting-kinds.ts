/**
 * The kinds of value a setting can hold, as builders for the declaration
 * table (`settings.ts`): each returns a `Setting` that carries its own
 * documentation (accepted form, default, whether production requires it,
 * one-line meaning) and its reader. A reader gets the trimmed raw value
 * (undefined when unset) and returns the typed value or throws a
 * `ConfigError` naming the variable and the accepted form. Secret settings
 * never put their value into a message.
 *
 * This module does not read the environment (`config.ts` does) and knows no
 * setting by name.
 */
import { ConfigError } from './config-error.js';

export interface SettingDoc {
  /** The environment variable. */
  readonly name: string;
  /** README "Default" column. */
  readonly defaultText: string;
  /** `required`: the production entry refuses to start without it. */
  readonly production: 'required' | 'optional';
  /** `demo`: only `npm start`'s embedded-sandbox run reads it. */
  readonly entries: 'all' | 'demo';
  /** Its value must never appear in a message or log. */
  readonly secret: boolean;
  /** README "Meaning" column: one line. */
  readonly description: string;
}

export interface Setting<T> extends SettingDoc {
  read(raw: string | undefined): T;
}

interface Common {
  readonly description: string;
  readonly production?: 'required' | 'optional';
  readonly entries?: 'all' | 'demo';
  readonly defaultText?: string;
}

function doc(name: string, common: Common, defaultText: string, secret = false): SettingDoc {
  return {
    name,
    defaultText: common.defaultText ?? defaultText,
    production: common.production ?? 'optional',
    entries: common.entries ?? 'all',
    secret,
    description: common.description,
  };
}

/** Splits a comma list: entries trimmed, blank entries dropped. The one comma-list parser of the settings. */
export function commaList(raw: string): string[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function checkWholeNumber(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`);
  return Number(raw);
}

export function wholeNumber(name: string, options: Common & { readonly default: number; readonly min: number; readonly max: number }): Setting<number> {
  return {
    ...doc(name, options, String(options.default)),
    read: (raw) => (raw === undefined ? options.default : checkWholeNumber(name, raw, options.min, options.max)),
  };
}

export function optionalWholeNumber(name: string, options: Common & { readonly min: number; readonly max: number }): Setting<number | undefined> {
  return { ...doc(name, options, 'none'), read: (raw) => (raw === undefined ? undefined : checkWholeNumber(name, raw, options.min, options.max)) };
}

/** `on` / `off`, any case. */
export function onOff(name: string, options: Common & { readonly default: boolean }): Setting<boolean> {
  return {
    ...doc(name, options, options.default ? '`on`' : '`off`'),
    read: (raw) => {
      const value = raw?.toLowerCase();
      if (value === undefined) return options.default;
      if (value === 'on') return true;
      if (value === 'off') return false;
      throw new ConfigError(`${name} must be on or off; got ${JSON.stringify(value)}`);
    },
  };
}

/** One of a fixed list of words, any case. */
export function oneOf<const T extends string>(
  name: string,
  options: Common & { readonly values: readonly T[]; readonly default: T; readonly joiner?: string },
): Setting<T> {
  return {
    ...doc(name, options, `\`${options.default}\``),
    read: (raw) => {
      const value = raw?.toLowerCase();
      if (value === undefined) return options.default;
      const found = options.values.find((candidate) => candidate === value);
      if (found === undefined) {
        const forms = options.values.length === 2 ? options.values.join(' or ') : `one of ${options.values.join(', ')}`;
        throw new ConfigError(`${name} must be ${forms}; got ${JSON.stringify(value)}`);
      }
      return found;
    },
  };
}

/** Free text with a default (a host name, a demo credential); `pattern` and `form` say what is accepted. */
export function text<const D extends string | undefined>(
  name: string,
  options: Common & { readonly default: D; readonly pattern?: RegExp; readonly form?: string },
): Setting<string | D> {
  return {
    ...doc(name, options, options.default === undefined ? 'none' : `\`${options.default}\``),
    read: (raw) => {
      if (raw === undefined) return options.default;
      if (options.pattern !== undefined && !options.pattern.test(raw))
        throw new ConfigError(`${name} must be ${options.form ?? `text matching ${options.pattern.source}`}; got ${JSON.stringify(raw)}`);
      return raw;
    },
  };
}

/** Any other shape: the reader is given, it must throw `ConfigError`s naming the variable. */
export function custom<T>(
  name: string,
  options: Common & { readonly defaultText: string; readonly secret?: boolean },
  read: (raw: string | undefined) => T,
): Setting<T> {
  return { ...doc(name, options, options.defaultText, options.secret ?? false), read };
}
