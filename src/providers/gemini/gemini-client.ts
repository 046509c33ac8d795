import { GoogleGenAI } from '@google/genai';
import { BaseLLMClient, type LLMClientOptions } from '../../llm/base-llm-client.js';
import { type LLMConfig, pickLLMConfig } from '../../llm/llm-config.js';
import { GeminiAdapter } from './gemini-adapter.js';

/** Settings of {@link GeminiClient}: the model config plus connection options. */
export interface GeminiClientConfig extends LLMConfig, LLMClientOptions {
  /** @default the `GEMINI_API_KEY` / `GOOGLE_API_KEY` environment variable (read by the SDK) */
  apiKey?: string;
  /** @default https://generativelanguage.googleapis.com */
  baseURL?: string;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** Per-request HTTP timeout in milliseconds. */
  timeoutMs?: number;
  /** Use a `GoogleGenAI` instance you configured yourself. */
  client?: GoogleGenAI;
}

/**
 * An `LLMClient` for the Gemini API on the official `@google/genai` SDK (its own retries are
 * off: arshai's retry policy applies). Structured output uses `responseJsonSchema`;
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
    const client =
      config.client ??
      new GoogleGenAI({
        ...(config.apiKey !== undefined ? { apiKey: config.apiKey } : {}),
        httpOptions: {
          ...(config.baseURL !== undefined ? { baseUrl: config.baseURL } : {}),
          ...(config.defaultHeaders ? { headers: config.defaultHeaders } : {}),
          ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
          retryOptions: { attempts: 1 },
        },
      });
    super(new GeminiAdapter(client, config.model), pickLLMConfig(config), config);
  }
}
