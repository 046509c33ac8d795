import { asyncContext } from '../utils/async-context.js';
import type { LLMInput } from './llm-input.js';
import type { LLMResult } from './llm-result.js';
import type { Message } from './message.js';
import { startMessages } from './model-call.js';
import type { ApprovalDecision, ApprovalState } from './tool-approval.js';

export { Pause } from '../utils/pause.js';

/** The answers to a call stopped for approvals: the call's state and a decision per call. */
export interface ApprovalAnswer {
  approvals: Record<string, ApprovalDecision>;
  state: ApprovalState;
}

/**
 * Where the calls made inside some work (a workflow node) wait for approvals: a call that
 * stops for approval asks the gate, which answers (a resumed run) or pauses the work (throws
 * a `Pause`); a call made again after a resume gets the answer given to it.
 */
export interface ApprovalGate {
  /** The newest answer to a call that opened with `opening`, if the work was given one. */
  answerFor(opening: readonly Message[]): ApprovalAnswer | undefined;
  /**
   * The answer to `result`'s pending calls (of a call that opened with `opening`), or a thrown
   * `Pause` until someone gives it.
   */
  ask(result: LLMResult<unknown>, opening: readonly Message[]): ApprovalAnswer;
}

const gates = asyncContext<ApprovalGate>();

/** Runs `work` with its model calls waiting for approvals at `gate`. */
export function underApprovalGate<T>(gate: ApprovalGate, work: () => T): T {
  return gates.run(gate, work);
}

/** The gate the current work's calls wait at, if any. */
export function currentApprovalGate(): ApprovalGate | undefined {
  return gates.getStore();
}

/**
 * `chat(input)` through `gate`: a call given an answer before resumes from it (the model is
 * not asked again for turns already made); a call that stops for approval asks the gate and
 * goes on with the answer, so the caller never sees a pending result.
 */
export async function gatedChat<T>(
  chat: (input: LLMInput<T>) => Promise<LLMResult<T>>,
  input: LLMInput<T>,
  gate: ApprovalGate,
): Promise<LLMResult<T>> {
  const opening = startMessages(input);
  let answer = gate.answerFor(opening);
  for (;;) {
    const result = await chat(
      answer ? { ...input, resumeFrom: answer.state, approvals: answer.approvals } : input,
    );
    if (result.status !== 'pending-approval') return result;
    answer = gate.ask(result as LLMResult<unknown>, opening);
  }
}

/** Whether `state` is the state of a call that opened with `opening`. */
export function opensWith(state: ApprovalState, opening: readonly Message[]): boolean {
  const { messages } = state;
  if (!Array.isArray(messages) || messages.length < opening.length) return false;
  return JSON.stringify(messages.slice(0, opening.length)) === JSON.stringify(opening);
}
