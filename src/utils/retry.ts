import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { abortErrorFrom, sleep, throwIfAborted } from './abort.js';
import { Pause } from './pause.js';

/** Information about a retry about to happen. */
export interface RetryEvent {
  /** The attempt that failed (1-based). */
  attempt: number;
  error: unknown;
  /** How long the retry waits before the next attempt. */
  delayMs: number;
}

/** How to repeat a failing operation. */
export interface RetryOptions {
  /**
   * Retries after the first attempt (`0` makes exactly one attempt).
   * @default 2
   */
  maxRetries?: number;
  /**
   * Base delay before the first retry.
   * @default 500
   */
  initialDelayMs?: number;
  /**
   * Upper bound of one backoff delay.
   * @default 30000
   */
  maxDelayMs?: number;
  /**
   * Multiplier between consecutive delays.
   * @default 2
   */
  factor?: number;
  /**
   * `true` waits a random time between half and all of the backoff delay (avoids herds).
   * @default true
   */
  jitter?: boolean;
  /**
   * Longest server-requested wait (`Retry-After`) honoured; a longer one fails at once.
   * @default 60000
   */
  maxRetryAfterMs?: number;
  /**
   * Whether an error is worth another attempt.
   * @default the error's `retryable` flag (typed arshai errors); other errors are not retried
   */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Called before each wait; for logging and metrics. */
  onRetry?: (event: RetryEvent) => void;
  /**
   * How to wait `ms` before the next attempt; must reject when `signal` aborts. Tests pass a
   * recording stand-in instead of real waits.
   * @default a timer (`sleep(ms, signal)`)
   */
  delay?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** @internal Random source in [0, 1), for tests. */
  random?: () => number;
}

/** The delay before retry number `attempt` (1-based), honouring a server's `retryAfterMs`. */
export function retryDelay(attempt: number, error: unknown, options: RetryOptions = {}): number {
  const retryAfter = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof retryAfter === 'number' && retryAfter >= 0) return retryAfter;
  const initial = options.initialDelayMs ?? 500;
  const base = Math.min(
    options.maxDelayMs ?? 30_000,
    initial * (options.factor ?? 2) ** (attempt - 1),
  );
  if (options.jitter === false) return base;
  return base / 2 + (options.random ?? Math.random)() * (base / 2);
}

/**
 * The one rule of what is worth repeating: an error whose `retryable` flag is `true` — every
 * arshai error has one (rate limits, outages and provider timeouts set it), and your own
 * errors may carry one too. Used by `retry`'s default and by workflow nodes.
 *
 * @example
 * ```ts
 * isRetryableError(new ProviderError('busy', { provider: 'openai', status: 429 })); // true
 * ```
 */
export function isRetryableError(error: unknown): boolean {
  if (ArshaiError.isInstance(error)) return error.retryable;
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { retryable?: unknown }).retryable === true
  );
}

/**
 * Runs `operation` and repeats it on retryable failures with exponential backoff and jitter,
 * honouring `Retry-After`. Aborting `signal` stops waiting at once with a typed `AbortError`.
 *
 * @example
 * ```ts
 * const text = await retry((attempt, signal) => fetchText(url, signal), { maxRetries: 3 });
 * ```
 */
export function retry<T>(
  operation: (attempt: number, signal: AbortSignal | undefined) => Promise<T>,
  options: RetryOptions = {},
  signal?: AbortSignal,
): Promise<T> {
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    return Promise.reject(
      new InvalidInputError('retry.maxRetries', 'must be a non-negative integer'),
    );
  }
  if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
  // The first attempt runs without a retry frame around it (most calls never fail): the
  // retrying starts only when it has.
  let first: Promise<T>;
  try {
    first = operation(1, signal);
  } catch (error) {
    first = Promise.reject(error);
  }
  return first.catch((error: unknown) => retryAfter(error, operation, options, signal, maxRetries));
}

/** The attempts after a failed first one. */
async function retryAfter<T>(
  failure: unknown,
  operation: (attempt: number, signal: AbortSignal | undefined) => Promise<T>,
  options: RetryOptions,
  signal: AbortSignal | undefined,
  maxRetries: number,
): Promise<T> {
  const shouldRetry = options.shouldRetry ?? isRetryableError;
  let error = failure;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortErrorFrom(signal);
    // Work waiting for someone (a `Pause`) is not a failure to try again.
    if (attempt > maxRetries || Pause.isInstance(error) || !shouldRetry(error, attempt))
      throw error;
    const delayMs = retryDelay(attempt, error, options);
    if (delayMs > (options.maxRetryAfterMs ?? 60_000)) throw error;
    options.onRetry?.({ attempt, error, delayMs });
    try {
      await (options.delay ?? sleep)(delayMs, signal);
    } catch (waitError) {
      if (signal?.aborted) throw abortErrorFrom(signal);
      throw waitError;
    }
    throwIfAborted(signal);
    try {
      return await operation(attempt + 1, signal);
    } catch (next) {
      error = next;
    }
  }
}
