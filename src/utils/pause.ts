const PAUSE = Symbol.for('arshai.pause');

/**
 * Thrown to stop work that waits for someone (a workflow node's interrupt, a tool call waiting
 * for approval). Not an error: retries, fallbacks, tools, agents and patterns let it through,
 * and a stream ends on it without an `error` event.
 */
export class Pause {
  readonly [PAUSE] = true;

  constructor(readonly payload: unknown) {}

  /** Whether `value` is a pause (also one from another copy of arshai). */
  static isInstance(value: unknown): value is Pause {
    return typeof value === 'object' && value !== null && PAUSE in value;
  }
}
