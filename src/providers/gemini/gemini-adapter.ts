import type {
  ApiError,
  GenerateContentConfig,
  GenerateContentResponse,
  GenerateContentResponseUsageMetadata,
  GoogleGenAI,
} from '@google/genai';
import { ProviderError } from '../../errors/provider-error.js';
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
import { connectionError, isNetworkError, redactSecrets } from '../shared/sdk-error.js';
import { malformedStream, streamFailure, truncatedStream } from '../shared/sse-guard.js';
import { LOCAL_ID_PREFIX, toGeminiContents, toGeminiTools } from './gemini-messages.js';

import { loadGemini } from './gemini-sdk.js';

type ApiErrorClass = typeof ApiError;

/**
 * A `ModelAdapter` over the Gemini API (`generateContent` / `streamGenerateContent`).
 * `GeminiClient` builds one; use it directly over a `GoogleGenAI` you configured (e.g. Vertex AI).
 *
 * @example
 * ```ts
 * const ai = new GoogleGenAI({ vertexai: true, project: 'my-project', location: 'us-central1' });
 * const client = new BaseLLMClient(new GeminiAdapter(ai, 'gemini-2.5-flash'), { model: 'gemini-2.5-flash' });
 * ```
 */
export class GeminiAdapter implements ModelAdapter {
  readonly provider = 'gemini';
  readonly model: string;
  readonly #client: LazySdk<GoogleGenAI, ApiErrorClass>;
  #localIds = 0;

