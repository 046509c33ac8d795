import { ArshaiError } from './arshai-error.js';

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
  static override readonly code: string = 'AbortError';

  constructor(message = 'The operation was aborted', options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/** The operation ran out of time. A `TimeoutError` is also an `AbortError`. */
export class TimeoutError extends AbortError {
  static override readonly code: string = 'TimeoutError';

  readonly timeoutMs: number;

  constructor(timeoutMs: number, what = 'The operation', options: { cause?: unknown } = {}) {
    super(`${what} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}
