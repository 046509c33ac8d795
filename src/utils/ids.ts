import { InvalidInputError } from '../errors/invalid-input-error.js';

const ID = /^[A-Za-z0-9_.@+=-]{1,128}$/;

/**
 * Throws `InvalidInputError` unless `value` is a safe id: 1-128 characters of letters, digits
 * and `_ . @ + = -`, no `..` (so no `*`, `:`, `/`, spaces, or text that is not plain ASCII).
 * The one rule for every id a store keys by: conversations, entries, namespaces, users, runs.
 *
 * @example
 * ```ts
 * assertId('order-42', 'runId'); // passes; 'run:42' throws InvalidInputError naming runId
 * ```
 */
export function assertId(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !ID.test(value) || value.includes('..')) {
    throw new InvalidInputError(
      field,
      'must be 1-128 characters of letters, digits, _ - . @ + = (no "..")',
    );
  }
}
