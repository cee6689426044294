/**
 * How many tokens a model will likely count for a piece of JSON text: its
 * UTF-8 bytes divided by 4, the usual rule of thumb for JSON-heavy English
 * text (real tokenizers differ by tens of percent, so budgets built on it keep
 * a margin). One estimate for the whole project: the result budget of tool
 * answers (`RESULT_BUDGET_TOKENS`, against Claude's 25,000-token limit on a
 * tool result) and the bench's tool-surface figures use it alike.
 */

export const BYTES_PER_TOKEN = 4;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
