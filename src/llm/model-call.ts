import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { ProviderError } from '../errors/provider-error.js';
import type { Policy } from '../resilience/policy.js';
import { inSpan } from '../telemetry/spans.js';
import type { TelemetryOptions } from '../telemetry/telemetry-types.js';
import { abortErrorFrom, type LinkedController, neverAborts } from '../utils/abort.js';
import { createLimiter } from '../utils/limiter.js';
import type { Logger } from '../utils/logger.js';
import { parseMedia } from '../utils/media.js';
import { redactSecrets } from '../utils/redact.js';
import { type RetryOptions, retry } from '../utils/retry.js';
import { type BudgetMeter, scopedPricing, startModelCall } from './budget.js';
import { endChat, startChat } from './call-telemetry.js';
import type { LLMConfig } from './llm-config.js';
import type { LLMInput } from './llm-input.js';
import type { LLMResult, ToolCallRecord } from './llm-result.js';
import { MaxTurnsExceededError } from './max-turns-exceeded-error.js';
import type { AssistantMessage, ContentPart, Message, ToolCall, UserMessage } from './message.js';
import type { ModelAdapter, ModelRequest, ModelResponse } from './model-adapter.js';
import { costOf, findPrice, type Pricing } from './pricing.js';
import { executeToolCall, type StartBackgroundTask, type ToolSet } from './tool-execution.js';
import { TurnExtras } from './turn-extras.js';
import { addUsage, emptyUsage, reportsUsage, type Usage, type UsageDelta } from './usage.js';

/** What a model call (and the tool loop) needs from the client that runs it. */
export interface LoopContext {
  adapter: ModelAdapter;
  config: LLMConfig;
  logger: Logger;
  retry: RetryOptions | false;
  /** Values masked in every error the loop raises (the client's API key). */
  secrets: readonly string[];
  /** Every model call (its retries included) runs through it, when given. */
  breaker?: Policy;
  /** Prices of models, for `usage.costUsd`. */
  pricing?: Pricing;
  /** Spans and metrics, when given a tracer or a meter. */
  telemetry?: TelemetryOptions;
  startBackground: StartBackgroundTask;
}

/**
 * Every failure leaving the loop is a typed arshai error (an aborted run reports the abort),
 * with the client's secrets masked in it and its whole cause chain.
 */
export function toTypedError(error: unknown, signal: AbortSignal, ctx: LoopContext): ArshaiError {
  if (signal.aborted) return abortErrorFrom(signal);
  const typed = ArshaiError.isInstance(error)
    ? error
    : new ProviderError(
        `Model call failed: ${error instanceof Error ? error.message : String(error)}`,
        { provider: ctx.adapter.provider, cause: error, retryable: false },
      );
  return redactSecrets(typed, ctx.secrets);
}

/** Runs one model call through the client's circuit breaker and retries. */
export function callWithRetry<R>(
  ctx: LoopContext,
  signal: AbortSignal,
  call: () => Promise<R>,
): Promise<R> {
  const retried = () => (ctx.retry === false ? call() : retry(call, ctx.retry, signal));
  return ctx.breaker ? ctx.breaker.execute(retried, signal) : retried();
}

/**
 * Tool calls of one turn need an id each, all different (results are matched by id): a turn
 * without is a malformed response, refused before any of its tools runs. Retryable: the
 * model will most likely answer properly next time.
 */
export function checkCallIds(
  calls: readonly ToolCall[],
  provider: string,
  seen = new Set<string>(),
): void {
  for (const call of calls) {
    if (typeof call.id !== 'string' || call.id === '') {
      throw malformedTurn(provider, `a call of "${call.name}" has no id`);
    }
    if (seen.has(call.id)) throw malformedTurn(provider, `two tool calls have the id "${call.id}"`);
    seen.add(call.id);
  }
}

function malformedTurn(provider: string, what: string): ProviderError {
  return new ProviderError(`The ${provider} response is malformed: ${what}`, {
    provider,
    retryable: true,
  });
}

/** The usage of one model call: its counts, or `unreported` when it reported none. */
export function turnUsage(ctx: LoopContext, delta: UsageDelta | undefined): Usage {
  const usage = emptyUsage(ctx.adapter.provider, ctx.adapter.model);
  if (reportsUsage(delta)) addUsage(usage, delta);
  else usage.unreported = 1;
  // A cost the provider reported wins; else the tokens at the price of the model.
  // Without a pricing table nothing is priced (and nothing is said to be unpriced).
  const pricing = ctx.pricing ?? scopedPricing();
  if (usage.costUsd === undefined && pricing) {
    const price = reportsUsage(delta) ? findPrice(pricing, ctx.adapter.model) : undefined;
    if (price && delta) usage.costUsd = costOf(delta, price);
    else usage.unpriced = 1;
  }
  return usage;
}

