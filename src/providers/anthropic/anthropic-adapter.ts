import type Anthropic from '@anthropic-ai/sdk';
import type {
  Usage as AnthropicUsage,
  MessageCreateParamsBase,
  MessageDeltaUsage,
  OutputConfig,
  RawMessageStreamEvent,
  RefusalStopDetails,
} from '@anthropic-ai/sdk/resources/messages';
import type { FinishDetails, FinishReason } from '../../llm/llm-result.js';
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
import { notAnEventStream, streamFailure, truncatedStream } from '../shared/sse-guard.js';
import { ToolCallAccumulator } from '../shared/tool-call-accumulator.js';
import { toAnthropicMessages, toAnthropicTools } from './anthropic-messages.js';
import { loadAnthropic } from './anthropic-sdk.js';
import { type ThinkingBlock, withThinking } from './anthropic-thinking.js';

/**
 * A `ModelAdapter` over Anthropic's Messages API, through the official SDK. `AnthropicClient`
 * builds one; use it directly to run the loop over an SDK instance you configured.
 *
 * @example
 * ```ts
 * const adapter = new AnthropicAdapter(new Anthropic({ maxRetries: 0 }), 'claude-sonnet-4-5', 4096);
 * const client = new BaseLLMClient(adapter, { model: 'claude-sonnet-4-5' });
 * ```
 */
export class AnthropicAdapter implements ModelAdapter {
  readonly provider = 'anthropic';
  readonly model: string;
  readonly #client: LazySdk<Anthropic, typeof Anthropic>;
  readonly #maxTokens: number;
  readonly #structuredOutput: StructuredOutputMode;

