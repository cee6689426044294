/**
 * One tool argument while lowering is still deciding its final name: where it
 * comes from upstream, its schema and whether it is required.
 */
import type { ArgumentRoute } from '../../runtime/contract/tool-definition.js';

export type ArgumentIn = ArgumentRoute['in'];

export interface LowerArgument {
  /** Name parts shown to the model, joined with `_` (`['order', 'price']` gives `order_price`). */
  readonly segments: readonly string[];
  /** Override key and upstream name: the parameter name, the dotted body path, or `body` for a whole body. */
  readonly key: string;
  readonly in: ArgumentIn;
  /** Path inside the JSON body, only for `in: 'body'` (`[]` is the whole body). */
  readonly bodyPath?: readonly string[];
  readonly schema: unknown;
  readonly required: boolean;
  /** Where the argument is described in the spec, for issues. */
  readonly pointer: string;
  /** The value arrives as a JSON string and is parsed before the call. */
  readonly jsonString?: boolean;
  /** The root argument this one was flattened from; absent for root arguments. */
  readonly root?: LowerArgument;
}

export const ARGUMENT_ORDER: readonly ArgumentIn[] = ['path', 'query', 'header', 'body'];