  /** `client`: an SDK instance, or a function that makes one (called once, on first use). */
  constructor(client: SdkSource<GoogleGenAI>, model: string) {
    this.#client = new LazySdk(client, async () => (await loadGemini()).ApiError);
    this.model = model;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    const client = await this.#client.get();
    let response: GenerateContentResponse;
    try {
      response = await client.models.generateContent(this.#params(request));
    } catch (error) {
      throw toGeminiError(error, request.signal, this.#client.errors);
    }
    const usage = mapUsage(response?.usageMetadata);
    // No candidates is an answer only when the prompt was blocked (promptFeedback says why).
    const blocked = blockedPrompt(response);
    if (blocked) return { text: '', toolCalls: [], usage, ...blocked };
    if (!Array.isArray(response?.candidates) || response.candidates.length === 0) {
      throw malformed(this.provider, 'candidates');
    }
    const read = this.#read(response);
    return {
      ...read,
      finishReason: read.finishReason ?? 'stop',
      usage,
      ...responseIdentity(response?.responseId, response?.modelVersion),
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    const client = await this.#client.get();
    let stream: AsyncGenerator<GenerateContentResponse>;
    try {
      stream = await client.models.generateContentStream(this.#params(request));
    } catch (error) {
      throw toGeminiError(error, request.signal, this.#client.errors);
    }
    let usage: GenerateContentResponseUsageMetadata | undefined;
    let finish: FinishReason | undefined;
    let details: FinishDetails | undefined;
    let chunks = 0;
    let response: ResponseIdentity = {};
    try {
      for await (const chunk of stream) {
        chunks++;
        response = { ...response, ...responseIdentity(chunk.responseId, chunk.modelVersion) };
        const blocked = blockedPrompt(chunk);
        if (blocked) {
          finish = blocked.finishReason;
          details = blocked.finishDetails;
          if (chunk.usageMetadata) usage = chunk.usageMetadata;
          continue;
        }
        const read = this.#read(chunk);
        if (read.reasoning) yield { type: 'reasoning-delta', text: read.reasoning };
        if (read.text) yield { type: 'text-delta', text: read.text };
        // Gemini sends each function call whole: its tool can start at once.
        for (const toolCall of read.toolCalls) yield { type: 'tool-call', toolCall };
        if (chunk.usageMetadata) usage = chunk.usageMetadata;
        if (read.finishReason) finish = read.finishReason;
        if (read.finishDetails) details = read.finishDetails;
      }
    } catch (error) {
      if (ProviderError.isInstance(error)) throw error;
      throw streamFailure(error, this.provider, (e) =>
        streamError(e, request.signal, chunks, this.#client.errors),
      );
    }
    // A body that ended cleanly without one event was no event stream (a JSON or HTML body).
    if (chunks === 0) throw notAnEventStream(undefined);
    if (finish === undefined) throw truncatedStream(this.provider);
    if (usage) yield { type: 'usage', usage: mapUsage(usage) };
    yield { type: 'finish', finishReason: finish, ...(details ? { details } : {}), ...response };
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
    const finish = raw ? mapFinish(raw, toolCalls.length > 0, candidate?.finishMessage) : undefined;
    return {
      text,
      reasoning,
      toolCalls,
      finishReason: finish?.finishReason,
      ...(finish?.finishDetails ? { finishDetails: finish.finishDetails } : {}),
    };
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
 * Maps `@google/genai` errors. Its `ApiError` carries the status and the response body (as
 * JSON text) in its message: `{ error: { code, message, status, details } }`; the wait a 429
 * asks for is the body's `google.rpc.RetryInfo.retryDelay` (e.g. `"37s"`). Aborts pass through.
 */
function toGeminiError(
  error: unknown,
  signal: AbortSignal,
  sdkError: ApiErrorClass | undefined,
): unknown {
  if (signal.aborted || ProviderError.isInstance(error)) return error;
  // Aborted while the caller's signal is not: the SDK's own `timeout` fired.
  if ((error as Error)?.name === 'AbortError') return connectionError('gemini', error, true);
  if (sdkError && error instanceof sdkError) {
    const body = parseErrorBody(error.message);
    const delay = body?.details?.find((d) => typeof d.retryDelay === 'string')?.retryDelay;
    const seconds = delay ? Number.parseFloat(delay) : Number.NaN;
    const status = typeof body?.status === 'string' ? ` (${body.status})` : '';
    const message = typeof body?.message === 'string' ? `: ${redactSecrets(body.message)}` : '';
    return new ProviderError(`gemini API error ${error.status}${status}${message}`.slice(0, 500), {
      provider: 'gemini',
      status: error.status,
      ...(Number.isFinite(seconds) ? { retryAfterMs: seconds * 1000 } : {}),
      cause: error,
    });
  }
  if (isNetworkError(error)) return connectionError('gemini', error);
  const text = error instanceof Error ? error.message : String(error);
  return new ProviderError(`The gemini request failed: ${redactSecrets(text).slice(0, 300)}`, {
    provider: 'gemini',
    retryable: false,
    cause: error,
  });
}

/** Failures the SDK raises while it reads a stream, as typed stream errors. */
function streamError(
  error: unknown,
  signal: AbortSignal,
  chunks: number,
  sdkError: ApiErrorClass | undefined,
): unknown {
  const text =
    error instanceof Error && !(sdkError && error instanceof sdkError) ? error.message : '';
  if (text.startsWith('Incomplete JSON segment')) {
    // Not one event before the body ended: what came back was no event stream at all.
    return chunks === 0 ? notAnEventStream(error) : truncatedStream('gemini', error);
  }
  if (text.startsWith('exception parsing stream chunk')) return malformedStream('gemini', error);
  return toGeminiError(error, signal, sdkError);
}

function notAnEventStream(cause: unknown): ProviderError {
  return new ProviderError(
    'The gemini stream request was answered with a body that is not an event stream',
    { provider: 'gemini', status: 200, retryable: false, ...(cause ? { cause } : {}) },
  );
}

interface ErrorBody {
  message?: unknown;
  status?: unknown;
  details?: Array<{ retryDelay?: string }>;
}

/** The body is the message itself, or follows `got status: ...` for an error inside a stream. */
function parseErrorBody(text: string): ErrorBody | undefined {
  try {
    const parsed = JSON.parse(text.slice(Math.max(0, text.indexOf('{')))) as { error?: ErrorBody };
    const body = parsed.error;
    if (!body || typeof body !== 'object') return undefined;
    return { ...body, details: Array.isArray(body.details) ? body.details : [] };
  } catch {
    return undefined;
  }
}

function mapUsage(u: GenerateContentResponseUsageMetadata | undefined): UsageDelta {
  if (!u) return {};
  const thoughts = u.thoughtsTokenCount ?? 0;
  // Tokens of tool-use prompts count as input, as in `totalTokenCount`.
  const input = (u.promptTokenCount ?? 0) + (u.toolUsePromptTokenCount ?? 0);
  const output = (u.candidatesTokenCount ?? 0) + thoughts;
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: u.totalTokenCount ?? input + output,
    reasoningTokens: thoughts,
    cachedInputTokens: u.cachedContentTokenCount ?? 0,
  };
}

type Finish = { finishReason: FinishReason; finishDetails?: FinishDetails };

/** Reasons Gemini stops for a safety or policy filter. */
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'LANGUAGE',
]);

/**
 * Each finish reason mapped on purpose: filters are `content-filter` with the reason, a turn
 * the model got wrong (a malformed call or response) is a retryable typed error, a tool call
 * Gemini refused to make is a typed error — never an empty success.
 */
function mapFinish(reason: string, hasCalls: boolean, message: string | undefined): Finish {
  if (reason === 'MALFORMED_FUNCTION_CALL' || reason === 'MALFORMED_RESPONSE') {
    throw new ProviderError(`The gemini model produced a malformed turn (${reason})`, {
      provider: 'gemini',
      status: 200,
      retryable: true,
    });
  }
  if (reason === 'UNEXPECTED_TOOL_CALL' || reason === 'TOO_MANY_TOOL_CALLS') {
    throw new ProviderError(`The gemini model stopped: ${reason}`, {
      provider: 'gemini',
      status: 200,
      retryable: false,
    });
  }
  if (FILTERED.has(reason)) {
    return {
      finishReason: 'content-filter',
      finishDetails: { reason, ...(message ? { explanation: message } : {}) },
    };
  }
  if (hasCalls) return { finishReason: 'tool-calls' };
  if (reason === 'STOP') return { finishReason: 'stop' };
  if (reason === 'MAX_TOKENS') return { finishReason: 'length' };
  return { finishReason: 'other', finishDetails: { reason } };
}

/** A prompt Gemini blocked (`promptFeedback.blockReason`): a content filter, explained. */
function blockedPrompt(response: GenerateContentResponse | undefined): Finish | undefined {
  const feedback = response?.promptFeedback;
  if (!feedback?.blockReason || (response?.candidates?.length ?? 0) > 0) return undefined;
  return {
    finishReason: 'content-filter',
    finishDetails: {
      reason: feedback.blockReason,
      ...(feedback.blockReasonMessage ? { explanation: feedback.blockReasonMessage } : {}),
    },
  };
}
