import type {
  LanguageModelV3,
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4Message,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { ProviderError } from '../../errors/provider-error.js';
import type { FinishReason } from '../../llm/llm-result.js';
import type { ContentPart, Message, ToolCall } from '../../llm/message.js';
import type {
  ModelAdapter,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
} from '../../llm/model-adapter.js';
import type { UsageDelta } from '../../llm/usage.js';
import { type Logger, silentLogger } from '../../utils/logger.js';
import { bareError } from '../../utils/redact.js';
import { headerValue, retryAfterMs } from '../shared/retry-after.js';
import { connectionError, isNetworkError, redactSecrets } from '../shared/sdk-error.js';
import { truncatedStream } from '../shared/sse-guard.js';

/** Any Vercel AI SDK language model (specification v3 or v4). */
export type AiSdkLanguageModel = LanguageModelV4 | LanguageModelV3;

/**
 * A `ModelAdapter` over any AI SDK language model object (`doGenerate` / `doStream` of the
 * provider specification), so every AI SDK provider package works with arshai's loop.
 * `AiSdkClient` builds one.
 *
 * @example
 * ```ts
 * const client = new BaseLLMClient(new AiSdkAdapter(openai('gpt-4o-mini')), { model: 'gpt-4o-mini' });
 * ```
 */
export class AiSdkAdapter implements ModelAdapter {
  readonly provider: string;
  readonly model: string;
  readonly #model: LanguageModelV4;
  readonly #v3: boolean;
  readonly #logger: Logger;

  /** `logger` receives the warnings the model reports (e.g. a setting it does not support). */
  constructor(model: AiSdkLanguageModel, logger: Logger = silentLogger) {
    this.#logger = logger;
    this.#v3 = model.specificationVersion === 'v3';
    // v3 and v4 agree on everything used here except how file data is tagged.
    this.#model = model as unknown as LanguageModelV4;
    this.provider = model.provider;
    this.model = model.modelId;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    let result: Awaited<ReturnType<LanguageModelV4['doGenerate']>>;
    try {
      result = await this.#model.doGenerate(this.#options(request));
    } catch (error) {
      throw this.#error(error, request);
    }
    this.#warn(result.warnings);
    let text = '';
    let reasoning = '';
    const toolCalls: ToolCall[] = [];
    for (const part of result.content as LanguageModelV4Content[]) {
      if (part.type === 'text') text += part.text;
      else if (part.type === 'reasoning') reasoning += part.text;
      else if (part.type === 'tool-call' && !part.providerExecuted) {
        toolCalls.push({ id: part.toolCallId, name: part.toolName, arguments: part.input });
      }
    }
    return {
      text,
      ...(reasoning ? { reasoning } : {}),
      toolCalls,
      usage: mapUsage(result.usage),
      finishReason: mapFinish(result.finishReason),
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    let stream: ReadableStream<LanguageModelV4StreamPart>;
    try {
      ({ stream } = await this.#model.doStream(this.#options(request)));
    } catch (error) {
      throw this.#error(error, request);
    }
    const reader = stream.getReader();
    // Streamed tool inputs by id, numbered in the order they start.
    const inputs = new Map<string, number>();
    let finished = false;
    let ended = false;
    try {
      for (;;) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          throw this.#error(error, request);
        }
        if (next.done) {
          ended = true;
          break;
        }
        const part = next.value;
        switch (part.type) {
          case 'stream-start':
            this.#warn(part.warnings);
            break;
          case 'text-delta':
            yield { type: 'text-delta', text: part.delta };
            break;
          case 'reasoning-delta':
            yield { type: 'reasoning-delta', text: part.delta };
            break;
          case 'tool-input-start':
            inputs.set(part.id, inputs.size);
            yield {
              type: 'tool-call-delta',
              index: inputs.size - 1,
              id: part.id,
              name: part.toolName,
              argumentsDelta: '',
            };
            break;
          case 'tool-input-delta': {
            const index = inputs.get(part.id);
            if (index !== undefined) {
              yield { type: 'tool-call-delta', index, argumentsDelta: part.delta };
            }
            break;
          }
          case 'tool-call':
            // The model reports a call once its input is complete: its tool starts now.
            if (!part.providerExecuted) {
              yield {
                type: 'tool-call',
                toolCall: { id: part.toolCallId, name: part.toolName, arguments: part.input },
              };
            }
            break;
          case 'finish':
            finished = true;
            yield { type: 'usage', usage: mapUsage(part.usage) };
            yield { type: 'finish', finishReason: mapFinish(part.finishReason) };
            break;
          case 'error':
            throw this.#error(part.error, request);
          default:
            break;
        }
      }
    } finally {
      // Stopped early (the loop was aborted or failed): release the model's stream too.
      if (!ended) reader.cancel().catch(() => {});
      reader.releaseLock();
    }
    if (!finished) throw truncatedStream(this.provider);
  }

  /** Settings the model could not honour are reported, never dropped silently. */
  #warn(warnings: SharedV4Warning[] | undefined): void {
    for (const w of warnings ?? []) {
      this.#logger.warn('arshai: the AI SDK model reported a warning', {
        provider: this.provider,
        type: w.type,
        ...('feature' in w ? { feature: w.feature, details: w.details } : {}),
        ...('setting' in w ? { setting: w.setting } : {}),
        ...('message' in w ? { message: w.message } : {}),
      });
    }
  }

  #options(request: ModelRequest): LanguageModelV4CallOptions {
    const { config } = request;
    const options: LanguageModelV4CallOptions = {
      prompt: this.#prompt(request),
      abortSignal: request.signal,
    };
    if (request.tools.length) {
      options.tools = request.tools.map((t) => ({
        type: 'function',
        name: t.name,
        description: t.description,
        inputSchema: t.parameters,
      }));
    }
    if (request.responseFormat) {
      options.responseFormat = {
        type: 'json',
        schema: request.responseFormat.schema,
        name: request.responseFormat.name,
      };
    }
    if (request.headers) options.headers = request.headers;
    if (config.temperature !== undefined) options.temperature = config.temperature;
    if (config.topP !== undefined) options.topP = config.topP;
    if (config.topK !== undefined) options.topK = config.topK;
    if (config.maxTokens !== undefined) options.maxOutputTokens = config.maxTokens;
    if (config.frequencyPenalty !== undefined) options.frequencyPenalty = config.frequencyPenalty;
    if (config.presencePenalty !== undefined) options.presencePenalty = config.presencePenalty;
    return options;
  }

  #prompt(request: ModelRequest): LanguageModelV4Message[] {
    const prompt: LanguageModelV4Message[] = [];
    if (request.systemPrompt) prompt.push({ role: 'system', content: request.systemPrompt });
    for (const m of request.messages) {
      const message = this.#message(m);
      const last = prompt.at(-1);
      // The results of one turn's parallel calls form one tool message.
      if (last?.role === 'tool' && message.role === 'tool') last.content.push(...message.content);
      else prompt.push(message);
    }
    return prompt;
  }

  #message(m: Message): LanguageModelV4Message {
    switch (m.role) {
      case 'user':
        return {
          role: 'user',
          content:
            typeof m.content === 'string'
              ? [{ type: 'text', text: m.content }]
              : m.content.map((p) => this.#userPart(p)),
        };
      case 'assistant':
        return {
          role: 'assistant',
          content: [
            ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
            ...(m.toolCalls ?? []).map((c) => ({
              type: 'tool-call' as const,
              toolCallId: c.id,
              toolName: c.name,
              input: parseInput(c.arguments),
            })),
          ],
        };
      case 'tool':
        return {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: m.toolCallId,
              toolName: m.toolName,
              output: { type: m.isError ? 'error-text' : 'text', value: m.content },
            },
          ],
        };
    }
  }

  #userPart(part: ContentPart) {
    if (part.type === 'text') return { type: 'text' as const, text: part.text };
    // v4 tags file data; v3 takes the base64 string itself.
    const data = this.#v3 ? part.data : { type: 'data' as const, data: part.data };
    return { type: 'file' as const, mediaType: part.mediaType, data } as {
      type: 'file';
      mediaType: string;
      data: { type: 'data'; data: string };
    };
  }

  #error(error: unknown, request: ModelRequest): unknown {
    if (request.signal.aborted || ProviderError.isInstance(error)) return error;
    if (isNetworkError(error)) return connectionError(this.provider, error);
    const e = error as {
      statusCode?: number;
      isRetryable?: boolean;
      responseHeaders?: Record<string, string>;
      message?: string;
    };
    const requestId =
      headerValue(e?.responseHeaders, 'x-request-id') ??
      headerValue(e?.responseHeaders, 'request-id');
    const wait = retryAfterMs(e?.responseHeaders);
    const text = redactSecrets(e?.message ?? String(error)).slice(0, 500);
    return new ProviderError(`${this.provider} call failed: ${text}`, {
      provider: this.provider,
      ...(typeof e?.statusCode === 'number' ? { status: e.statusCode } : {}),
      ...(typeof e?.isRetryable === 'boolean'
        ? { retryable: e.isRetryable }
        : { retryable: false }),
      ...(requestId ? { requestId } : {}),
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      // The AI SDK's APICallError keeps the whole request body (prompts, tool arguments).
      cause: bareError(error, ['statusCode'], text),
    });
  }
}

function parseInput(args: string): unknown {
  try {
    return JSON.parse(args || '{}');
  } catch {
    return { invalid_arguments: args };
  }
}

function mapUsage(u: LanguageModelV4Usage | undefined): UsageDelta {
  if (!u || (u.inputTokens?.total === undefined && u.outputTokens?.total === undefined)) return {};
  const input = u.inputTokens.total ?? 0;
  const output = u.outputTokens.total ?? 0;
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output,
    reasoningTokens: u.outputTokens.reasoning ?? 0,
    cachedInputTokens: u.inputTokens.cacheRead ?? 0,
  };
}

function mapFinish(reason: LanguageModelV4FinishReason | string): FinishReason {
  const unified = typeof reason === 'string' ? reason : reason.unified;
  switch (unified) {
    case 'stop':
    case 'length':
    case 'content-filter':
    case 'tool-calls':
      return unified;
    default:
      return 'other';
  }
}
