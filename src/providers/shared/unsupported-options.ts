import { InvalidInputError } from '../../errors/invalid-input-error.js';
import type { LLMConfig } from '../../llm/llm-config.js';

/**
 * Throws an `InvalidInputError` when `config` sets an option the provider cannot honour:
 * arshai never drops a setting silently.
 */
export function rejectUnsupported(
  config: LLMConfig,
  provider: string,
  unsupported: ReadonlyArray<keyof LLMConfig>,
  /** What to do instead, for the error message. */
  instead = 'remove it or pass a provider-specific field through extraBody',
): void {
  for (const key of unsupported) {
    if (config[key] !== undefined) {
      throw new InvalidInputError(key, `${provider} does not support this option; ${instead}`);
    }
  }
}
