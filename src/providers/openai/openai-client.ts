import type OpenAI from 'openai';
import { InvalidInputError } from '../../errors/invalid-input-error.js';
import { BaseLLMClient } from '../../llm/base-llm-client.js';
import { type LLMConfig, pickLLMConfig } from '../../llm/llm-config.js';
import { checkBaseUrl } from '../shared/base-url.js';
import { withSecret } from '../shared/env.js';
import { rejectUnsupported } from '../shared/unsupported-options.js';
import { OpenAIChatAdapter } from './openai-adapter.js';
import {
  type AzureConnection,
  azureSdk,
  type ConnectionOptions,
  openAIConnection,
  openAISdk,
  requiredKey,
} from './openai-connection.js';
import { OpenAIResponsesAdapter } from './responses-adapter.js';
import { type ResponsesOptions, responsesAdapterOptions } from './responses-client.js';

/** Settings of {@link OpenAIClient}: the model config plus connection options. */
export interface OpenAIClientConfig extends LLMConfig, ConnectionOptions {
  /**
   * Any OpenAI-compatible server: Ollama (`http://localhost:11434/v1`), vLLM, llama.cpp
   * server, LM Studio. Such servers get `max_tokens` and may receive `topK` as `top_k`.
   * `organization` and `project` likewise default to `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID`.
   * @default `OPENAI_BASE_URL` from `env`, else https://api.openai.com/v1
   */
  baseURL?: string;
  organization?: string;
  project?: string;
  /** Use an `OpenAI` SDK instance you configured yourself. */
  client?: OpenAI;
}

/**
 * An `LLMClient` for OpenAI's Chat Completions API and every OpenAI-compatible server, on
 * the official `openai` SDK. The SDK's own retries are off: arshai's retry policy applies.
 * `topK` is rejected for api.openai.com (the API has no such option).
 *
 * @example
 * ```ts
 * import { OpenAIClient } from 'arshai/openai';
 *
 * const gpt = new OpenAIClient({ model: 'gpt-4o-mini', apiKey: process.env.OPENAI_API_KEY });
 * const local = new OpenAIClient({ model: 'llama3.2', baseURL: 'http://localhost:11434/v1', apiKey: 'ollama' });
 * ```
 */
export class OpenAIClient extends BaseLLMClient {
  constructor(config: OpenAIClientConfig) {
    const connection = openAIConnection(config);
    checkBaseUrl(connection.baseURL);
    const { official } = connection;
    if (official) rejectUnsupported(config, 'OpenAI', ['topK']);
    const apiKey = config.client ? undefined : requiredKey(config, 'OPENAI_API_KEY');
    const client = config.client ?? openAISdk(config, connection, apiKey);
    const adapter = new OpenAIChatAdapter(client, {
      provider: config.providerName ?? (official ? 'openai' : 'openai-compatible'),
      model: config.model,
      strict: config.strict ?? official,
      maxTokensField: official ? 'max_completion_tokens' : 'max_tokens',
      allowTopK: !official,
      structuredOutput: config.structuredOutput ?? 'native',
    });
    super(adapter, pickLLMConfig(config), withSecret(config, apiKey ?? config.apiKey));
  }
}

/** Settings of {@link AzureOpenAIClient}. */
export interface AzureOpenAIClientConfig
  extends LLMConfig,
    ConnectionOptions,
    AzureConnection,
    ResponsesOptions {
  /**
   * Which API the deployment is called through: Chat Completions, or the Responses API
   * (`/openai/responses`, with an `apiVersion` that has it, e.g. `2025-04-01-preview`), which
   * behaves as `OpenAIResponsesClient` and takes its options (`store`, `builtinTools`, …).
   * @default 'chat-completions'
   */
  api?: 'chat-completions' | 'responses';
}

