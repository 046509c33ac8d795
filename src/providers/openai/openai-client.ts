import OpenAI, { AzureOpenAI } from 'openai';
import { InvalidInputError } from '../../errors/invalid-input-error.js';
import { BaseLLMClient, type LLMClientOptions } from '../../llm/base-llm-client.js';
import { type LLMConfig, pickLLMConfig } from '../../llm/llm-config.js';
import { checkBaseUrl } from '../shared/base-url.js';
import { apiKeyFrom, type EnvOption, withSecret } from '../shared/env.js';
import type { StructuredOutputMode } from '../shared/schema-instructions.js';
import { sdkLogger } from '../shared/sdk-logger.js';
import { rejectUnsupported } from '../shared/unsupported-options.js';
import { OpenAIChatAdapter } from './openai-adapter.js';

/** Connection settings shared by the OpenAI-family clients. */
interface ConnectionOptions extends LLMClientOptions, EnvOption {
  /**
   * @default from `env`: `OPENAI_API_KEY` (`OpenAIClient`), `AZURE_OPENAI_API_KEY`
   * (`AzureOpenAIClient`), `OPENROUTER_API_KEY` (`OpenRouterClient`)
   */
  apiKey?: string;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** Per-request HTTP timeout in milliseconds. @default 600000 (the SDK's) */
  timeoutMs?: number;
  /**
   * Strict function calling and strict structured output.
   * @default true for OpenAI and Azure, false for other base URLs
   */
  strict?: boolean;
  /**
   * `native`: `response_format` with a JSON schema (strict when `strict`); `instructions`:
   * the schema stated in the system prompt, for servers without JSON-schema support.
   * @default 'native'
   */
  structuredOutput?: StructuredOutputMode;
  /**
   * Provider id in usage and errors, e.g. `ollama`.
   * @default `openai` for api.openai.com, `azure-openai`, `openrouter`, else `openai-compatible`
   */
  providerName?: string;
}

/** Settings of {@link OpenAIClient}: the model config plus connection options. */
export interface OpenAIClientConfig extends LLMConfig, ConnectionOptions {
  /**
   * Any OpenAI-compatible server: Ollama (`http://localhost:11434/v1`), vLLM, llama.cpp
   * server, LM Studio. Such servers get `max_tokens` and may receive `topK` as `top_k`.
   * @default https://api.openai.com/v1
   */
  baseURL?: string;
  organization?: string;
  project?: string;
  /** Use an `OpenAI` SDK instance you configured yourself. */
  client?: OpenAI;
}

const OPENAI_URL = /^https:\/\/api\.openai\.com\//;

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
    checkBaseUrl(config.baseURL);
    const official = config.baseURL === undefined || OPENAI_URL.test(config.baseURL);
    if (official) rejectUnsupported(config, 'OpenAI', ['topK']);
    const apiKey = config.client ? undefined : requiredKey(config, 'OPENAI_API_KEY');
    const client =
      config.client ??
      createSdk(
        () =>
          new OpenAI({
            ...(apiKey !== undefined ? { apiKey } : {}),
            ...(config.baseURL !== undefined ? { baseURL: config.baseURL } : {}),
            ...(config.organization !== undefined ? { organization: config.organization } : {}),
            ...(config.project !== undefined ? { project: config.project } : {}),
            ...(config.defaultHeaders ? { defaultHeaders: config.defaultHeaders } : {}),
            ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
            maxRetries: 0,
            logger: sdkLogger(config.logger),
            logLevel: 'warn',
          }),
      );
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
export interface AzureOpenAIClientConfig extends LLMConfig, ConnectionOptions {
  /** e.g. `https://my-resource.openai.azure.com` */
  endpoint: string;
  /** e.g. `2024-10-21` */
  apiVersion: string;
  /** The deployment name. @default config.model */
  deployment?: string;
  /**
   * Microsoft Entra ID authentication instead of an API key: returns a fresh access token
   * for each request (e.g. from `@azure/identity`'s `getBearerTokenProvider`).
   */
  azureADTokenProvider?: () => Promise<string>;
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
    const client = createSdk(
      () =>
        new AzureOpenAI({
          endpoint: config.endpoint,
          apiVersion: config.apiVersion,
          deployment,
          ...(apiKey !== undefined ? { apiKey } : {}),
          ...(config.azureADTokenProvider
            ? { azureADTokenProvider: config.azureADTokenProvider }
            : {}),
          ...(config.defaultHeaders ? { defaultHeaders: config.defaultHeaders } : {}),
          ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
          maxRetries: 0,
          logger: sdkLogger(config.logger),
          logLevel: 'warn',
        }),
    );
    const adapter = new OpenAIChatAdapter(client, {
      provider: config.providerName ?? 'azure-openai',
      model: deployment,
      strict: config.strict ?? true,
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

/** The key, from `apiKey` or `env`; a typed error naming both when there is none. */
function requiredKey(config: ConnectionOptions, variable: string): string {
  const key = apiKeyFrom(config, variable);
  if (key === undefined) {
    throw new InvalidInputError(
      'apiKey',
      `pass apiKey or set ${variable} (in env: process.env by default)`,
    );
  }
  return key;
}

/** Runs an SDK constructor; its complaints (e.g. no credentials) become `InvalidInputError`. */
function createSdk<T>(create: () => T): T {
  try {
    return create();
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'invalid';
    const field = /credential|api ?key/i.test(message) ? 'apiKey' : 'config';
    throw new InvalidInputError(field, message, { cause: error });
  }
}
