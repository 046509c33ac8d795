import { GuardrailTripwireError } from '../errors/guardrail-tripwire-error.js';
import { currentSpan, inSpan } from '../telemetry/spans.js';
import { type LinkedController, linkedController, neverAborts } from '../utils/abort.js';
import { createLimiter } from '../utils/limiter.js';
import { currentApprovalGate, gatedChat, Pause } from './approval-gate.js';
import { type BudgetMeter, metersFor, startModelCall, startToolCall } from './budget.js';
import { endChat, endTool, startChat, startTool } from './call-telemetry.js';
import { checkInput, type GuardrailWatch, runGuardrails } from './guardrails.js';
import type { LLMInput } from './llm-input.js';
import type { LLMResult, ToolCallRecord } from './llm-result.js';
import { callHook, shouldStop } from './loop-hooks.js';
import { checkBuiltinTools, regularTools, validateInput } from './loop-input.js';
import { MaxTurnsExceededError } from './max-turns-exceeded-error.js';
import type { AssistantMessage, Message, ToolCall } from './message.js';
import type { ModelRequest, ToolSpec } from './model-adapter.js';
import { type LoopContext, plainCall, startMessages, toTypedError } from './model-call.js';
import { generateTurn, streamTurn, type Turn } from './model-turn.js';
import type { LLMStreamEvent } from './stream-event.js';
import { parseStructured, repairMessage, responseFormatFor } from './structured-output.js';
import { StructuredOutputError } from './structured-output-error.js';
import type { Tool } from './tool.js';
import {
  type ApprovalDecision,
  checkResume,
  needsApproval,
  pendingResult,
  refused,
  validArgs,
  waiting,
} from './tool-approval.js';
import { executeToolCall, type ToolOutcome, type ToolSet } from './tool-execution.js';
import { TurnExtras } from './turn-extras.js';
import { addUsage, emptyUsage } from './usage.js';

const NO_TOOLS = { regular: {}, background: {}, limiter: createLimiter(undefined) };

/** Receives stream events; absent for `chat()`. */
export type Emit<T> = ((event: LLMStreamEvent<T>) => void) | undefined;

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
  // Inside a workflow node, a call that stops for approval pauses the run instead.
  const gate = input.resumeFrom === undefined ? currentApprovalGate() : undefined;
  if (gate) return gatedChat((i) => startLoop(ctx, i, emit, streaming), input, gate);
  return startLoop(ctx, input, emit, streaming);
}

function startLoop<T>(
  ctx: LoopContext,
  input: LLMInput<T>,
  emit: Emit<T>,
  streaming: boolean,
): Promise<LLMResult<T>> {
  try {
    validateInput(input, input.maxTurns ?? 10);
    checkBuiltinTools(input.builtinTools, ctx.adapter);
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
  // Guardrail checks are traced with the client's telemetry and heard by `onGuardrail`.
  const watch: GuardrailWatch = {
    telemetry: ctx.telemetry,
    onGuardrail: input.onGuardrail,
    logger: ctx.logger,
  };
  const tools: ToolSet = hasTools
    ? {
        regular: regularTools(input),
        background: input.backgroundTasks ?? {},
        limiter: createLimiter(input.toolConcurrency),
        startBackground: ctx.startBackground,
        watch,
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
  if (input.builtinTools?.length) request.builtinTools = input.builtinTools;
  const extras = new TurnExtras();

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
    const { check: inputCheck } = resumed ? {} : await checkInput(input, signal, run, watch);
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
        if (GuardrailTripwireError.isInstance(error) || Pause.isInstance(error))
          run?.controller.abort(error);
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
            ? streamTurn(ctx, request, turn, emit, start)
            : generateTurn(ctx, request, turn, emit, start),
        );
      } catch (error) {
        endChat(ctx, trace, { error });
        throw error;
      }
      endChat(ctx, trace, result);
      if (meters) for (const m of meters) m.charge(result.usage);
      addUsage(usage, result.usage);
      extras.add(turn, result);
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
            ...extras.fields(),
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
      await runGuardrails(input.outputGuardrails, 'output', answer, context, watch);
      return {
        llmResponse: answer as T,
        usage,
        toolCalls: records,
        turns: turn,
        finishReason: result.finishReason,
        ...(result.details ? { finishDetails: result.details } : {}),
        ...extras.fields(),
        messages,
      };
    }
    throw new MaxTurnsExceededError(maxTurns, messages, usage);
  } catch (error) {
    if (Pause.isInstance(error)) {
      // Not a failure: the work waits for someone (an agent used as a tool waits for approval).
      run?.controller.abort(error);
      throw error;
    }
    const typed = toTypedError(error, signal, ctx);
    run?.controller.abort(typed);
    throw typed;
  } finally {
    run?.dispose();
  }
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
