import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { LLMResult, ToolCallRecord } from './llm-result.js';
import type { Message, ToolCall } from './message.js';
import type { Tool } from './tool.js';
import type { ToolOutcome, ToolSet } from './tool-execution.js';
import type { Usage } from './usage.js';

/** A tool call the loop did not run: it waits for a human's approval. */
export interface PendingApproval {
  callId: string;
  toolName: string;
  /** The validated arguments the model gave. */
  args: unknown;
}

/** A human's answer to one pending call: run it (maybe with edited arguments), or refuse it. */
export type ApprovalDecision =
  | { approve: true; args?: unknown }
  | { approve: false; reason?: string };

/**
 * Where a call that waits for approvals stopped: plain JSON, to store anywhere and pass back as
 * `resumeFrom` with the same input and `approvals`.
 */
export interface ApprovalState {
  version: 1;
  /** The transcript so far, with the results of the calls that did run. */
  messages: Message[];
  /** The turn that made the pending calls. */
  turn: number;
  usage: Usage;
  toolCalls: ToolCallRecord[];
  pending: PendingApproval[];
}

/** Whether `tool` needs approval for `args` (a rule that throws counts as "yes"). */
export async function needsApproval(
  tool: Tool | undefined,
  args: unknown,
  call: ToolCall,
): Promise<boolean> {
  const rule = tool?.needsApproval;
  if (rule === undefined || rule === false) return false;
  if (rule === true) return true;
  try {
    return (await rule(args, { toolCallId: call.id, toolName: call.name })) !== false;
  } catch {
    return true; // when in doubt, a human decides
  }
}

/** The validated arguments of a call to a regular tool, or undefined when they are not valid. */
export function validArgs(
  call: ToolCall,
  tools: ToolSet,
): { tool: Tool; args: unknown } | undefined {
  const tool = Object.hasOwn(tools.regular, call.name) ? tools.regular[call.name] : undefined;
  if (!tool?.needsApproval) return undefined;
  let parsed: unknown;
  try {
    parsed = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch {
    return undefined;
  }
  const checked = tool.checkArgs(parsed);
  return checked.success ? { tool, args: checked.value } : undefined;
}

/** The outcome of a refused call, as the model reads it. */
export function refused(call: ToolCall, reason: string | undefined): ToolOutcome {
  const text = `The user did not approve this call${reason ? `: ${reason}` : '.'}`;
  return { call, output: text, content: text, isError: true, background: false };
}

/** Checks `resumeFrom` and `approvals`: one decision for each pending call, nothing else. */
export function checkResume(
  state: unknown,
  approvals: Record<string, ApprovalDecision> | undefined,
): ApprovalState {
  const s = state as ApprovalState;
  if (s?.version !== 1 || !Array.isArray(s.messages) || !Array.isArray(s.pending))
    throw new InvalidInputError('resumeFrom', 'must be the state of a pending-approval result');
  if (typeof approvals !== 'object' || approvals === null)
    throw new InvalidInputError(
      'approvals',
      'give one decision per pending call: { [callId]: { approve } }',
    );
  const ids = new Set(s.pending.map((p) => p.callId));
  for (const id of Object.keys(approvals)) {
    if (!ids.has(id)) throw new InvalidInputError(`approvals.${id}`, 'is not a pending call');
  }
  for (const p of s.pending) {
    const decision = approvals[p.callId];
    if (typeof decision?.approve !== 'boolean')
      throw new InvalidInputError(`approvals.${p.callId}`, 'needs { approve: true | false }');
  }
  return s;
}

/** A call that waits for a human: it did not run; its arguments are kept. */
export function waiting(call: ToolCall, args: unknown): Promise<ToolOutcome> {
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
export function pendingResult<T>(
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
