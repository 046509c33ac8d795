import { ArshaiError } from './arshai-error.js';

/** What {@link StoreError} takes. */
export interface StoreErrorOptions {
  /** The store, e.g. `redis`, `sqlite`. */
  store: string;
  /** What was being done, e.g. `memory.store`, `checkpoints.put`. */
  operation: string;
  /** `true` for outages and timeouts (try again later), `false` for refused commands. */
  retryable: boolean;
  cause?: unknown;
}

/**
 * A storage backend (Redis, SQLite, ...) could not do what was asked: unreachable, too slow,
 * or it refused the command. `retryable` tells an outage from a refusal.
 *
 * @example
 * ```ts
 * try { await memory.store(input) } catch (e) {
 *   if (StoreError.isInstance(e) && e.retryable) console.log(`${e.store} is down; retry later`);
 * }
 * ```
 */
export class StoreError extends ArshaiError {
  static override readonly code: string = 'StoreError';

  readonly store: string;
  readonly operation: string;

  constructor(message: string, options: StoreErrorOptions) {
    super(message, { cause: options.cause, retryable: options.retryable });
    this.store = options.store;
    this.operation = options.operation;
  }
}
