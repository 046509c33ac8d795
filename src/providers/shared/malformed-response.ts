import { ProviderError } from '../../errors/provider-error.js';

/**
 * A 200 response without the fields the provider's API documents: a typed `ProviderError`
 * naming the missing field (never a `TypeError` from reading it). Not retryable: the same
 * request would most likely get the same answer (a misconfigured proxy or server).
 */
export function malformed(provider: string, field: string): ProviderError {
  return new ProviderError(`The ${provider} response is malformed: it has no ${field}`, {
    provider,
    status: 200,
    retryable: false,
  });
}
