import { GEN_AI, GEN_AI_METRICS } from '../telemetry/gen-ai.js';
import { endSpan, recordMetric, SPAN_KIND, startSpan } from '../telemetry/spans.js';
import type { SpanLike, TelemetryOptions } from '../telemetry/telemetry-types.js';
import { redactSecrets } from '../utils/redact.js';
import type { FinishReason } from './llm-result.js';
import type { ToolCall } from './message.js';
import type { ModelRequest } from './model-adapter.js';
import type { LoopContext } from './model-call.js';
import type { Usage } from './usage.js';

/** One model call's span and clock (no span, no clock read, without telemetry). */
export interface CallTrace {
  span: SpanLike | undefined;
  started: number;
}

/** Starts the `chat {model}` span of one model call, with the request's settings. */
export function startChat(ctx: LoopContext, request: ModelRequest): CallTrace | undefined {
  const telemetry = ctx.telemetry;
  if (!telemetry) return undefined;
  const { config } = ctx;
  const span = startSpan(
    telemetry,
    `chat ${config.model}`,
    {
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: ctx.adapter.provider,
      [GEN_AI.REQUEST_MODEL]: config.model,
      [GEN_AI.REQUEST_TEMPERATURE]: config.temperature,
      [GEN_AI.REQUEST_MAX_TOKENS]: config.maxTokens,
      'gen_ai.request.top_p': config.topP,
    },
    { kind: SPAN_KIND.CLIENT },
  );
  if (span && telemetry.recordContent) {
    span.setAttribute(GEN_AI.SYSTEM_INSTRUCTIONS, request.systemPrompt);
    span.setAttribute(GEN_AI.INPUT_MESSAGES, JSON.stringify(request.messages));
  }
  return { span, started: performance.now() };
}

/** Ends a model call's span with the response's usage and finish reason, and records metrics. */
export function endChat(
  ctx: LoopContext,
  trace: CallTrace | undefined,
  outcome:
    | {
        usage: Usage;
        finishReason: FinishReason;
        text: string;
        calls: readonly ToolCall[];
        responseId?: string | undefined;
        responseModel?: string | undefined;
      }
    | { error: unknown },
): void {
  if (!trace) return;
  const telemetry = ctx.telemetry as TelemetryOptions;
  const { span } = trace;
  const base = {
    [GEN_AI.OPERATION_NAME]: 'chat',
    [GEN_AI.PROVIDER_NAME]: ctx.adapter.provider,
    [GEN_AI.REQUEST_MODEL]: ctx.config.model,
  };
  const seconds = (performance.now() - trace.started) / 1000;
  if ('error' in outcome) {
    recordMetric(telemetry, GEN_AI_METRICS.OPERATION_DURATION, 's', seconds, {
      ...base,
      'error.type': (outcome.error as Error)?.name ?? 'Error',
    });
    // The client's secrets are masked before the error reaches the span.
    endSpan(span, redactSecrets(outcome.error, ctx.secrets));
    return;
  }
  const { usage } = outcome;
  span?.setAttributes({
    [GEN_AI.RESPONSE_MODEL]: outcome.responseModel ?? ctx.adapter.model,
    ...(outcome.responseId ? { [GEN_AI.RESPONSE_ID]: outcome.responseId } : {}),
    [GEN_AI.RESPONSE_FINISH_REASONS]: [outcome.finishReason],
    [GEN_AI.USAGE_INPUT_TOKENS]: usage.inputTokens,
    [GEN_AI.USAGE_OUTPUT_TOKENS]: usage.outputTokens,
    [GEN_AI.USAGE_CACHED_INPUT_TOKENS]: usage.cachedInputTokens,
    [GEN_AI.USAGE_REASONING_TOKENS]: usage.reasoningTokens,
    ...(usage.costUsd !== undefined ? { [GEN_AI.COST_USD]: usage.costUsd } : {}),
  });
  if (span && telemetry.recordContent) {
    span.setAttribute(
      GEN_AI.OUTPUT_MESSAGES,
      JSON.stringify([{ role: 'assistant', content: outcome.text, toolCalls: outcome.calls }]),
    );
  }
  recordMetric(telemetry, GEN_AI_METRICS.OPERATION_DURATION, 's', seconds, base);
  if (!usage.unreported) {
    recordMetric(telemetry, GEN_AI_METRICS.TOKEN_USAGE, '{token}', usage.inputTokens, {
      ...base,
      [GEN_AI.TOKEN_TYPE]: 'input',
    });
    recordMetric(telemetry, GEN_AI_METRICS.TOKEN_USAGE, '{token}', usage.outputTokens, {
      ...base,
      [GEN_AI.TOKEN_TYPE]: 'output',
    });
  }
  endSpan(span);
}

/** Starts the `execute_tool {name}` span of a tool call, under `parent`. */
export function startTool(
  ctx: LoopContext,
  call: ToolCall,
  parent: SpanLike | undefined,
): SpanLike | undefined {
  const telemetry = ctx.telemetry;
  if (!telemetry) return undefined;
  const span = startSpan(
    telemetry,
    `execute_tool ${call.name}`,
    {
      [GEN_AI.OPERATION_NAME]: 'execute_tool',
      [GEN_AI.TOOL_NAME]: call.name,
      [GEN_AI.TOOL_CALL_ID]: call.id,
    },
    { parent },
  );
  if (span && telemetry.recordContent)
    span.setAttribute(GEN_AI.TOOL_CALL_ARGUMENTS, call.arguments);
  return span;
}

/** Ends a tool call's span: an error result sets its status to ERROR. */
export function endTool(
  ctx: LoopContext,
  span: SpanLike | undefined,
  outcome: { content: string; isError: boolean },
): void {
  if (!span) return;
  if (ctx.telemetry?.recordContent) span.setAttribute(GEN_AI.TOOL_CALL_RESULT, outcome.content);
  // The tool's message may quote its arguments: only its kind goes into the span.
  endSpan(span, outcome.isError ? new ToolFailure() : undefined);
}

/** The error a failed tool call records (its message stays out of the span). */
class ToolFailure extends Error {
  override name = 'ToolError';
  constructor() {
    super('The tool call failed');
  }
}
