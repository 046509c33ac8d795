import { ArshaiError } from './arshai-error.js';

/** Statuses worth repeating: timeout, conflict, rate limit and server errors. */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true; // connection failure: no response at all
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** What a provider adapter knows about a failed API call. */
export interface ProviderErrorOptions {
  /** Provider id, e.g. `openai`, `anthropic`. */
  provider: string;
  /** HTTP status; absent for connection failures. */
  status?: number;
  /** The provider's request id, when it sent one. */
  requestId?: string;
  /** Server-requested wait before a retry, from `Retry-After` / `retry-after-ms`. */
  retryAfterMs?: number;
  /** Overrides the status-based default. */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * A model provider's API call failed (HTTP error, connection failure, malformed response).
 *
 * @example
 * ```ts
 * if (ProviderError.isInstance(err)) console.log(err.status, err.retryable, err.requestId);
 * ```
 */
export class ProviderError extends ArshaiError {
  static override readonly code: string = 'ProviderError';

  readonly provider: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, {
      cause: options.cause,
      retryable: options.retryable ?? isRetryableStatus(options.status),
    });
    this.provider = options.provider;
    this.status = options.status;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
  }
}