/** The transcript a call starts with: the prior messages, then the new user message. */
export function startMessages<T>(input: LLMInput<T>): Message[] {
  return input.messages ? [...input.messages, userMessage(input)] : [userMessage(input)];
}

function userMessage<T>(input: LLMInput<T>): UserMessage {
  if (!input.images?.length && !input.pdfs?.length) {
    return { role: 'user', content: input.userMessage };
  }
  const parts: ContentPart[] = [{ type: 'text', text: input.userMessage }];
  input.images?.forEach((image, i) => {
    parts.push({ type: 'image', ...parseMedia(image, `images[${i}]`) });
  });
  input.pdfs?.forEach((pdf, i) => {
    const media = parseMedia(pdf, `pdfs[${i}]`);
    if (media.mediaType !== 'application/pdf') {
      throw new InvalidInputError(`pdfs[${i}]`, `expected a PDF, got ${media.mediaType}`);
    }
    parts.push({ type: 'file', ...media });
  });
  return { role: 'user', content: parts };
}

/**
 * A call without tools or structured output, not streamed: one model round trip. The same
 * result as the tool loop's, in a small frame of its own — thousands of concurrent calls
 * keep little memory while they wait for the model.
 */
export async function plainCall<T>(
  ctx: LoopContext,
  input: LLMInput<T>,
  run: LinkedController | undefined,
  meters: readonly BudgetMeter[] | undefined,
): Promise<LLMResult<T>> {
  const signal = run?.signal ?? input.signal ?? neverAborts();
  const messages = startMessages(input);
  const request: ModelRequest = {
    systemPrompt: input.systemPrompt,
    messages,
    tools: [],
    config: ctx.config,
    signal,
  };
  if (input.extraHeaders) request.headers = input.extraHeaders;
  if (input.builtinTools?.length) request.builtinTools = input.builtinTools;
  const extras = new TurnExtras();
  try {
    const usage = emptyUsage(ctx.adapter.provider, ctx.adapter.model);
    const maxTurns = input.maxTurns ?? 10;
    // Text of paused turns and of their continuation make one answer, one assistant message.
    let answer: AssistantMessage | undefined;
    const records: ToolCallRecord[] = [];
    for (let turn = 1; ; turn++) {
      if (meters) startModelCall(meters);
      const trace = startChat(ctx, request);
      let response: ModelResponse;
      try {
        response = await inSpan(trace?.span, () =>
          ctx.retry === false && !ctx.breaker
            ? ctx.adapter.generate(request)
            : callWithRetry(ctx, signal, () => ctx.adapter.generate(request)),
        );
      } catch (error) {
        endChat(ctx, trace, { error });
        throw error;
      }
      const spent = turnUsage(ctx, response.usage);
      endChat(ctx, trace, {
        usage: spent,
        finishReason: response.finishReason,
        text: response.text,
        calls: response.toolCalls,
        responseId: response.responseId,
        responseModel: response.responseModel,
      });
      if (meters) for (const m of meters) m.charge(spent);
      addUsage(usage, spent);
      extras.add(turn, response);
      if (response.toolCalls.length > 0 && response.finishReason !== 'length') {
        // Calls to tools the model was not given go back to it as errors, as in the loop.
        checkCallIds(response.toolCalls, ctx.adapter.provider);
        answer = undefined;
        messages.push({ role: 'assistant', content: response.text, toolCalls: response.toolCalls });
        for (const call of response.toolCalls) {
          const outcome = await executeToolCall(call, noTools(ctx), signal);
          const { content, output } = outcome;
          messages.push({
            role: 'tool',
            toolCallId: call.id,
            toolName: call.name,
            content,
            isError: true,
          });
          records.push({ ...call, turn, output, isError: true, background: false });
        }
        if (turn < maxTurns) continue;
        throw new MaxTurnsExceededError(maxTurns, messages, usage);
      }
      if (answer) answer.content += response.text;
      else if (response.text) {
        answer = { role: 'assistant', content: response.text };
        messages.push(answer);
      }
      // A paused turn (Anthropic's pause_turn) is sent back as it is; the model continues.
      if (response.pause && turn < maxTurns) continue;
      if (response.pause) throw new MaxTurnsExceededError(maxTurns, messages, usage);
      return {
        llmResponse: (answer?.content ?? '') as T,
        usage,
        toolCalls: records,
        turns: turn,
        finishReason: response.finishReason,
        ...(response.finishDetails ? { finishDetails: response.finishDetails } : {}),
        ...extras.fields(),
        messages,
      };
    }
  } catch (error) {
    const typed = toTypedError(error, signal, ctx);
    run?.controller.abort(typed);
    throw typed;
  } finally {
    run?.dispose();
  }
}

/** The tool set of a call that was given no tools. */
function noTools(ctx: LoopContext): ToolSet {
  return {
    regular: {},
    background: {},
    limiter: createLimiter(undefined),
    startBackground: ctx.startBackground,
  };
}
