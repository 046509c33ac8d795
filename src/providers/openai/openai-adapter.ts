import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from 'openai/resources/chat/completions';
import type { FinishReason } from '../../llm/llm-result.js';
import type { ToolCall } from '../../llm/message.js';
import type {
  ModelAdapter,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
} from '../../llm/model-adapter.js';
import type { UsageDelta } from '../../llm/usage.js';
import { LazySdk, type SdkSource } from '../shared/lazy-sdk.js';
import { malformed } from '../shared/malformed-response.js';
import { type ResponseIdentity, responseIdentity } from '../shared/response-identity.js';
import { type StructuredOutputMode, systemPromptFor } from '../shared/schema-instructions.js';
import { toProviderError } from '../shared/sdk-error.js';
import { malformedStream, streamFailure, truncatedStream } from '../shared/sse-guard.js';
import { ToolCallAccumulator } from '../shared/tool-call-accumulator.js';
import { toOpenAIMessages, toOpenAITools } from './openai-messages.js';
import { loadOpenAI } from './openai-sdk.js';

/** How the adapter talks to a Chat Completions endpoint. */
export interface OpenAIAdapterOptions {
  /** Provider id in usage and errors. */
  provider: string;
  /** Model (or Azure deployment) name. */
  model: string;
  /** Strict function calling and strict JSON schema. */
  strict: boolean;
  /** `max_completion_tokens` (OpenAI) or `max_tokens` (most compatible servers). */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Send `top_k` (compatible servers such as vLLM and llama.cpp accept it; OpenAI does not). */
  allowTopK: boolean;
  /** `response_format` json_schema, or the schema stated in the system prompt. */
  structuredOutput: StructuredOutputMode;
}

type Params = ChatCompletionCreateParamsBase & Record<string, unknown>;

/**
 * A `ModelAdapter` over the OpenAI Chat Completions API, through the official SDK. The
 * OpenAI-family clients build one; use it directly over an SDK instance you configured.
 *
 * @example
 * ```ts
 * const adapter = new OpenAIChatAdapter(new OpenAI({ maxRetries: 0 }), {
 *   provider: 'openai', model: 'gpt-4o-mini', strict: true,
 *   maxTokensField: 'max_completion_tokens', allowTopK: false, structuredOutput: 'native',
 * });
 * const client = new BaseLLMClient(adapter, { model: 'gpt-4o-mini' });
 * ```
 */
export class OpenAIChatAdapter implements ModelAdapter {
  readonly provider: string;
  readonly model: string;
  readonly #client: LazySdk<OpenAI, typeof OpenAI>;
  readonly #options: OpenAIAdapterOptions;

