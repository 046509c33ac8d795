import type { BuiltinToolCall, Citation } from './builtin-tools.js';
import type { FinishDetails, FinishReason } from './llm-result.js';
import type { ToolCall } from './message.js';
import type { ModelRequest, ModelStreamPart } from './model-adapter.js';
import { callWithRetry, checkCallIds, type LoopContext, turnUsage } from './model-call.js';
import type { LLMStreamEvent } from './stream-event.js';
import type { ToolOutcome } from './tool-execution.js';
import { addUsage, emptyUsage, reportsUsage, type Usage } from './usage.js';

/** Receives stream events; absent for `chat()`. */
type Emit<T> = ((event: LLMStreamEvent<T>) => void) | undefined;

/** One model round trip's outcome, with its tool calls already started. */
export interface Turn {
  text: string;
  calls: ToolCall[];
  outcomes: Promise<ToolOutcome>[];
  usage: Usage;
  finishReason: FinishReason;
  details?: FinishDetails;
  /** The reasoning the model shared in this turn ('' when none). */
  reasoning: string;
  citations: Citation[];
  builtinToolCalls: BuiltinToolCall[];
  /** The provider paused the turn: send it back and the model continues. */
  pause?: boolean;
  responseId?: string;
  responseModel?: string;
}

/** One model round trip by `generate`; its tool calls start as soon as it answers. */
export async function generateTurn<T>(
  ctx: LoopContext,
  request: ModelRequest,
  turn: number,
  emit: Emit<T>,
  start: (call: ToolCall) => Promise<ToolOutcome>,
): Promise<Turn> {
  const response = await callWithRetry(ctx, request.signal, async () => {
    const answer = await ctx.adapter.generate(request);
    checkCallIds(answer.toolCalls, ctx.adapter.provider); // a malformed turn is retried
    return answer;
  });
  if (response.reasoning) emit?.({ type: 'reasoning-delta', text: response.reasoning });
  for (const call of response.builtinToolCalls ?? [])
    emit?.({ type: 'builtin-tool-call', call, turn });
  if (response.text) emit?.({ type: 'text-delta', text: response.text });
  for (const citation of response.citations ?? []) emit?.({ type: 'citation', citation, turn });
  // A turn cut by the output limit may end in an unfinished call: none of its calls runs.
  const calls = response.finishReason === 'length' ? [] : response.toolCalls;
  return {
    text: response.text,
    calls,
    outcomes: calls.map(start),
    usage: turnUsage(ctx, response.usage),
    finishReason: response.finishReason,
    ...(response.finishDetails ? { details: response.finishDetails } : {}),
    reasoning: response.reasoning ?? '',
    citations: response.citations ?? [],
    builtinToolCalls: response.builtinToolCalls ?? [],
    ...(response.pause ? { pause: true } : {}),
    ...(response.responseId ? { responseId: response.responseId } : {}),
    ...(response.responseModel ? { responseModel: response.responseModel } : {}),
  };
}

/** One model round trip by `stream`; each tool call starts as soon as it is complete. */
export async function streamTurn<T>(
  ctx: LoopContext,
  request: ModelRequest,
  turnNumber: number,
  emit: Emit<T>,
  start: (call: ToolCall) => Promise<ToolOutcome>,
): Promise<Turn> {
  // A stream is retried only until its first part arrives.
  const { iterator, first } = await callWithRetry(ctx, request.signal, async () => {
    const it = ctx.adapter.stream(request)[Symbol.asyncIterator]();
    return { iterator: it, first: await it.next() };
  });
  const turn: Turn = {
    text: '',
    calls: [],
    outcomes: [],
    usage: emptyUsage(ctx.adapter.provider, ctx.adapter.model),
    finishReason: 'stop',
    reasoning: '',
    citations: [],
    builtinToolCalls: [],
  };
  // The turn's usage parts, summed, then priced as one call.
  const delta = emptyUsage(ctx.adapter.provider, ctx.adapter.model);
  let reported = false;
  const ids = new Set<string>();
  const apply = (part: ModelStreamPart) => {
    switch (part.type) {
      case 'text-delta':
        turn.text += part.text;
        emit?.({ type: 'text-delta', text: part.text });
        break;
      case 'reasoning-delta':
        turn.reasoning += part.text;
        emit?.({ type: 'reasoning-delta', text: part.text });
        break;
      case 'citation':
        turn.citations.push(part.citation);
        emit?.({ type: 'citation', citation: part.citation, turn: turnNumber });
        break;
      case 'builtin-tool-call':
        turn.builtinToolCalls.push(part.call);
        emit?.({ type: 'builtin-tool-call', call: part.call, turn: turnNumber });
        break;
      case 'tool-call':
        checkCallIds([part.toolCall], ctx.adapter.provider, ids);
        turn.calls.push(part.toolCall);
        turn.outcomes.push(start(part.toolCall));
        break;
      case 'usage':
        if (reportsUsage(part.usage)) reported = true;
        addUsage(delta, part.usage);
        break;
      case 'finish':
        turn.finishReason = part.finishReason;
        if (part.details) turn.details = part.details;
        if (part.pause) turn.pause = true;
        if (part.responseId) turn.responseId = part.responseId;
        if (part.responseModel) turn.responseModel = part.responseModel;
        break;
      default:
        break;
    }
  };
  try {
    for (let next = first; !next.done; next = await iterator.next()) apply(next.value);
  } catch (error) {
    // Tools of this turn may be running: keep their rejections from going unhandled.
    for (const o of turn.outcomes) o.catch(() => {});
    throw error;
  }
  if (turn.calls.length > 0 && turn.finishReason === 'stop') turn.finishReason = 'tool-calls';
  turn.usage = turnUsage(ctx, reported ? delta : undefined);
  return turn;
}
