import type { GoogleGenAI } from '@google/genai';
import { InvalidInputError } from '../../errors/invalid-input-error.js';
import { BaseLLMClient, type LLMClientOptions } from '../../llm/base-llm-client.js';
import { type LLMConfig, pickLLMConfig } from '../../llm/llm-config.js';
import { checkBaseUrl } from '../shared/base-url.js';
import { apiKeyFrom, type EnvOption, withSecret } from '../shared/env.js';
import type { SdkSource } from '../shared/lazy-sdk.js';
import { GeminiAdapter } from './gemini-adapter.js';
import { loadGemini } from './gemini-sdk.js';

/** Settings of {@link GeminiClient}: the model config plus connection options. */
export interface GeminiClientConfig extends LLMConfig, LLMClientOptions, EnvOption {
  /**
   * Required unless `client` is given.
   * @default from `env`: `GOOGLE_API_KEY`, else `GEMINI_API_KEY` (the SDK's order), read once
   * by the constructor
   */
  apiKey?: string;
  /** @default https://generativelanguage.googleapis.com */
  baseURL?: string;
  /** The API version in request paths, e.g. `v1beta`. @default the SDK's (`v1`) */
  apiVersion?: string;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** Per-request HTTP timeout in milliseconds. */
  timeoutMs?: number | undefined;
  /** Use a `GoogleGenAI` instance you configured yourself. */
  client?: GoogleGenAI;
}

/**
 * An `LLMClient` for the Gemini API on the official `@google/genai` SDK (its own retries are
 * off: arshai's retry policy applies). Sampling options all map to `generationConfig`. Structured output uses `responseJsonSchema`;
 * `reasoningEffort` maps to a thinking budget (minimal 0, low 1024, medium 8192, high 24576).
 * The constructor makes no network call.
 *
 * @example
 * ```ts
 * import { GeminiClient } from 'arshai/gemini';
 *
 * const gemini = new GeminiClient({ model: 'gemini-2.5-flash', apiKey: 'AIza...', temperature: 0.2 });
 * ```
 */
export class GeminiClient extends BaseLLMClient {
  constructor(config: GeminiClientConfig) {
    checkBaseUrl(config.baseURL);
    // Resolved here so that a missing key is a typed error, not an SDK console warning.
    const apiKey = config.client
      ? config.apiKey
      : apiKeyFrom(config, 'GOOGLE_API_KEY', 'GEMINI_API_KEY');
    if (!config.client && !apiKey) {
      throw new InvalidInputError(
        'apiKey',
        'pass apiKey or set the GOOGLE_API_KEY or GEMINI_API_KEY environment variable',
      );
    }
    const client: SdkSource<GoogleGenAI> =
      config.client ??
      (async () => {
        const { GoogleGenAI } = await loadGemini();
        return new GoogleGenAI({
          apiKey,
          httpOptions: {
            ...(config.baseURL !== undefined ? { baseUrl: config.baseURL } : {}),
            ...(config.apiVersion !== undefined ? { apiVersion: config.apiVersion } : {}),
            ...(config.defaultHeaders ? { headers: config.defaultHeaders } : {}),
            ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
            retryOptions: { attempts: 1 },
          },
        });
      });
    super(
      new GeminiAdapter(client, config.model),
      pickLLMConfig(config),
      withSecret(config, apiKey),
    );
  }
}
