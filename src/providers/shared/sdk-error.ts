import { ProviderError } from '../../errors/provider-error.js';
import { retryAfterMs } from './retry-after.js';

// biome-ignore lint/suspicious/noExplicitAny: matches any SDK error class constructor
type ErrorClass = abstract new (...args: any[]) => Error;

/** The error classes of a Stainless-generated SDK (`openai`, `@anthropic-ai/sdk`). */
export interface SdkErrorClasses {
  APIError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIUserAbortError: ErrorClass;
}

/**
 * Error types an API reports inside a stream (`event: error` / `data: {"error": ...}`), which
 * the SDKs raise as an `APIError` without a status, and whether another attempt can help.
 * Sources: https://docs.anthropic.com/en/api/errors (`overloaded_error`, `api_error`,
 * `rate_limit_error`, `timeout_error`), https://platform.openai.com/docs/guides/error-codes.
 */
const RETRYABLE_STREAM_ERROR_TYPES = new Set([
  'overloaded_error',
  'api_error',
  'rate_limit_error',
  'timeout_error',
  'server_error',
  'rate_limit_exceeded',
]);

/**
 * True for the network failures `fetch` raises as a `TypeError` (undici's `fetch failed`
 * before a response, `terminated` when the connection drops while a body streams).
 */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return (
    typeof code === 'string' ||
    /^(fetch failed|terminated)$|network|socket|ECONN/i.test(error.message)
  );
}

/** The error for a connection that dropped or never opened: retryable, no status. */
export function connectionError(provider: string, cause: unknown, timedOut = false): ProviderError {
  return new ProviderError(
    timedOut ? `The ${provider} request timed out` : `The ${provider} connection failed`,
    { provider, retryable: true, cause },
  );
}

/**
 * Maps an error of a Stainless-generated SDK (`openai`, `@anthropic-ai/sdk`) to `ProviderError`
 * with status, request id, `Retry-After` and retryability (by status; by error type for errors
 * a stream reports). Aborts pass through unchanged: the engine sees the aborted signal and
 * turns them into `AbortError`. Messages carry the status and the API's error type, never
 * request content.
 */
export function toProviderError(error: unknown, provider: string, sdk: SdkErrorClasses): unknown {
  if (ProviderError.isInstance(error)) return error;
  if (error instanceof sdk.APIUserAbortError || (error as Error)?.name === 'AbortError') {
    return error;
  }
  if (error instanceof sdk.APIConnectionError) {
    return connectionError(provider, error, error instanceof sdk.APIConnectionTimeoutError);
  }
  if (isNetworkError(error)) return connectionError(provider, error);
  if (!(error instanceof sdk.APIError)) {
    // The SDK's own failures (e.g. no credentials) say what is wrong; keys are masked.
    return new ProviderError(`The ${provider} request failed: ${describe(error)}`, {
      provider,
      retryable: false,
      cause: error,
    });
  }
  const e = error as Error & {
    status?: number;
    headers?: Headers;
    requestID?: string | null;
    type?: string | null;
    error?: { type?: unknown; error?: { type?: unknown } };
  };
  const type = e.type ?? stringOr(e.error?.error?.type) ?? stringOr(e.error?.type);
  const wait = retryAfterMs(e.headers);
  const common = {
    provider,
    ...(e.requestID ? { requestId: e.requestID } : {}),
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    cause: error,
  };
  if (typeof e.status === 'number') {
    return new ProviderError(
      `${provider} API error ${e.status}${type ? ` (${type})` : ''}: ${apiMessage(e)}`,
      { ...common, status: e.status },
    );
  }
  return new ProviderError(`The ${provider} stream reported an error (${type ?? 'unknown'})`, {
    ...common,
    retryable: type !== undefined && RETRYABLE_STREAM_ERROR_TYPES.has(type),
  });
}

/** The API's own explanation (e.g. an unknown model), with anything key-like masked. */
function apiMessage(error: { error?: unknown; message: string }): string {
  const body = error.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const text =
    stringOr(body?.error?.message) ?? stringOr(body?.message) ?? error.message ?? 'no message';
  return redactSecrets(text).slice(0, 500);
}

/** Masks API-key-like tokens (`sk-...`, `AIza...`, long opaque tokens) in a message. */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(sk|rk|pk)-[\w*-]{6,}/g, '$1-***')
    .replace(/\bAIza[\w-]{10,}/g, 'AIza***')
    .replace(/\b[A-Za-z0-9_-]{40,}\b/g, '***');
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactSecrets(text).slice(0, 300);
}
