import { InvalidInputError } from '../errors/invalid-input-error.js';

/**
 * Checks a time limit option: `undefined` (no limit) or a positive, finite number of
 * milliseconds. Every time limit in arshai is checked by this one rule.
 *
 * @example
 * ```ts
 * checkTimeoutMs(options.timeoutMs, 'timeoutMs'); // throws InvalidInputError for -5, 0, NaN
 * ```
 */
export function checkTimeoutMs(value: unknown, field: string): asserts value is number | undefined {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidInputError(field, 'must be a positive number of milliseconds');
  }
}

/** Checks a count option: `undefined` or an integer of at least `min` (1 unless said). */
export function checkCount(
  value: unknown,
  field: string,
  min = 1,
): asserts value is number | undefined {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidInputError(
      field,
      min === 0 ? 'must be a non-negative integer' : `must be an integer of at least ${min}`,
    );
  }
}
