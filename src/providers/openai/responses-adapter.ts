import type OpenAI from 'openai';
import type {
  ResponseCreateParamsBase,
  ResponseIncludable,
  ResponseStreamEvent,
  Tool,
} from 'openai/resources/responses/responses';
import type { BuiltinTool, BuiltinToolCall, Citation } from '../../llm/builtin-tools.js';
import type { ToolCall } from '../../llm/message.js';
import type {
  ModelAdapter,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
} from '../../llm/model-adapter.js';
import { LazySdk, type SdkSource } from '../shared/lazy-sdk.js';
import { malformed } from '../shared/malformed-response.js';
import { responseIdentity } from '../shared/response-identity.js';
import { type StructuredOutputMode, systemPromptFor } from '../shared/schema-instructions.js';
import { toProviderError } from '../shared/sdk-error.js';
import { notAnEventStream, streamFailure, truncatedStream } from '../shared/sse-guard.js';
import { ToolCallAccumulator } from '../shared/tool-call-accumulator.js';
import { loadOpenAI } from './openai-sdk.js';
import { toResponsesInput, toResponsesTools } from './responses-input.js';
import {
  builtinCall,
  CallItems,
  citationOf,
  finishOf,
  isBuiltinItem,
  mapUsage,
  messageOf,
  responseFailure,
} from './responses-output.js';

/** How the adapter talks to a Responses endpoint. */
export interface OpenAIResponsesAdapterOptions {
  /** Provider id in usage and errors. */
  provider: string;
  /** Model (or Azure deployment) name. */
  model: string;
  /** Strict function calling and strict JSON schema. */
  strict: boolean;
  /** `text.format` with a JSON schema, or the schema stated in the instructions. */
  structuredOutput: StructuredOutputMode;
  /** Keep responses at OpenAI (`store`). */
  store: boolean;
  /** Ask for reasoning items' encrypted content (`include: ['reasoning.encrypted_content']`). */
  encryptedReasoning: boolean;
  /** Continue tool turns by `previous_response_id` instead of resending the transcript. */
  chain: boolean;
  /** `reasoning.summary`, when reasoning summaries are wanted. */
  reasoningSummary?: 'auto' | 'concise' | 'detailed';
  /** Built-in tools sent with every request. */
  builtinTools: readonly BuiltinTool[];
  /** More `include` values. */
  include: readonly string[];
}

type Params = ResponseCreateParamsBase & Record<string, unknown>;
type Item = Record<string, unknown> & { type?: unknown };

/**
 * A `ModelAdapter` over OpenAI's Responses API, through the official SDK:
 * `OpenAIResponsesClient` builds one.
 *
 * @example
 * ```ts
 * const adapter = new OpenAIResponsesAdapter(new OpenAI({ maxRetries: 0 }), {
 *   provider: 'openai', model: 'gpt-5-mini', strict: true, structuredOutput: 'native',
 *   store: false, encryptedReasoning: true, chain: false, builtinTools: [], include: [],
 * });
 * const client = new BaseLLMClient(adapter, { model: 'gpt-5-mini' });
 * ```
 */
export class OpenAIResponsesAdapter implements ModelAdapter {
  readonly provider: string;
  readonly model: string;
  readonly builtinTools = true;
  readonly #client: LazySdk<OpenAI, typeof OpenAI>;
  readonly #options: OpenAIResponsesAdapterOptions;

