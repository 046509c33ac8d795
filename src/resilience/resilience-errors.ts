import { ArshaiError } from '../errors/arshai-error.js';

/**
 * The circuit breaker is open: calls fail fast until `retryAfterMs` passes (a retry policy
 * outside the breaker waits that long).
 */
export class CircuitOpenError extends ArshaiError {
  static override readonly code: string = 'CircuitOpenError';

  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super(`The circuit is open; next probe in ${Math.max(0, Math.round(retryAfterMs))} ms`, {
      retryable: true,
    });
    this.retryAfterMs = Math.max(0, retryAfterMs);
  }
}

/** The bulkhead's slots and queue are full. */
export class BulkheadRejectedError extends ArshaiError {
  static override readonly code: string = 'BulkheadRejectedError';

  constructor(maxConcurrent: number) {
    super(`The bulkhead is full (${maxConcurrent} running and its queue full)`, {
      retryable: true,
    });
  }
}

/** Every attempt of a fallback chain failed; `errors` holds each failure in order. */
export class AllAttemptsFailedError extends ArshaiError {
  static override readonly code: string = 'AllAttemptsFailedError';

  readonly errors: unknown[];

  constructor(errors: unknown[], what = 'attempts') {
    super(`All ${errors.length} ${what} failed`, { cause: errors.at(-1) });
    this.errors = errors;
  }
}
