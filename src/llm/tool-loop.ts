import { GuardrailTripwireError } from '../errors/guardrail-tripwire-error.js';
import { currentSpan, inSpan } from '../telemetry/spans.js';
import { type LinkedController, linkedController, neverAborts } from '../utils/abort.js';
import { createLimiter } from '../utils/limiter.js';
import { type BudgetMeter, metersFor, startModelCall, startToolCall } from './budget.js';
import { endChat, endTool, startChat, startTool } from './call-telemetry.js';
import { runGuardrails } from './guardrails.js';
import type { LLMInput } from './llm-input.js';
import type { FinishDetails, FinishReason, LLMResult, ToolCallRecord } from './llm-result.js';
import { callHook, shouldStop } from './loop-hooks.js';
import { regularTools, validateInput } from './loop-input.js';
import { MaxTurnsExceededError } from './max-turns-exceeded-error.js';
import type { AssistantMessage, Message, ToolCall } from './message.js';
import type { ModelRequest, ModelStreamPart, ToolSpec } from './model-adapter.js';
import {
  callWithRetry,
  checkCallIds,
  type LoopContext,
  plainCall,
  startMessages,
  toTypedError,
  turnUsage,
} from './model-call.js';
import type { LLMStreamEvent } from './stream-event.js';
import { parseStructured, repairMessage, responseFormatFor } from './structured-output.js';
import { StructuredOutputError } from './structured-output-error.js';
import type { Tool } from './tool.js';
import {
  type ApprovalDecision,
  type ApprovalState,
  checkResume,
  needsApproval,
  refused,
  validArgs,
} from './tool-approval.js';
import { executeToolCall, type ToolOutcome, type ToolSet } from './tool-execution.js';
import { addUsage, emptyUsage, reportsUsage, type Usage } from './usage.js';

const NO_TOOLS = { regular: {}, background: {}, limiter: createLimiter(undefined) };

/** Receives stream events; absent for `chat()`. */
export type Emit<T> = ((event: LLMStreamEvent<T>) => void) | undefined;

/** One model round trip's outcome, with its tool calls already started. */
interface Turn {
  text: string;
  calls: ToolCall[];
  outcomes: Promise<ToolOutcome>[];
  usage: Usage;
  finishReason: FinishReason;
  details?: FinishDetails;
  /** The provider paused the turn: send it back and the model continues. */
  pause?: boolean;
  responseId?: string;
  responseModel?: string;
}

/**
 * The tool loop, written once for every provider: model call, concurrent tool execution,
 * native tool-result messages, structured output with one repair turn, `maxTurns` over every
 * round trip, usage summed over turns, abort and timeout.
 */
export function runToolLoop<T>(
  ctx: LoopContext,
  input: LLMInput<T>,
  emit: Emit<T>,
  streaming: boolean,
): Promise<LLMResult<T>> {
  try {
    validateInput(input, input.maxTurns ?? 10);
  } catch (error) {
    return Promise.reject(error);
  }
  const hasTools =
    input.regularFunctions !== undefined ||
    input.tools !== undefined ||
    input.backgroundTasks !== undefined;
  const guarded =
    input.inputGuardrails !== undefined ||
    input.outputGuardrails !== undefined ||
    input.resumeFrom !== undefined;
  // A controller of the run's own (aborted on failure, so running tools stop) only when there
  // is something to stop or a time limit; a plain call just passes the caller's signal on.
  const run =
    hasTools || guarded || input.timeoutMs !== undefined
      ? linkedController(input.signal, input.timeoutMs, 'The LLM call')
      : undefined;
  const meters = metersFor(input.budget);
  if (!hasTools && !guarded && !streaming && !input.structureType && !input.onStepFinish)
    return plainCall(ctx, input, run, meters);
  return loop(ctx, input, emit, streaming, hasTools, run, meters);
}

