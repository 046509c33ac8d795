import type { AzureOpenAI, default as OpenAI } from 'openai';
import { InvalidInputError } from '../../errors/invalid-input-error.js';
import type { LLMClientOptions } from '../../llm/base-llm-client.js';
import { apiKeyFrom, type EnvOption } from '../shared/env.js';
import type { StructuredOutputMode } from '../shared/schema-instructions.js';
import { sdkLogger } from '../shared/sdk-logger.js';
import { loadOpenAI } from './openai-sdk.js';

/** Connection settings shared by the OpenAI-family clients. */
export interface ConnectionOptions extends LLMClientOptions, EnvOption {
  /**
   * @default from `env`: `OPENAI_API_KEY` (`OpenAIClient`), `AZURE_OPENAI_API_KEY`
   * (`AzureOpenAIClient`), `OPENROUTER_API_KEY` (`OpenRouterClient`)
   */
  apiKey?: string;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** Per-request HTTP timeout in milliseconds. @default 600000 (the SDK's) */
  timeoutMs?: number | undefined;
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

/** The key, from `apiKey` or `env`; a typed error naming both when there is none. */
export function requiredKey(config: ConnectionOptions, variable: string): string {
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
export async function createSdk<T>(create: () => T | Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? 'invalid';
    const field = /credential|api ?key/i.test(message) ? 'apiKey' : 'config';
    throw new InvalidInputError(field, message, { cause: error });
  }
}

/** Where an OpenAI server is and who calls it. */
export interface OpenAIConnection {
  baseURL?: string;
  organization?: string;
  project?: string;
}

/** Where an Azure OpenAI resource is and how to authenticate. */
export interface AzureConnection {
  /** e.g. `https://my-resource.openai.azure.com` */
  endpoint: string;
  /** e.g. `2024-10-21` (Chat Completions), `2025-04-01-preview` (Responses) */
  apiVersion: string;
  /** The deployment name. @default config.model */
  deployment?: string;
  /**
   * Microsoft Entra ID authentication instead of an API key: returns a fresh access token
   * for each request (e.g. from `@azure/identity`'s `getBearerTokenProvider`).
   */
  azureADTokenProvider?: () => Promise<string>;
}

const OPENAI_URL = /^https:\/\/api\.openai\.com\//;

/**
 * The connection settings, each from `config` or else from `env` (default `process.env`):
 * `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`, as the SDK documents them. Resolved
 * here, so the SDK never reads the environment itself (`env: {}` turns every lookup off).
 * `official` is true for api.openai.com.
 */
export function openAIConnection(
  config: EnvOption & OpenAIConnection,
): OpenAIConnection & { official: boolean } {
  const env = config.env ?? process.env;
  const baseURL = config.baseURL ?? (env.OPENAI_BASE_URL || undefined);
  const organization = config.organization ?? (env.OPENAI_ORG_ID || undefined);
  const project = config.project ?? (env.OPENAI_PROJECT_ID || undefined);
  return {
    ...(baseURL !== undefined ? { baseURL } : {}),
    ...(organization !== undefined ? { organization } : {}),
    ...(project !== undefined ? { project } : {}),
    official: baseURL === undefined || OPENAI_URL.test(baseURL),
  };
}

/**
 * The official SDK for OpenAI or a compatible server, made (and loaded) on first use; its own
 * retries off (arshai retries).
 */
export function openAISdk(
  config: ConnectionOptions,
  connection: OpenAIConnection,
  apiKey: string | undefined,
): () => Promise<OpenAI> {
  return async () => {
    const { default: OpenAI } = await loadOpenAI();
    return createSdk(
      () =>
        new OpenAI({
          ...(apiKey !== undefined ? { apiKey } : {}),
          // Absent settings are null, never looked up in the environment by the SDK.
          baseURL: connection.baseURL ?? null,
          organization: connection.organization ?? null,
          project: connection.project ?? null,
          ...(config.defaultHeaders ? { defaultHeaders: config.defaultHeaders } : {}),
          ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
          maxRetries: 0,
          logger: sdkLogger(config.logger),
          logLevel: 'warn',
        }),
    );
  };
}

/** The official SDK's `AzureOpenAI` for one deployment, made on first use; its own retries off. */
export function azureSdk(
  config: ConnectionOptions & AzureConnection,
  deployment: string,
  apiKey: string | undefined,
): () => Promise<AzureOpenAI> {
  return async () => {
    const { AzureOpenAI } = await loadOpenAI();
    return createSdk(
      () =>
        new AzureOpenAI({
          endpoint: config.endpoint,
          apiVersion: config.apiVersion,
          deployment,
          // Never OPENAI_BASE_URL, OPENAI_ORG_ID or OPENAI_PROJECT_ID from the environment: the
          // endpoint is the resource's, and OpenAI's organization headers are not Azure's.
          baseURL: null,
          organization: null,
          project: null,
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
  };
}
