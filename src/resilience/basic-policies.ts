import { abortErrorFrom, linkedController, raceAbort, throwIfAborted } from '../utils/abort.js';
import { createLimiter } from '../utils/limiter.js';
import { checkCount, checkTimeoutMs } from '../utils/option-checks.js';
import { Pause } from '../utils/pause.js';
import { type RetryOptions, retry } from '../utils/retry.js';
import type { Policy } from './policy.js';
import { signalOrNever } from './policy.js';
import { AllAttemptsFailedError, BulkheadRejectedError } from './resilience-errors.js';

/**
 * Retries failures the `shouldRetry` predicate accepts (default: typed errors marked
 * `retryable`), with exponential backoff and jitter, honouring `retryAfterMs`.
 *
 * @example
 * ```ts
 * const policy = retryPolicy({ maxRetries: 3, initialDelayMs: 200, shouldRetry: () => true });
 * ```
 */
export function retryPolicy(options: RetryOptions = {}): Policy {
  return {
    execute: (operation, signal) =>
      retry((_attempt, s) => operation(signalOrNever(s)), options, signal),
  };
}

/**
 * Limits each call to `timeoutMs`: past it the operation's signal aborts and the call rejects
 * with a `TimeoutError` (the work is told to stop, not abandoned).
 */
export function timeoutPolicy(timeoutMs: number, what = 'The operation'): Policy {
  checkTimeoutMs(timeoutMs ?? Number.NaN, 'timeoutMs');
  return {
    async execute(operation, signal) {
      throwIfAborted(signal);
      const limit = linkedController(signal, timeoutMs, what);
      try {
        return await raceAbort(operation(limit.signal), limit.signal);
      } finally {
        limit.dispose();
      }
    },
  };
}

/** Options of {@link bulkheadPolicy}. */
export interface BulkheadOptions {
  /** Calls running at once. */
  maxConcurrent: number;
  /**
   * Calls allowed to wait for a slot; past it calls are rejected at once.
   * @default Infinity
   */
  maxQueued?: number;
}

/**
 * A bulkhead: at most `maxConcurrent` calls run at once, at most `maxQueued` wait; others get
 * a `BulkheadRejectedError` (retryable).
 */
export function bulkheadPolicy(options: BulkheadOptions): Policy {
  checkCount(options.maxConcurrent, 'maxConcurrent');
  if (options.maxQueued !== Number.POSITIVE_INFINITY) checkCount(options.maxQueued, 'maxQueued', 0);
  const limiter = createLimiter(options.maxConcurrent, 'maxConcurrent');
  const maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
  let inFlight = 0;
  return {
    async execute(operation, signal) {
      if (inFlight >= options.maxConcurrent + maxQueued)
        throw new BulkheadRejectedError(options.maxConcurrent);
      inFlight++;
      try {
        return await limiter(() => {
          throwIfAborted(signal);
          return operation(signalOrNever(signal));
        }, signal);
      } finally {
        inFlight--;
      }
    },
  };
}

/**
 * Fallback: runs each attempt in order until one succeeds, and says which one did. Every
 * failure is kept; when all fail, an `AllAttemptsFailedError` carries them all.
 *
 * @example
 * ```ts
 * const { value, index } = await withFallback([(s) => primary(s), (s) => backup(s)]);
 * ```
 */
export async function withFallback<T>(
  attempts: Array<(signal: AbortSignal) => Promise<T>>,
  signal?: AbortSignal,
  /** What the attempts are, for the error message. @default 'attempts' */
  what = 'attempts',
): Promise<{ value: T; index: number; errors: unknown[] }> {
  const errors: unknown[] = [];
  for (const [index, attempt] of attempts.entries()) {
    throwIfAborted(signal);
    try {
      return { value: await attempt(signalOrNever(signal)), index, errors };
    } catch (error) {
      if (signal?.aborted) throw abortErrorFrom(signal);
      if (Pause.isInstance(error)) throw error; // waiting for someone is not a failure
      errors.push(error);
    }
  }
  throw new AllAttemptsFailedError(errors, what);
}
