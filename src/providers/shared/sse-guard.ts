import { ProviderError } from '../../errors/provider-error.js';
import { isNetworkError } from './sdk-error.js';

/**
 * The error for a stream that ended (or whose connection dropped) before the provider said
 * it was complete. Retryable: the engine retries a stream only before its first part, so a
 * stream cut after output surfaces to the caller.
 */
export function truncatedStream(provider: string, cause?: unknown): ProviderError {
  return new ProviderError(`The ${provider} stream ended before it was complete`, {
    provider,
    retryable: true,
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** The error for stream data that is not what the provider's protocol defines. */
export function malformedStream(provider: string, cause: unknown): ProviderError {
  return new ProviderError(`The ${provider} stream sent malformed data`, {
    provider,
    retryable: false,
    cause,
  });
}

/**
 * Maps a failure while reading a stream: unparsable data is a malformed stream, a dropped
 * connection a truncated one, anything else goes through the provider's own mapping.
 */
export function streamFailure(
  error: unknown,
  provider: string,
  mapError: (error: unknown) => unknown,
): unknown {
  if (error instanceof SyntaxError) return malformedStream(provider, error);
  if (isNetworkError(error)) return truncatedStream(provider, error);
  return mapError(error);
}

/**
 * Throws when a stream request was answered with something other than an event stream (a
 * JSON body, an HTML page): a typed, non-retryable error saying what came back, instead of
 * an empty stream mistaken for a cut one.
 */
export function notAnEventStream(provider: string, response: { headers: Headers }): void {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/event-stream')) return;
  throw new ProviderError(
    `The ${provider} stream request was answered with ${type ? `"${type.split(';')[0]}"` : 'no content type'}, not an event stream`,
    { provider, status: 200, retryable: false },
  );
}
