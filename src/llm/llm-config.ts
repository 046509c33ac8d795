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
