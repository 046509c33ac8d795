import { StoreError } from '../errors/store-error.js';

/**
 * Stored JSON read back: text that does not parse means the store is damaged, a typed,
 * non-retryable `StoreError` naming the store and what was read (never a bare `SyntaxError`).
 *
 * @example
 * ```ts
 * const checkpoint = parseStored<Checkpoint>(raw, 'redis', 'checkpoints.getLatest of run "r1"');
 * ```
 */
export function parseStored<T>(json: string, store: string, operation: string): T {
  try {
    return JSON.parse(json) as T;
  } catch (error) {
    throw new StoreError(
      `The ${store} store is damaged: ${operation} read stored data that is not valid JSON`,
      { store, operation, retryable: false, cause: error },
    );
  }
}
