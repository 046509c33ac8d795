import { ProviderError } from '../../errors/provider-error.js';

/** The error for a stream that ended before the provider said it was complete. */
export function truncatedStream(provider: string): ProviderError {
  return new ProviderError(`The ${provider} stream ended before it was complete`, {
    provider,
    retryable: true,
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