  /** `client`: an SDK instance, or a function that makes one (called once, on first use). */
  constructor(
    client: SdkSource<Anthropic>,
    model: string,
    defaultMaxTokens: number,
    structuredOutput: StructuredOutputMode = 'native',
  ) {
    this.#client = new LazySdk(client, async () => (await loadAnthropic()).default);
    this.model = model;
    this.#maxTokens = defaultMaxTokens;
    this.#structuredOutput = structuredOutput;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    const client = await this.#client.get();
    let message: Anthropic.Message;
    try {
      message = await client.messages.create(
        { ...this.#params(request), stream: false },
        this.#options(request),
      );
    } catch (error) {
      throw this.#error(error);
    }
    if (!Array.isArray(message?.content)) throw malformed(this.provider, 'content');
    let text = '';
    let reasoning = '';
    const toolCalls: ToolCall[] = [];
    let thinking: ThinkingBlock[] = [];
    for (const block of message.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'thinking') {
        reasoning += block.thinking;
        thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
      } else if (block.type === 'redacted_thinking') {
        thinking.push({ type: 'redacted_thinking', data: block.data });
      } else if (block.type === 'tool_use') {
        const call = {
          id: block.id,
          name: block.name,
          arguments: JSON.stringify(block.input ?? {}),
        };
        toolCalls.push(withThinking(call, thinking));
        thinking = [];
      }
    }
    return {
      text,
      ...(reasoning ? { reasoning } : {}),
      toolCalls,
      usage: mapUsage(message.usage),
      ...stopOf(message.stop_reason, message.stop_details),
      ...responseIdentity(message.id, message.model),
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    const client = await this.#client.get();
    let stream: AsyncIterable<RawMessageStreamEvent>;
    try {
      const { data, response } = await client.messages
        .create({ ...this.#params(request), stream: true }, this.#options(request))
        .withResponse();
      notAnEventStream(this.provider, response);
      stream = data;
    } catch (error) {
      throw this.#error(error);
    }
    const calls = new ToolCallAccumulator();
    // Thinking blocks by index while they stream; finished ones wait for the next tool call.
    const openThinking = new Map<number, ThinkingBlock>();
    let thinking: ThinkingBlock[] = [];
    let usage: Partial<AnthropicUsage> = {};
    let finish: Pick<ModelResponse, 'finishReason' | 'finishDetails' | 'pause'> = {
      finishReason: 'stop',
    };
    let stopped = false;
    let response: ResponseIdentity = {};
    // A closed tool_use block whose input is a whole JSON object is complete: its tool starts
    // at once. One with no input or a partial one may have been cut by max_tokens: it is held
    // until the model moves on (another block, or a stop reason other than the limit), and
    // dropped when the limit cut it, so an unfinished call never runs.
    let held: ToolCall | undefined;
    const release = function* (): Generator<ModelStreamPart> {
      // A held call the model moved on from: no input means `{}` (a tool without arguments).
      if (held)
        yield { type: 'tool-call', toolCall: { ...held, arguments: held.arguments || '{}' } };
      held = undefined;
    };
    try {
      for await (const event of stream) {
        switch (event.type) {
          case 'message_start':
            usage = { ...event.message.usage };
            response = responseIdentity(event.message.id, event.message.model);
            break;
          case 'content_block_start': {
            yield* release();
            const block = event.content_block;
            if (block.type === 'tool_use') {
              const { id, name } = block;
              calls.add(event.index, { id, name });
              yield { type: 'tool-call-delta', index: event.index, id, name, argumentsDelta: '' };
            } else if (block.type === 'thinking') {
              openThinking.set(event.index, { type: 'thinking', thinking: '', signature: '' });
            } else if (block.type === 'redacted_thinking') {
              openThinking.set(event.index, { type: 'redacted_thinking', data: block.data });
            }
            break;
          }
          case 'content_block_delta': {
            const d = event.delta;
            const open = openThinking.get(event.index);
            if (d.type === 'text_delta') yield { type: 'text-delta', text: d.text };
            else if (d.type === 'thinking_delta') {
              if (open?.type === 'thinking') open.thinking += d.thinking;
              yield { type: 'reasoning-delta', text: d.thinking };
            } else if (d.type === 'signature_delta') {
              if (open?.type === 'thinking') open.signature = d.signature;
            } else if (d.type === 'input_json_delta') {
              calls.add(event.index, { argumentsDelta: d.partial_json });
              yield { type: 'tool-call-delta', index: event.index, argumentsDelta: d.partial_json };
            }
            break;
          }
          case 'content_block_stop': {
            const done = openThinking.get(event.index);
            if (done) {
              openThinking.delete(event.index);
              thinking.push(done);
            }
            // The call's input is complete: its tool starts now.
            const call = calls.close(event.index);
            if (call) {
              const toolCall = withThinking(call, thinking);
              thinking = [];
              if (isWholeJson(call.arguments)) yield { type: 'tool-call', toolCall };
              else held = toolCall;
            }
            break;
          }
          case 'message_delta':
            if (event.delta.stop_reason) {
              finish = stopOf(event.delta.stop_reason, event.delta.stop_details);
              if (finish.finishReason === 'length')
                held = undefined; // cut: never runs
              else yield* release();
            }
            mergeUsage(usage, event.usage);
            break;
          case 'message_stop':
            stopped = true;
            break;
          default:
            break;
        }
      }
    } catch (error) {
      throw streamFailure(error, this.provider, (e) => this.#error(e));
    }
    if (!stopped) throw truncatedStream(this.provider);
    yield* release();
    // A tool_use block that never closed is unfinished: cut by the limit, or a broken turn.
    if (calls.openIndexes().length > 0 && finish.finishReason !== 'length') {
      throw malformed(this.provider, 'content_block_stop for a tool_use block', true);
    }
    yield { type: 'usage', usage: mapUsage(usage) };
    yield {
      type: 'finish',
      finishReason: finish.finishReason,
      ...(finish.finishDetails ? { details: finish.finishDetails } : {}),
      ...(finish.pause ? { pause: true } : {}),
      ...response,
    };
  }

  #params(request: ModelRequest): MessageCreateParamsBase {
    const { config } = request;
    const params: MessageCreateParamsBase = {
      model: this.model,
      max_tokens: config.maxTokens ?? this.#maxTokens,
      messages: toAnthropicMessages(request.messages),
    };
    const system = systemPromptFor(request, this.#structuredOutput);
    if (system) params.system = system;
    if (request.tools.length) params.tools = toAnthropicTools(request.tools);
    const output: OutputConfig = {};
    if (request.responseFormat && this.#structuredOutput === 'native') {
      output.format = { type: 'json_schema', schema: request.responseFormat.schema };
    }
    if (config.reasoningEffort !== undefined) {
      output.effort = config.reasoningEffort === 'minimal' ? 'low' : config.reasoningEffort;
    }
    if (output.format || output.effort) params.output_config = output;
    // Sampling fields: accepted by the models that support them (newer models reject them).
    const sampling = params as MessageCreateParamsBase & Record<string, unknown>;
    if (config.temperature !== undefined) sampling.temperature = config.temperature;
    if (config.topP !== undefined) sampling.top_p = config.topP;
    if (config.topK !== undefined) sampling.top_k = config.topK;
    if (config.extraBody) Object.assign(params, config.extraBody);
    return params;
  }

  #error(error: unknown): unknown {
    const sdk = this.#client.errors;
    return sdk ? toProviderError(error, this.provider, sdk) : error;
  }

  #options(request: ModelRequest): Anthropic.RequestOptions {
    return { signal: request.signal, ...(request.headers ? { headers: request.headers } : {}) };
  }
}

/** `message_delta` usage counts are cumulative; the ones it carries replace earlier ones. */
function mergeUsage(usage: Partial<AnthropicUsage>, delta: Partial<MessageDeltaUsage> | undefined) {
  if (!delta) return;
  const keys = [
    'input_tokens',
    'output_tokens',
    'cache_read_input_tokens',
    'cache_creation_input_tokens',
  ] as const;
  for (const key of keys) {
    const value = delta[key];
    if (typeof value === 'number') usage[key] = value;
  }
}

/** Anthropic's `input_tokens` exclude cache reads and writes; arshai's input count includes them. */
function mapUsage(u: Partial<AnthropicUsage> | null | undefined): UsageDelta {
  if (!u || (u.input_tokens === undefined && u.output_tokens === undefined)) return {};
  const cacheRead = u.cache_read_input_tokens ?? 0;
  const input = (u.input_tokens ?? 0) + cacheRead + (u.cache_creation_input_tokens ?? 0);
  const output = u.output_tokens ?? 0;
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output,
    cachedInputTokens: cacheRead,
  };
}

function isWholeJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The stop reason, its details (a refusal's category and explanation), and a pause. */
function stopOf(
  reason: string | null | undefined,
  details: RefusalStopDetails | null | undefined,
): Pick<ModelResponse, 'finishReason' | 'finishDetails' | 'pause'> {
  if (reason === 'pause_turn') return { finishReason: 'stop', pause: true };
  const finishReason = mapStop(reason);
  if (reason !== 'refusal') return { finishReason };
  const finishDetails: FinishDetails = { reason: 'refusal' };
  if (details?.category) finishDetails.category = details.category;
  if (details?.explanation) finishDetails.explanation = details.explanation;
  return { finishReason, finishDetails };
}

function mapStop(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}