/**
 * An `LLMClient` for Azure OpenAI deployments, on the official SDK's `AzureOpenAI`.
 *
 * @example
 * ```ts
 * import { AzureOpenAIClient } from 'arshai/openai';
 *
 * const azure = new AzureOpenAIClient({
 *   model: 'gpt-4o',
 *   endpoint: 'https://my-resource.openai.azure.com',
 *   apiVersion: '2024-10-21',
 *   deployment: 'my-gpt-4o',
 *   apiKey: 'azure-key',
 * });
 * ```
 */
export class AzureOpenAIClient extends BaseLLMClient {
  constructor(config: AzureOpenAIClientConfig) {
    rejectUnsupported(config, 'Azure OpenAI', ['topK']);
    checkBaseUrl(config.endpoint, 'endpoint');
    const deployment = config.deployment ?? config.model;
    const apiKey = config.azureADTokenProvider
      ? undefined
      : requiredKey(config, 'AZURE_OPENAI_API_KEY');
    const client = azureSdk(config, deployment, apiKey);
    const base = {
      provider: config.providerName ?? 'azure-openai',
      model: deployment,
      strict: config.strict ?? true,
    };
    if (config.api !== 'responses') rejectResponsesOptions(config);
    const adapter =
      config.api === 'responses'
        ? new OpenAIResponsesAdapter(client, responsesAdapterOptions(config, base))
        : new OpenAIChatAdapter(client, {
            ...base,
            maxTokensField: 'max_completion_tokens',
            allowTopK: false,
            structuredOutput: config.structuredOutput ?? 'native',
          });
    super(adapter, pickLLMConfig(config), withSecret(config, apiKey));
  }
}

/** Settings of {@link OpenRouterClient}. */
export interface OpenRouterClientConfig extends LLMConfig, ConnectionOptions {
  /** Your site's URL, sent as `HTTP-Referer` for OpenRouter's rankings. */
  appUrl?: string;
  /** Your app's name, sent as `X-Title`. */
  appName?: string;
  /** @default https://openrouter.ai/api/v1 */
  baseURL?: string;
}

const OPENROUTER_URL = 'https://openrouter.ai/api/v1';

/**
 * An `LLMClient` for OpenRouter: the OpenAI client preset to `https://openrouter.ai/api/v1`,
 * with OpenRouter's attribution headers (`HTTP-Referer`, `X-Title`), the provider id
 * `openrouter`, and non-strict schemas (models behind OpenRouter vary).
 *
 * @example
 * ```ts
 * import { OpenRouterClient } from 'arshai/openai';
 *
 * const router = new OpenRouterClient({
 *   model: 'anthropic/claude-3.5-sonnet',
 *   apiKey: 'sk-or-...',
 *   appName: 'My App',
 * });
 * ```
 */
export class OpenRouterClient extends OpenAIClient {
  constructor(config: OpenRouterClientConfig) {
    // Never another provider's key: OPENAI_API_KEY is not looked up for OpenRouter.
    const apiKey = requiredKey(config, 'OPENROUTER_API_KEY');
    super({
      ...config,
      ...(apiKey !== undefined ? { apiKey } : {}),
      baseURL: config.baseURL ?? OPENROUTER_URL,
      providerName: config.providerName ?? 'openrouter',
      strict: config.strict ?? false,
      defaultHeaders: {
        ...(config.appUrl ? { 'HTTP-Referer': config.appUrl } : {}),
        ...(config.appName ? { 'X-Title': config.appName } : {}),
        ...config.defaultHeaders,
      },
    });
  }
}

const RESPONSES_ONLY = [
  'store',
  'chainResponses',
  'encryptedReasoning',
  'reasoningSummary',
  'builtinTools',
  'include',
] as const satisfies ReadonlyArray<keyof ResponsesOptions>;

/** Chat Completions has none of the Responses options: one given is refused, never dropped. */
function rejectResponsesOptions(config: ResponsesOptions & { api?: string }): void {
  if (config.api !== undefined && config.api !== 'chat-completions')
    throw new InvalidInputError('api', 'must be "chat-completions" or "responses"');
  for (const key of RESPONSES_ONLY) {
    if (config[key] !== undefined)
      throw new InvalidInputError(key, 'is an option of the Responses API: set api: "responses"');
  }
}