  /** `client`: an SDK instance, or a function that makes one (called once, on first use). */
  constructor(client: SdkSource<OpenAI>, options: OpenAIResponsesAdapterOptions) {
    this.#client = new LazySdk(client, async () => (await loadOpenAI()).default);
    this.#options = options;
    this.provider = options.provider;
    this.model = options.model;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    const client = await this.#client.get();
    let response: OpenAI.Responses.Response;
    try {
      response = await client.responses.create(
        { ...this.#params(request), stream: false },
        this.#requestOptions(request),
      );
    } catch (error) {
      throw this.#error(error);
    }
    if (!Array.isArray(response?.output)) throw malformed(this.provider, 'output');
    if (response.status === 'failed') throw responseFailure(this.provider, response.error);
    const items = new CallItems(response.id);
    let text = '';
    let refusal = '';
    const reasoning: string[] = [];
    const toolCalls: ToolCall[] = [];
    const citations: Citation[] = [];
    const builtin: BuiltinToolCall[] = [];
    for (const item of response.output as unknown as Item[]) {
      if (item.type === 'message') {
        const said = messageOf(item);
        text += said.text;
        refusal += said.refusal;
        citations.push(...said.citations);
      } else if (item.type === 'reasoning') {
        const summary = items.reasoning(item);
        if (summary) reasoning.push(summary);
      } else if (item.type === 'function_call') {
        if (item.status !== 'incomplete') toolCalls.push(items.call(item, this.provider));
      } else if (isBuiltinItem(item)) builtin.push(builtinCall(item));
    }
    const finish = finishOf(response);
    return {
      // A refusal (structured output, safety) comes instead of text: it is the answer.
      text: text || refusal,
      ...(reasoning.length ? { reasoning: reasoning.join('\n\n') } : {}),
      toolCalls,
      usage: mapUsage(response.usage),
      ...(refusal && !text
        ? { finishReason: 'content-filter', finishDetails: { reason: 'refusal' } }
        : toolCalls.length && finish.finishReason === 'stop'
          ? { finishReason: 'tool-calls' }
          : finish),
      ...(citations.length ? { citations } : {}),
      ...(builtin.length ? { builtinToolCalls: builtin } : {}),
      ...responseIdentity(response.id, response.model),
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    const client = await this.#client.get();
    let stream: AsyncIterable<ResponseStreamEvent>;
    try {
      const { data, response } = await client.responses
        .create({ ...this.#params(request), stream: true }, this.#requestOptions(request))
        .withResponse();
      notAnEventStream(this.provider, response);
      stream = data;
    } catch (error) {
      throw this.#error(error);
    }
    const calls = new ToolCallAccumulator();
    const items = new CallItems();
    let refused = false;
    let summaries = 0;
    try {
      for await (const event of stream) {
        switch (event.type) {
          case 'response.created':
          case 'response.in_progress':
            items.responseId = event.response.id;
            break;
          case 'response.output_text.delta':
            if (event.delta) yield { type: 'text-delta', text: event.delta };
            break;
          case 'response.refusal.delta':
            refused = true;
            if (event.delta) yield { type: 'text-delta', text: event.delta };
            break;
          case 'response.reasoning_summary_part.added':
            // Summaries apart by a blank line, as a non-streamed answer joins them.
            if (summaries++ > 0) yield { type: 'reasoning-delta', text: '\n\n' };
            break;
          case 'response.reasoning_summary_text.delta':
            if (event.delta) yield { type: 'reasoning-delta', text: event.delta };
            break;
          case 'response.output_text.annotation.added': {
            const citation = citationOf(event.annotation);
            if (citation) yield { type: 'citation', citation };
            break;
          }
          case 'response.output_item.added': {
            const item = event.item as unknown as Item;
            if (item.type !== 'function_call') break;
            const piece = {
              ...(typeof item.call_id === 'string' ? { id: item.call_id } : {}),
              ...(typeof item.name === 'string' ? { name: item.name } : {}),
              argumentsDelta: typeof item.arguments === 'string' ? item.arguments : '',
            };
            calls.add(event.output_index, piece);
            yield { type: 'tool-call-delta', index: event.output_index, ...piece };
            break;
          }
          case 'response.function_call_arguments.delta':
            calls.add(event.output_index, { argumentsDelta: event.delta });
            yield {
              type: 'tool-call-delta',
              index: event.output_index,
              argumentsDelta: event.delta,
            };
            break;
          case 'response.output_item.done': {
            const item = event.item as unknown as Item;
            if (item.type === 'reasoning') items.reasoning(item);
            else if (item.type === 'function_call') {
              calls.close(event.output_index);
              // The call's item is complete: its tool starts now, while the stream goes on.
              if (item.status !== 'incomplete')
                yield { type: 'tool-call', toolCall: items.call(item, this.provider) };
            } else if (isBuiltinItem(item))
              yield { type: 'builtin-tool-call', call: builtinCall(item) };
            break;
          }
          case 'response.completed':
          case 'response.incomplete': {
            const done = event.response;
            yield { type: 'usage', usage: mapUsage(done.usage) };
            const finish = finishOf(done);
            // Completed with a call whose item never finished: a broken turn, not a silent drop.
            if (done.status === 'completed' && calls.openIndexes().length > 0)
              throw malformed(this.provider, 'output_item.done for a function call', true);
            yield {
              type: 'finish',
              ...(refused && done.status === 'completed'
                ? { finishReason: 'content-filter', details: { reason: 'refusal' } }
                : {
                    finishReason: finish.finishReason,
                    ...(finish.finishDetails ? { details: finish.finishDetails } : {}),
                  }),
              ...responseIdentity(done.id, done.model),
            };
            return;
          }
          case 'response.failed':
            throw responseFailure(this.provider, event.response.error);
          case 'error':
            throw responseFailure(this.provider, event);
          default:
            break;
        }
      }
    } catch (error) {
      throw streamFailure(error, this.provider, (e) => this.#error(e));
    }
    throw truncatedStream(this.provider);
  }

  #params(request: ModelRequest): Params {
    const { config } = request;
    const o = this.#options;
    const { input, previousResponseId } = toResponsesInput(request.messages, o.chain);
    const params: Params = { model: this.model, input, store: o.store };
    const instructions = systemPromptFor(request, o.structuredOutput);
    if (instructions) params.instructions = instructions;
    if (previousResponseId) params.previous_response_id = previousResponseId;
    const tools: Tool[] = [
      ...toResponsesTools(request.tools, o.strict),
      ...(o.builtinTools as unknown as Tool[]),
      ...((request.builtinTools ?? []) as Tool[]),
    ];
    if (tools.length) params.tools = tools;
    const include = new Set(o.include);
    if (o.encryptedReasoning) include.add('reasoning.encrypted_content');
    // A web search's sources come only when asked for.
    if (tools.some((t) => t.type.startsWith('web_search')))
      include.add('web_search_call.action.sources');
    if (include.size) params.include = [...include] as ResponseIncludable[];
    if (request.responseFormat && o.structuredOutput === 'native') {
      params.text = {
        format: {
          type: 'json_schema',
          name: request.responseFormat.name,
          schema: o.strict ? request.responseFormat.strictSchema : request.responseFormat.schema,
          strict: o.strict,
        },
      };
    }
    if (config.temperature !== undefined) params.temperature = config.temperature;
    if (config.topP !== undefined) params.top_p = config.topP;
    if (config.maxTokens !== undefined) params.max_output_tokens = config.maxTokens;
    if (config.reasoningEffort !== undefined || o.reasoningSummary !== undefined) {
      params.reasoning = {
        ...(config.reasoningEffort !== undefined ? { effort: config.reasoningEffort } : {}),
        ...(o.reasoningSummary !== undefined ? { summary: o.reasoningSummary } : {}),
      };
    }
    if (config.extraBody) Object.assign(params, config.extraBody);
    return params;
  }

  #requestOptions(request: ModelRequest): OpenAI.RequestOptions {
    return { signal: request.signal, ...(request.headers ? { headers: request.headers } : {}) };
  }

  #error(error: unknown): unknown {
    const sdk = this.#client.errors;
    if (!sdk) return error;
    // An in-stream `event: error` the SDK raises as an APIError without a status.
    if (
      error instanceof sdk.APIError &&
      error.status === undefined &&
      !(error instanceof sdk.APIConnectionError) &&
      !(error instanceof sdk.APIUserAbortError)
    )
      return responseFailure(this.provider, error.error ?? error, error);
    return toProviderError(error, this.provider, sdk);
  }
}