async function loop<T>(
  ctx: LoopContext,
  input: LLMInput<T>,
  emit: Emit<T>,
  streaming: boolean,
  hasTools: boolean,
  run: LinkedController | undefined,
  meters: readonly BudgetMeter[] | undefined,
): Promise<LLMResult<T>> {
  const maxTurns = input.maxTurns ?? 10;
  const signal = run?.signal ?? input.signal ?? neverAborts();
  const tools: ToolSet = hasTools
    ? {
        regular: regularTools(input),
        background: input.backgroundTasks ?? {},
        limiter: createLimiter(input.toolConcurrency),
        startBackground: ctx.startBackground,
      }
    : { ...NO_TOOLS, startBackground: ctx.startBackground };
  // A call resumed after approvals goes on from its stored transcript.
  const resumed = input.resumeFrom ? checkResume(input.resumeFrom, input.approvals) : undefined;
  const messages: Message[] = resumed ? structuredClone(resumed.messages) : startMessages(input);
  const request: ModelRequest = {
    systemPrompt: input.systemPrompt,
    messages,
    tools: hasTools ? toolSpecs(tools) : [],
    config: ctx.config,
    signal,
  };
  if (input.structureType) request.responseFormat = responseFormatFor(input.structureType);
  if (input.extraHeaders) request.headers = input.extraHeaders;

  const usage = resumed
    ? { ...resumed.usage }
    : emptyUsage(ctx.adapter.provider, ctx.adapter.model);
  const records: ToolCallRecord[] = resumed ? [...resumed.toolCalls] : [];
  let repaired = false;
  // The answer being continued after a paused turn, if any.
  let paused: AssistantMessage | undefined;
  // A budget that refused a tool call of this turn.
  let stopped: unknown;
  // Tool spans are the model call spans' siblings, under the span this call runs in.
  const parent = ctx.telemetry ? currentSpan() : undefined;
  try {
    // Input guardrails: `before` ones gate the first model call; `parallel` ones run with it.
    const { check: inputCheck } = resumed ? {} : await checkInput(input, signal, run);
    const record = (o: ToolOutcome, turn: number) => {
      messages.push({
        role: 'tool',
        toolCallId: o.call.id,
        toolName: o.call.name,
        content: o.content,
        ...(o.isError ? { isError: true } : {}),
      });
      records.push({
        ...o.call,
        turn,
        output: o.output,
        isError: o.isError,
        background: o.background,
      });
    };
    const execute = (call: ToolCall): Promise<ToolOutcome> => {
      if (meters) {
        try {
          startToolCall(meters);
        } catch (error) {
          // The call never starts; the turn ends with this error once the model has answered.
          stopped ??= error;
          return noOutcome(error);
        }
      }
      emit?.({ type: 'tool-call', toolCall: call, background: isBackground(tools, call) });
      callHook(input.onToolCall, call, ctx.logger, 'onToolCall');
      const span = startTool(ctx, call, parent);
      const running = inSpan(span, () => executeToolCall(call, tools, signal));
      // A tool guardrail's tripwire stops everything at once: the model stream, other tools.
      running.catch((error) => {
        if (GuardrailTripwireError.isInstance(error)) run?.controller.abort(error);
      });
      return running.then((outcome) => {
        endTool(ctx, span, outcome);
        if (input.onToolResult) {
          const { output, isError } = outcome;
          callHook(input.onToolResult, { call, output, isError }, ctx.logger, 'onToolResult');
        }
        emit?.({
          type: 'tool-result',
          toolCallId: call.id,
          toolName: call.name,
          output: outcome.output,
          isError: outcome.isError,
        });
        return outcome;
      });
    };
    if (resumed) {
      // The decided calls first: run the approved ones, tell the model of the refused.
      const decided = resumed.pending.map((p) => {
        const decision = input.approvals?.[p.callId] as ApprovalDecision;
        const args = decision.approve && 'args' in decision ? decision.args : p.args;
        const call = { id: p.callId, name: p.toolName, arguments: JSON.stringify(args ?? {}) };
        return decision.approve ? execute(call) : Promise.resolve(refused(call, decision.reason));
      });
      for (const o of await Promise.all(decided)) record(o, resumed.turn);
    }
    for (let turn = (resumed?.turn ?? 0) + 1; turn <= maxTurns; turn++) {
      emit?.({ type: 'turn-start', turn });
      const start = (call: ToolCall): Promise<ToolOutcome> => {
        const gate = hasTools ? validArgs(call, tools) : undefined;
        if (!gate) return execute(call);
        return needsApproval(gate.tool, gate.args, call).then((ask) =>
          ask ? waiting(call, gate.args) : execute(call),
        );
      };

      if (meters) startModelCall(meters);
      const trace = startChat(ctx, request);
      let result: Turn;
      try {
        result = await inSpan(trace?.span, () =>
          streaming
            ? streamTurn(ctx, request, emit, start)
            : generateTurn(ctx, request, emit, start),
        );
      } catch (error) {
        endChat(ctx, trace, { error });
        throw error;
      }
      endChat(ctx, trace, result);
      if (meters) for (const m of meters) m.charge(result.usage);
      addUsage(usage, result.usage);
      if (stopped) {
        for (const o of result.outcomes) o.catch(() => {});
        throw stopped;
      }
      emit?.({ type: 'usage', usage: result.usage, turn });
      // After a paused turn the model continues the same answer, in the same message.
      const assistant: AssistantMessage = paused ?? { role: 'assistant', content: '' };
      assistant.content += result.text;
      if (result.calls.length > 0) assistant.toolCalls = result.calls;
      // An empty answer never becomes an empty message (providers refuse those).
      const said = assistant.content !== '' || result.calls.length > 0;
      if (said && !messages.includes(assistant)) messages.push(assistant);
      paused = result.pause && result.calls.length === 0 ? assistant : undefined;
      if (paused) continue;

      const turnStart = records.length;
      if (result.calls.length > 0) {
        const outcomes = await Promise.all(result.outcomes);
        for (const o of outcomes) if (!o.pending) record(o, turn);
        finished(input, ctx, turn, result, records.slice(turnStart));
        const asked = outcomes.filter((o) => o.pending);
        if (asked.length > 0) {
          await inputCheck;
          return pendingResult<T>(asked, { messages, turn, usage, toolCalls: records });
        }
        if (input.stopWhen && shouldStop(input, { turn, toolCalls: records, usage }, ctx.logger)) {
          await inputCheck;
          return {
            llmResponse: assistant.content as T,
            usage,
            toolCalls: records,
            turns: turn,
            finishReason: result.finishReason,
            messages,
          };
        }
        // Cut by the output limit: the calls that ran were complete; the turn ends here.
        if (result.finishReason !== 'length') continue;
      } else finished(input, ctx, turn, result, []);

      let answer: unknown = assistant.content;
      if (input.structureType) {
        const parsed = parseStructured(assistant.content, input.structureType);
        if (!parsed.success) {
          if (repaired) throw new StructuredOutputError(assistant.content, parsed.issues, usage);
          repaired = true;
          messages.push({ role: 'user', content: repairMessage(parsed.issues) });
          continue;
        }
        answer = parsed.value;
      }
      await inputCheck;
      const context = { signal, text: assistant.content };
      await runGuardrails(input.outputGuardrails, 'output', answer, context);
      return {
        llmResponse: answer as T,
        usage,
        toolCalls: records,
        turns: turn,
        finishReason: result.finishReason,
        ...(result.details ? { finishDetails: result.details } : {}),
        messages,
      };
    }
    throw new MaxTurnsExceededError(maxTurns, messages, usage);
  } catch (error) {
    const typed = toTypedError(error, signal, ctx);
    run?.controller.abort(typed);
    throw typed;
  } finally {
    run?.dispose();
  }
}

