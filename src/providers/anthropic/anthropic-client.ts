import type Anthropic from '@anthropic-ai/sdk';
import { InvalidInputError } from '../../errors/invalid-input-error.js';
import { BaseLLMClient, type LLMClientOptions } from '../../llm/base-llm-client.js';
import { type LLMConfig, pickLLMConfig } from '../../llm/llm-config.js';
import { checkBaseUrl } from '../shared/base-url.js';
import { apiKeyFrom, type EnvOption, withSecret } from '../shared/env.js';
import type { SdkSource } from '../shared/lazy-sdk.js';
import type { StructuredOutputMode } from '../shared/schema-instructions.js';
import { sdkLogger } from '../shared/sdk-logger.js';
import { rejectUnsupported } from '../shared/unsupported-options.js';
import { AnthropicAdapter } from './anthropic-adapter.js';
import { loadAnthropic } from './anthropic-sdk.js';

/** Settings of {@link AnthropicClient}: the model config plus connection options. */
export interface AnthropicClientConfig extends LLMConfig, LLMClientOptions, EnvOption {
  /** @default from `env`: `ANTHROPIC_API_KEY` */
  apiKey?: string;
  /** @default https://api.anthropic.com */
  baseURL?: string;
  defaultHeaders?: Record<string, string>;
  /** Per-request HTTP timeout in milliseconds. */
  timeoutMs?: number | undefined;
  /**
   * `max_tokens` when `maxTokens` is not set (the Messages API requires one).
   * @default 4096
   */
  defaultMaxTokens?: number;
  /**
   * `native`: the API's `output_config.format` (JSON Schema; current models); `instructions`:
   * the schema stated in the system prompt, for models without structured outputs.
   * @default 'native'
   */
  structuredOutput?: StructuredOutputMode;
  /** Use an `Anthropic` SDK instance you configured yourself. */
  client?: Anthropic;
}

/**
 * An `LLMClient` for Anthropic's Messages API on the official `@anthropic-ai/sdk`.
 *
 * `frequencyPenalty` and `presencePenalty` have no equivalent in the Messages API and are
 * rejected with `InvalidInputError`. Structured output uses the API's native
 * `output_config.format` (JSON Schema); `reasoningEffort` maps to `output_config.effort`
 * (`minimal`, which the API lacks, becomes `low` with a logger warning). With extended
 * thinking (`extraBody: { thinking: ... }`), thinking blocks travel with the tool calls and
 * go back unchanged, as the API requires.
 * `temperature`, `topP` and `topK` are sent as `temperature`, `top_p`, `top_k` (newer models
 * reject them with a 400, which surfaces as a typed `ProviderError`).
 *
 * @example
 * ```ts
 * import { AnthropicClient } from 'arshai/anthropic';
 *
 * const claude = new AnthropicClient({ model: 'claude-sonnet-4-5', apiKey: 'sk-ant-...', maxTokens: 1024 });
 * ```
 */
export class AnthropicClient extends BaseLLMClient {
  constructor(config: AnthropicClientConfig) {
    rejectUnsupported(config, 'Anthropic', ['frequencyPenalty', 'presencePenalty']);
    checkBaseUrl(config.baseURL);
    const apiKey = config.client ? config.apiKey : apiKeyFrom(config, 'ANTHROPIC_API_KEY');
    const client: SdkSource<Anthropic> =
      config.client ??
      (async () => {
        const { default: Anthropic } = await loadAnthropic();
        try {
          return new Anthropic({
            // null: no key at all (the SDK would read the environment again by itself)
            apiKey: apiKey ?? null,
            ...(config.baseURL !== undefined ? { baseURL: config.baseURL } : {}),
            ...(config.defaultHeaders ? { defaultHeaders: config.defaultHeaders } : {}),
            ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
            maxRetries: 0,
            logger: sdkLogger(config.logger),
            logLevel: 'warn',
          });
        } catch (error) {
          throw new InvalidInputError(
            'config',
            (error as Error).message.split('\n')[0] ?? 'invalid',
            {
              cause: error,
            },
          );
        }
      });
    super(
      new AnthropicAdapter(
        client,
        config.model,
        config.defaultMaxTokens ?? 4096,
        config.structuredOutput,
      ),
      pickLLMConfig(config),
      withSecret(config, apiKey),
    );
    if (config.reasoningEffort === 'minimal') {
      config.logger?.warn('arshai: Anthropic has no minimal effort; output_config.effort is low', {
        provider: 'anthropic',
      });
    }
  }
}
