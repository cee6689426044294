/**
 * Problems found while generating. Stages collect them instead of throwing, so
 * one run reports every mistake in the spec and the config at once; the CLI
 * prints them and decides the exit code. Throw only for our own bugs.
 */

export type IssueSeverity = 'error' | 'warning' | 'info';

export interface Issue {
  /** Stable machine-readable code, e.g. `config.unknown-operation`, `lower.pattern-dropped`. */
  readonly code: string;
  readonly severity: IssueSeverity;
  /** The file the problem is in (spec or config), relative to the working directory when possible. */
  readonly file: string;
  /** JSON pointer into that file, e.g. `#/paths/~1v1~1orders/post/requestBody`. */
  readonly pointer: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** What to do about it; empty when nothing needs doing (info). */
  readonly fix: string;
  /** 1-based line in `file`, when the loader could map the pointer. */
  readonly line?: number;
}

export interface StageResult<T> {
  readonly value: T;
  readonly issues: readonly Issue[];
}

/** Escapes one JSON-pointer token (RFC 6901 §3). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, ...tokens: readonly (string | number)[]): string {
  return tokens.reduce<string>((pointer, token) => `${pointer}/${escapePointerToken(String(token))}`, base);
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

/** `spec/tools.yaml:12 #/tools/3/name error: message. Fix: fix` */
export function formatIssue(issue: Issue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  const fix = issue.fix ? ` Fix: ${issue.fix}` : '';
  return `${where} ${issue.pointer} ${issue.severity} [${issue.code}]: ${issue.message}${fix}`;
}