/**
 * Runs the `before` input guardrails; starts the `parallel` ones, whose tripwire aborts the
 * call (the model call in flight is cancelled). Gives the parallel check, to await before
 * any answer is given.
 */
async function checkInput<T>(
  input: LLMInput<T>,
  signal: AbortSignal,
  run: LinkedController | undefined,
): Promise<{ check?: Promise<unknown> }> {
  const guardrails = input.inputGuardrails;
  if (!guardrails || guardrails.length === 0) return {};
  const value = {
    systemPrompt: input.systemPrompt,
    userMessage: input.userMessage,
    messages: input.messages ?? [],
  };
  const before = guardrails.filter((g) => g.runs !== 'parallel');
  const alongside = guardrails.filter((g) => g.runs === 'parallel');
  await runGuardrails(before, 'input', value, { signal });
  if (alongside.length === 0) return {};
  const check = runGuardrails(alongside, 'input', value, { signal });
  check.catch((error) => run?.controller.abort(error));
  return { check }; // in an object: returned bare, the async function would wait for it
}

/** A call that waits for a human: it did not run; its arguments are kept. */
function waiting(call: ToolCall, args: unknown): Promise<ToolOutcome> {
  return Promise.resolve({
    call,
    output: args,
    content: '',
    isError: false,
    background: false,
    pending: true,
  });
}

