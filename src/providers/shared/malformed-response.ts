import { ProviderError } from '../../errors/provider-error.js';

/**
 * A 200 response without the fields the provider's API documents: a typed `ProviderError`
 * naming the missing field (never a `TypeError` from reading it). Not retryable by default:
 * the same request would most likely get the same answer (a misconfigured proxy or server);
 * a broken model turn (an unfinished block) is worth another try.
 */
export function malformed(provider: string, field: string, retryable = false): ProviderError {
  return new ProviderError(`The ${provider} response is malformed: it has no ${field}`, {
    provider,
    status: 200,
    retryable,
  });
}
