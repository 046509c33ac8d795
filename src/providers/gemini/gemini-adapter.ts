import type {
  GenerateContentConfig,
  GenerateContentResponse,
  GenerateContentResponseUsageMetadata,
  GoogleGenAI,
} from '@google/genai';
import { ProviderError } from '../../errors/provider-error.js';
import type { FinishReason } from '../../llm/llm-result.js';
import type { ToolCall } from '../../llm/message.js';
import type {
  ModelAdapter,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
} from '../../llm/model-adapter.js';
import type { UsageDelta } from '../../llm/usage.js';
import { malformedStream, truncatedStream } from '../shared/sse-guard.js';
import { LOCAL_ID_PREFIX, toGeminiContents, toGeminiTools } from './gemini-messages.js';

/** A `ModelAdapter` over the Gemini API (`generateContent` / `streamGenerateContent`). */
export class GeminiAdapter implements ModelAdapter {
  readonly provider = 'gemini';
  readonly model: string;
  readonly #client: GoogleGenAI;
  #localIds = 0;

  constructor(client: GoogleGenAI, model: string) {
    this.#client = client;
    this.model = model;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    let response: GenerateContentResponse;
    try {
      response = await this.#client.models.generateContent(this.#params(request));
    } catch (error) {
      throw toGeminiError(error, request.signal);
    }
    const read = this.#read(response);
    return {
      ...read,
      finishReason: read.finishReason ?? 'stop',
      usage: mapUsage(response.usageMetadata),
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    let stream: AsyncGenerator<GenerateContentResponse>;
    try {
      stream = await this.#client.models.generateContentStream(this.#params(request));
    } catch (error) {
      throw toGeminiError(error, request.signal);
    }
    let usage: GenerateContentResponseUsageMetadata | undefined;
    let finish: FinishReason | undefined;
    try {
      for await (const chunk of stream) {
        const read = this.#read(chunk);
        if (read.reasoning) yield { type: 'reasoning-delta', text: read.reasoning };
        if (read.text) yield { type: 'text-delta', text: read.text };
        // Gemini sends each function call whole: its tool can start at once.
        for (const toolCall of read.toolCalls) yield { type: 'tool-call', toolCall };
        if (chunk.usageMetadata) usage = chunk.usageMetadata;
        if (read.finishReason) finish = read.finishReason;
      }
    } catch (error) {
      if (error instanceof SyntaxError) throw malformedStream(this.provider, error);
      throw toGeminiError(error, request.signal);
    }
    if (finish === undefined) throw truncatedStream(this.provider);
    if (usage) yield { type: 'usage', usage: mapUsage(usage) };
    yield { type: 'finish', finishReason: finish };
  }

  #read(response: GenerateContentResponse) {
    const candidate = response.candidates?.[0];
    let text = '';
    let reasoning = '';
    const toolCalls: ToolCall[] = [];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) {
        const call = part.functionCall;
        toolCalls.push({
          id: call.id ?? `${LOCAL_ID_PREFIX}${++this.#localIds}`,
          name: call.name ?? '',
          arguments: JSON.stringify(call.args ?? {}),
          ...(part.thoughtSignature
            ? { providerMetadata: { thoughtSignature: part.thoughtSignature } }
            : {}),
        });
      } else if (typeof part.text === 'string') {
        if (part.thought) reasoning += part.text;
        else text += part.text;
      }
    }
    const raw = candidate?.finishReason;
    const finishReason = raw ? mapFinish(raw, toolCalls.length > 0) : undefined;
    return { text, reasoning, toolCalls, finishReason };
  }

  #params(request: ModelRequest) {
    const { config } = request;
    const c: GenerateContentConfig = { abortSignal: request.signal };
    if (request.systemPrompt) c.systemInstruction = request.systemPrompt;
    if (request.tools.length) c.tools = [{ functionDeclarations: toGeminiTools(request.tools) }];
    if (request.responseFormat) {
      c.responseMimeType = 'application/json';
      c.responseJsonSchema = request.responseFormat.schema;
    }
    if (config.temperature !== undefined) c.temperature = config.temperature;
    if (config.topP !== undefined) c.topP = config.topP;
    if (config.topK !== undefined) c.topK = config.topK;
    if (config.maxTokens !== undefined) c.maxOutputTokens = config.maxTokens;
    if (config.frequencyPenalty !== undefined) c.frequencyPenalty = config.frequencyPenalty;
    if (config.presencePenalty !== undefined) c.presencePenalty = config.presencePenalty;
    if (config.reasoningEffort !== undefined) {
      c.thinkingConfig = { thinkingBudget: THINKING_BUDGET[config.reasoningEffort] };
    }
    if (request.headers || config.extraBody) {
      c.httpOptions = {
        ...(request.headers ? { headers: request.headers } : {}),
        ...(config.extraBody ? { extraBody: config.extraBody } : {}),
      };
    }
    return { model: this.model, contents: toGeminiContents(request.messages), config: c };
  }
}

const THINKING_BUDGET = { minimal: 0, low: 1024, medium: 8192, high: 24576 } as const;

/**
 * Maps `@google/genai` errors. Its `ApiError` carries the status and the response body in the
 * message; the wait a 429 asks for is the body's `RetryInfo.retryDelay` (e.g. `"37s"`).
 */
function toGeminiError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || ProviderError.isInstance(error)) return error;
  const e = error as { name?: string; status?: unknown; message?: string };
  if (typeof e?.status === 'number') {
    const delay = /"retryDelay"\s*:\s*"([\d.]+)s"/.exec(e.message ?? '');
    return new ProviderError(`gemini API error ${e.status}`, {
      provider: 'gemini',
      status: e.status,
      ...(delay ? { retryAfterMs: Number(delay[1]) * 1000 } : {}),
      cause: error,
    });
  }
  const connection =
    e instanceof TypeError || /fetch failed|ECONN|socket|terminated/i.test(e?.message ?? '');
  return new ProviderError(`gemini request failed: ${e?.message ?? String(error)}`, {
    provider: 'gemini',
    retryable: connection,
    cause: error,
  });
}

function mapUsage(u: GenerateContentResponseUsageMetadata | undefined): UsageDelta {
  if (!u) return {};
  const thoughts = u.thoughtsTokenCount ?? 0;
  const input = u.promptTokenCount ?? 0;
  const output = (u.candidatesTokenCount ?? 0) + thoughts;
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: u.totalTokenCount ?? input + output,
    reasoningTokens: thoughts,
    cachedInputTokens: u.cachedContentTokenCount ?? 0,
  };
}

function mapFinish(reason: string, hasCalls: boolean): FinishReason {
  if (hasCalls) return 'tool-calls';
  switch (reason) {
    case 'STOP':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
      return 'content-filter';
    default:
      return 'other';
  }
}
