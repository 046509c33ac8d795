import { ArshaiError, hasMarker } from './arshai-error.js';

/**
 * The operation was cancelled through its `AbortSignal`.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * setTimeout(() => ac.abort(), 100);
 * await client.chat({ ...input, signal: ac.signal }).catch((e) => AbortError.isInstance(e));
 * ```
 */
export class AbortError extends ArshaiError {
  constructor(message = 'The operation was aborted', options: { cause?: unknown } = {}) {
    super(message, options);
  }

  static override isInstance(value: unknown): value is AbortError {
    return hasMarker(value, 'AbortError');
  }
}

/** The operation ran out of time. A `TimeoutError` is also an `AbortError`. */
export class TimeoutError extends AbortError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, what = 'The operation', options: { cause?: unknown } = {}) {
    super(`${what} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }

  static override isInstance(value: unknown): value is TimeoutError {
    return hasMarker(value, 'TimeoutError');
  }
}
