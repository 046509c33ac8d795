import { BaseLLMClient, type LLMClientOptions } from '../../llm/base-llm-client.js';
import { type LLMConfig, pickLLMConfig } from '../../llm/llm-config.js';
import { rejectUnsupported } from '../shared/unsupported-options.js';
import { AiSdkAdapter, type AiSdkLanguageModel } from './ai-sdk-adapter.js';

/** Settings of {@link AiSdkClient}. `model` defaults to the language model's `modelId`. */
export interface AiSdkClientConfig extends Partial<LLMConfig>, LLMClientOptions {}

/**
 * An `LLMClient` over any Vercel AI SDK language model (`@ai-sdk/openai`, `@ai-sdk/mistral`,
 * `ollama-ai-provider`, ...): arshai's tool loop, retries and streaming drive the model's
 * `doGenerate` / `doStream`. Configure provider-specific options on the AI SDK model itself:
 * `extraBody` and `reasoningEffort` have no place in the specification and are rejected.
 * Warnings the model reports (e.g. an unsupported `topK`) go to the logger.
 *
 * @example
 * ```ts
 * import { MockLanguageModelV4 } from 'ai/test';
 * import { AiSdkClient } from 'arshai/ai-sdk';
 *
 * const model = new MockLanguageModelV4({
 *   doGenerate: {
 *     content: [{ type: 'text', text: 'Hello from the AI SDK' }],
 *     finishReason: { unified: 'stop', raw: 'stop' },
 *     usage: {
 *       inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 },
 *       outputTokens: { total: 5, text: 5, reasoning: 0 },
 *     },
 *     warnings: [],
 *   },
 * });
 * const client = new AiSdkClient(model);
 * const { llmResponse } = await client.chat({ systemPrompt: '', userMessage: 'Hi' });
 * ```
 */
export class AiSdkClient extends BaseLLMClient {
  constructor(model: AiSdkLanguageModel, config: AiSdkClientConfig = {}) {
    const llmConfig = { ...config, model: config.model ?? model.modelId };
    rejectUnsupported(
      llmConfig,
      `The AI SDK model ${model.provider}`,
      ['extraBody', 'reasoningEffort'],
      "remove it and set it on the AI SDK model itself (the provider's settings or model options)",
    );
    super(new AiSdkAdapter(model, config.logger), pickLLMConfig(llmConfig), config);
  }
}