  /** `client`: an SDK instance, or a function that makes one (called once, on first use). */
  constructor(client: SdkSource<OpenAI>, options: OpenAIAdapterOptions) {
    this.#client = new LazySdk(client, async () => (await loadOpenAI()).default);
    this.#options = options;
    this.provider = options.provider;
    this.model = options.model;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    const params = { ...this.#params(request), stream: false as const };
    const client = await this.#client.get();
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await client.chat.completions.create(params, this.#requestOptions(request));
    } catch (error) {
      throw this.#error(error);
    }
    const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
    if (!choice?.message) throw malformed(this.provider, 'choices[0].message');
    const message = choice.message;
    const toolCalls: ToolCall[] = (message.tool_calls ?? []).flatMap((c) =>
      c.type === 'function'
        ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }]
        : [],
    );
    const reasoning = (message as { reasoning_content?: unknown }).reasoning_content;
    // A refusal (structured output, safety) comes instead of content: it is the answer text.
    const refusal = message.refusal;
    return {
      text: message.content ?? refusal ?? '',
      ...(typeof reasoning === 'string' && reasoning ? { reasoning } : {}),
      toolCalls,
      usage: mapUsage(completion.usage),
      finishReason: refusal ? 'content-filter' : mapFinish(choice.finish_reason),
      ...responseIdentity(completion.id, completion.model),
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    const params = {
      ...this.#params(request),
      stream: true as const,
      stream_options: { include_usage: true },
    };
    const client = await this.#client.get();
    let stream: AsyncIterable<ChatCompletionChunk>;
    try {
      stream = await client.chat.completions.create(params, this.#requestOptions(request));
    } catch (error) {
      throw this.#error(error);
    }
    const calls = new ToolCallAccumulator();
    const closed = new Set<number>();
    let finish: FinishReason | undefined;
    let refused = false;
    let response: ResponseIdentity = {};
    try {
      for await (const chunk of stream) {
        response = responseIdentity(chunk.id, chunk.model);
        if (chunk.usage) yield { type: 'usage', usage: mapUsage(chunk.usage) };
        for (const choice of chunk.choices ?? []) {
          const delta = choice.delta ?? {};
          const reasoning = (delta as { reasoning_content?: unknown }).reasoning_content;
          if (typeof reasoning === 'string' && reasoning)
            yield { type: 'reasoning-delta', text: reasoning };
          if (delta.content) yield { type: 'text-delta', text: delta.content };
          if (delta.refusal) {
            refused = true;
            yield { type: 'text-delta', text: delta.refusal };
          }
          for (const piece of delta.tool_calls ?? []) {
            const argumentsDelta = piece.function?.arguments ?? '';
            if (closed.has(piece.index)) {
              if (argumentsDelta.trim())
                throw malformedStream(this.provider, 'delta for a finished call');
              continue;
            }
            const call = calls.add(piece.index, {
              id: piece.id,
              name: piece.function?.name,
              argumentsDelta,
            });
            yield {
              type: 'tool-call-delta',
              index: piece.index,
              ...(piece.id ? { id: piece.id } : {}),
              ...(piece.function?.name ? { name: piece.function.name } : {}),
              argumentsDelta,
            };
            // Complete JSON arguments end the call: start its tool now, while others stream.
            if (isCompleteJson(call.arguments)) {
              closed.add(piece.index);
              yield { type: 'tool-call', toolCall: calls.close(piece.index) as ToolCall };
            }
          }
          if (choice.finish_reason) {
            for (const done of calls.closeAll()) yield { type: 'tool-call', toolCall: done };
            finish = refused ? 'content-filter' : mapFinish(choice.finish_reason);
          }
        }
      }
    } catch (error) {
      throw streamFailure(error, this.provider, (e) => this.#error(e));
    }
    if (finish === undefined) throw truncatedStream(this.provider);
    yield { type: 'finish', finishReason: finish, ...response };
  }

  #params(request: ModelRequest): Params {
    const { config } = request;
    const o = this.#options;
    const params: Params = {
      model: this.model,
      messages: toOpenAIMessages(systemPromptFor(request, o.structuredOutput), request.messages),
    };
    if (request.tools.length) params.tools = toOpenAITools(request.tools, o.strict);
    if (request.responseFormat && o.structuredOutput === 'native') {
      params.response_format = {
        type: 'json_schema',
        json_schema: {
          name: request.responseFormat.name,
          schema: o.strict ? request.responseFormat.strictSchema : request.responseFormat.schema,
          strict: o.strict,
        },
      };
    }
    if (config.temperature !== undefined) params.temperature = config.temperature;
    if (config.topP !== undefined) params.top_p = config.topP;
    if (config.maxTokens !== undefined) params[o.maxTokensField] = config.maxTokens;
    if (config.frequencyPenalty !== undefined) params.frequency_penalty = config.frequencyPenalty;
    if (config.presencePenalty !== undefined) params.presence_penalty = config.presencePenalty;
    if (config.reasoningEffort !== undefined) params.reasoning_effort = config.reasoningEffort;
    if (config.topK !== undefined && o.allowTopK) params.top_k = config.topK;
    if (config.extraBody) Object.assign(params, config.extraBody);
    return params;
  }

  #requestOptions(request: ModelRequest): OpenAI.RequestOptions {
    return { signal: request.signal, ...(request.headers ? { headers: request.headers } : {}) };
  }

  #error(error: unknown): unknown {
    const sdk = this.#client.errors;
    return sdk ? toProviderError(error, this.provider, sdk) : error;
  }
}

/** True when `text` is a whole JSON object (a prefix of one never parses). */
function isCompleteJson(text: string): boolean {
  if (!text.trimEnd().endsWith('}')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function mapUsage(usage: OpenAI.CompletionUsage | null | undefined): UsageDelta {
  if (!usage) return {};
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    // OpenRouter (and gateways like it) report what the call cost.
    ...costReported(usage),
  };
}

function mapFinish(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

/** `usage.cost` in US dollars, as OpenRouter reports it, when present. */
function costReported(usage: OpenAI.CompletionUsage): { costUsd?: number } {
  const cost = (usage as { cost?: unknown }).cost;
  return typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? { costUsd: cost } : {};
}
