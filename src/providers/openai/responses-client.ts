import type OpenAI from 'openai';
import { InvalidInputError } from '../../errors/invalid-input-error.js';
import { BaseLLMClient } from '../../llm/base-llm-client.js';
import type { BuiltinTool } from '../../llm/builtin-tools.js';
import { type LLMConfig, pickLLMConfig } from '../../llm/llm-config.js';
import { checkBuiltinTools } from '../../llm/loop-input.js';
import { checkBaseUrl } from '../shared/base-url.js';
import { withSecret } from '../shared/env.js';
import { rejectUnsupported } from '../shared/unsupported-options.js';
import {
  type ConnectionOptions,
  type OpenAIConnection,
  openAIConnection,
  openAISdk,
  requiredKey,
} from './openai-connection.js';
import { OpenAIResponsesAdapter, type OpenAIResponsesAdapterOptions } from './responses-adapter.js';

/** What the Responses API adds to the OpenAI connection settings. */
export interface ResponsesOptions {
  /**
   * Keep responses at OpenAI (`store`), e.g. to see them in the dashboard or to chain turns.
   * @default false: nothing is kept at OpenAI
   */
  store?: boolean;
  /**
   * Continue a call's tool turns by `previous_response_id` (the transcript stays at OpenAI and
   * only the tool results are sent) instead of resending the transcript. Needs `store: true`.
   * @default false
   */
  chainResponses?: boolean;
  /**
   * Ask for reasoning items' encrypted content (`include: ['reasoning.encrypted_content']`), so
   * that a reasoning model keeps its reasoning across tool turns when nothing is stored.
   * Models without reasoning refuse it.
   * @default true when `store` is false and the model reasons (o-series, gpt-5, codex, gpt-oss, or `reasoningEffort` set)
   */
  encryptedReasoning?: boolean;
  /** Ask for summaries of the model's reasoning (`reasoning.summary`). @default none */
  reasoningSummary?: 'auto' | 'concise' | 'detailed';
  /**
   * OpenAI's own tools for every call, passed as given: `{ type: 'web_search' }`,
   * `{ type: 'file_search', vector_store_ids: [...] }`, `{ type: 'code_interpreter', container: { type: 'auto' } }`,
   * `{ type: 'mcp', server_label, server_url }`. Add more per call with `LLMInput.builtinTools`.
   * @default none
   */
  builtinTools?: BuiltinTool[];
  /** More `include` values (e.g. `file_search_call.results`). @default none */
  include?: string[];
}

/** Settings of {@link OpenAIResponsesClient}. */
export interface OpenAIResponsesClientConfig
  extends LLMConfig,
    ConnectionOptions,
    OpenAIConnection,
    ResponsesOptions {
  /** Use an `OpenAI` SDK instance you configured yourself (an `AzureOpenAI` works too). */
  client?: OpenAI;
}

const REASONING_MODEL = /^(o\d|gpt-5|codex|gpt-oss)/i;

/**
 * An `LLMClient` for OpenAI's Responses API, on the official `openai` SDK's `responses`: the
 * same tool loop, retries and errors as `OpenAIClient`, plus a reasoning model's reasoning kept
 * across tool turns (encrypted, nothing stored at OpenAI by default) and OpenAI's built-in tools.
 * `topK`, `frequencyPenalty` and `presencePenalty` are rejected (the API has none).
 *
 * @example
 * ```ts
 * import { OpenAIResponsesClient } from 'arshai/openai';
 *
 * const gpt = new OpenAIResponsesClient({
 *   model: 'gpt-5-mini',
 *   apiKey: process.env.OPENAI_API_KEY,
 *   reasoningEffort: 'low',
 *   builtinTools: [{ type: 'web_search' }],
 * });
 * ```
 */
export class OpenAIResponsesClient extends BaseLLMClient {
  constructor(config: OpenAIResponsesClientConfig) {
    const connection = openAIConnection(config);
    checkBaseUrl(connection.baseURL);
    const { official } = connection;
    const apiKey = config.client ? undefined : requiredKey(config, 'OPENAI_API_KEY');
    const client = config.client ?? openAISdk(config, connection, apiKey);
    const adapter = new OpenAIResponsesAdapter(
      client,
      responsesAdapterOptions(config, {
        provider: config.providerName ?? (official ? 'openai' : 'openai-compatible'),
        model: config.model,
        strict: config.strict ?? official,
      }),
    );
    super(adapter, pickLLMConfig(config), withSecret(config, apiKey ?? config.apiKey));
  }
}

/**
 * The adapter settings of a Responses client (OpenAI's or Azure's), checked: options the API
 * does not have are refused, and chaining without `store` too.
 */
export function responsesAdapterOptions(
  config: LLMConfig & ConnectionOptions & ResponsesOptions,
  base: Pick<OpenAIResponsesAdapterOptions, 'provider' | 'model' | 'strict'>,
): OpenAIResponsesAdapterOptions {
  rejectUnsupported(config, 'The Responses API', ['topK', 'frequencyPenalty', 'presencePenalty']);
  const store = config.store ?? false;
  if (config.chainResponses && !store)
    throw new InvalidInputError(
      'chainResponses',
      'needs store: true (the turns are kept at OpenAI)',
    );
  // The same check as a call's built-in tools (an array of tools with a type each).
  checkBuiltinTools(config.builtinTools, { provider: base.provider, builtinTools: true });
  const reasons = config.reasoningEffort !== undefined || REASONING_MODEL.test(config.model);
  return {
    ...base,
    structuredOutput: config.structuredOutput ?? 'native',
    store,
    encryptedReasoning: config.encryptedReasoning ?? (!store && reasons),
    chain: config.chainResponses ?? false,
    ...(config.reasoningSummary !== undefined ? { reasoningSummary: config.reasoningSummary } : {}),
    builtinTools: config.builtinTools ?? [],
    include: config.include ?? [],
  };
}