/** The result of a call stopped before tool calls that need approval. */
function pendingResult<T>(
  asked: ToolOutcome[],
  at: Pick<ApprovalState, 'messages' | 'turn' | 'usage' | 'toolCalls'>,
): LLMResult<T> {
  const pending = asked.map((o) => ({ callId: o.call.id, toolName: o.call.name, args: o.output }));
  const state: ApprovalState = {
    version: 1,
    messages: structuredClone(at.messages),
    turn: at.turn,
    usage: { ...at.usage },
    toolCalls: [...at.toolCalls],
    pending,
  };
  return {
    llmResponse: '' as T,
    usage: at.usage,
    toolCalls: at.toolCalls,
    turns: at.turn,
    finishReason: 'tool-calls',
    messages: at.messages,
    status: 'pending-approval',
    pendingApprovals: pending,
    state,
  };
}

/** Tells `onStepFinish` about a finished turn. */
function finished<T>(
  input: LLMInput<T>,
  ctx: LoopContext,
  turn: number,
  result: Turn,
  toolCalls: ToolCallRecord[],
): void {
  if (!input.onStepFinish) return;
  const { text, finishReason, usage } = result;
  callHook(
    input.onStepFinish,
    { turn, text, finishReason, usage, toolCalls },
    ctx.logger,
    'onStepFinish',
  );
}

/** The outcome of a tool call that never started (already handled: it is thrown elsewhere). */
function noOutcome(error: unknown): Promise<ToolOutcome> {
  const refused = Promise.reject(error);
  refused.catch(() => {});
  return refused;
}

function isBackground(tools: ToolSet, call: ToolCall): boolean {
  return Object.hasOwn(tools.background, call.name);
}

async function generateTurn<T>(
  ctx: LoopContext,
  request: ModelRequest,
  emit: Emit<T>,
  start: (call: ToolCall) => Promise<ToolOutcome>,
): Promise<Turn> {
  const response = await callWithRetry(ctx, request.signal, async () => {
    const answer = await ctx.adapter.generate(request);
    checkCallIds(answer.toolCalls, ctx.adapter.provider); // a malformed turn is retried
    return answer;
  });
  if (response.reasoning) emit?.({ type: 'reasoning-delta', text: response.reasoning });
  if (response.text) emit?.({ type: 'text-delta', text: response.text });
  // A turn cut by the output limit may end in an unfinished call: none of its calls runs.
  const calls = response.finishReason === 'length' ? [] : response.toolCalls;
  return {
    text: response.text,
    calls,
    outcomes: calls.map(start),
    usage: turnUsage(ctx, response.usage),
    finishReason: response.finishReason,
    ...(response.finishDetails ? { details: response.finishDetails } : {}),
    ...(response.pause ? { pause: true } : {}),
    ...(response.responseId ? { responseId: response.responseId } : {}),
    ...(response.responseModel ? { responseModel: response.responseModel } : {}),
  };
}

async function streamTurn<T>(
  ctx: LoopContext,
  request: ModelRequest,
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
        emit?.({ type: 'reasoning-delta', text: part.text });
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

function toolSpecs(tools: ToolSet): ToolSpec[] {
  const specs: ToolSpec[] = [];
  const add = (name: string, t: Tool) =>
    specs.push({
      name,
      description: t.description,
      parameters: t.jsonSchema,
      get strictParameters() {
        return t.strictJsonSchema;
      },
    });
  for (const [name, t] of Object.entries(tools.regular)) add(name, t);
  for (const [name, t] of Object.entries(tools.background)) add(name, t);
  return specs;
}
