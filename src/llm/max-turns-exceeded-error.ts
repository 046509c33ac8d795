import { ArshaiError } from '../errors/arshai-error.js';
import type { Message } from './message.js';
import type { Usage } from './usage.js';

/**
 * The model was still calling tools after `maxTurns` round trips. Carries the partial
 * transcript and the usage spent so far.
 *
 * @example
 * ```ts
 * if (MaxTurnsExceededError.isInstance(e)) console.log(e.maxTurns, e.usage.totalTokens);
 * ```
 */
export class MaxTurnsExceededError extends ArshaiError {
  static override readonly code: string = 'MaxTurnsExceededError';

  readonly maxTurns: number;
  /** The partial transcript (not enumerable: `JSON.stringify(error)` leaves it out). */
  declare readonly messages: Message[];
  readonly usage: Usage;

  constructor(maxTurns: number, messages: Message[], usage: Usage) {
    super(`The model did not finish within maxTurns=${maxTurns} round trips`);
    this.maxTurns = maxTurns;
    this.usage = usage;
    // Reachable, never serialised: JSON loggers must not record prompts and tool arguments.
    Object.defineProperty(this, 'messages', { value: messages, enumerable: false });
  }
}
