/**
 * Model and sampling settings of a client. An option a provider cannot honour is rejected
 * with an `InvalidInputError` or reported through the client's logger, as each provider
 * documents; it is never dropped silently.
 *
 * @example
 * ```ts
 * const config: LLMConfig = { model: 'gpt-4o-mini', temperature: 0.2, maxTokens: 512 };
 * ```
 */
export interface LLMConfig {
  model: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  topK?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** For reasoning models. */
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Extra provider-specific body fields, merged into the request as they are. */
  extraBody?: Record<string, unknown>;
}

const CONFIG_KEYS = [
  'model',
  'temperature',
  'maxTokens',
  'topP',
  'topK',
  'frequencyPenalty',
  'presencePenalty',
  'reasoningEffort',
  'extraBody',
] as const satisfies ReadonlyArray<keyof LLMConfig>;

/**
 * Only the `LLMConfig` fields of a larger settings object (so that API keys and other
 * connection settings never travel with the model config).
 */
export function pickLLMConfig(settings: LLMConfig): LLMConfig {
  const config: LLMConfig = { model: settings.model };
  for (const key of CONFIG_KEYS) {
    if (settings[key] !== undefined)
      (config as unknown as Record<string, unknown>)[key] = settings[key];
  }
  return config;
}
