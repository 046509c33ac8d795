import { ProviderError } from '../../errors/provider-error.js';
import { retryAfterMs } from './retry-after.js';

/**
 * Maps an error of a Stainless-generated SDK (`openai`, `@anthropic-ai/sdk`: `status`,
 * `headers`, `requestID`, connection and abort error names) to `ProviderError`. Aborts pass
 * through: the engine turns them into `AbortError`.
 */
export function toProviderError(error: unknown, provider: string): unknown {
  if (ProviderError.isInstance(error)) return error;
  const e = error as {
    name?: string;
    status?: number;
    headers?: Headers;
    requestID?: string | null;
    message?: string;
  };
  if (e?.name === 'APIUserAbortError' || e?.name === 'AbortError') return error;
  const isApiError = typeof e?.status === 'number';
  const isConnection = e?.name === 'APIConnectionError' || e?.name === 'APIConnectionTimeoutError';
  if (!isApiError && !isConnection) {
    return new ProviderError(`${provider} request failed: ${e?.message ?? String(error)}`, {
      provider,
      retryable: false,
      cause: error,
    });
  }
  return new ProviderError(
    isApiError
      ? `${provider} API error ${e.status}: ${e.message}`
      : `${provider} connection failed`,
    {
      provider,
      ...(isApiError ? { status: e.status } : {}),
      ...(e.requestID ? { requestId: e.requestID } : {}),
      ...(retryAfterMs(e.headers) !== undefined ? { retryAfterMs: retryAfterMs(e.headers) } : {}),
      cause: error,
    },
  );
}
