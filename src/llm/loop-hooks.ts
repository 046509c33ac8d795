import type { Logger } from '../utils/logger.js';
import type { GuardrailEvent } from './guardrails.js';
import type { FinishReason, ToolCallRecord } from './llm-result.js';
import type { ToolCall } from './message.js';
import type { Usage } from './usage.js';

/** One finished model turn, as `onStepFinish` gets it. */
export interface StepFinish {
  /** 1-based. */
  turn: number;
  text: string;
  finishReason: FinishReason;
  /** This turn's usage (and cost, when priced). */
  usage: Usage;
  /** The tool calls of this turn, with their results. */
  toolCalls: ToolCallRecord[];
}

/** What a stop condition sees after each turn that called tools. */
export interface StopState {
  /** Turns so far. */
  turn: number;
  /** Every tool call so far, with its result. */
  toolCalls: readonly ToolCallRecord[];
  /** Usage so far. */
  usage: Usage;
}

/** Ends the tool loop after a turn when it returns `true` (the answer is that turn's text). */
export type StopCondition = (state: StopState) => boolean;

/** Callbacks of one call's tool loop. A hook that throws is logged and never breaks the call. */
export interface LoopHooks {
  /** After each model turn (its tool calls done). */
  onStepFinish?: (step: StepFinish) => void;
  /** When a tool call starts. */
  onToolCall?: (call: ToolCall) => void;
  /** When a tool call has its result. */
  onToolResult?: (result: { call: ToolCall; output: unknown; isError: boolean }) => void;
  /** When a guardrail (input, output or a tool's) has checked: which, where, whether it tripped. */
  onGuardrail?: (event: GuardrailEvent) => void;
  /**
   * Stops the loop after a turn that called tools, besides `maxTurns`: one condition or
   * several (any). E.g. `stepCountIs(3)`, `hasToolCall('submit')`.
   */
  stopWhen?: StopCondition | StopCondition[];
}

/** Stops after `n` turns. */
export function stepCountIs(n: number): StopCondition {
  return (state) => state.turn >= n;
}

/** Stops once a tool of this name was called. */
export function hasToolCall(name: string): StopCondition {
  return (state) => state.toolCalls.some((c) => c.name === name);
}

/** Calls a hook; a throwing hook goes to the logger (its message only: it may hold data). */
export function callHook<A>(
  hook: ((arg: A) => void) | undefined,
  arg: A,
  logger: Logger,
  name: string,
): void {
  if (!hook) return;
  try {
    hook(arg);
  } catch (error) {
    logger.warn(`arshai: the ${name} hook threw; the call goes on`, {
      error: (error as Error)?.name ?? typeof error,
    });
  }
}

/** Whether a stop condition says stop (a throwing condition is logged and means: go on). */
export function shouldStop(hooks: LoopHooks, state: StopState, logger: Logger): boolean {
  const conditions = hooks.stopWhen
    ? Array.isArray(hooks.stopWhen)
      ? hooks.stopWhen
      : [hooks.stopWhen]
    : [];
  return conditions.some((condition) => {
    try {
      return condition(state);
    } catch (error) {
      logger.warn('arshai: the stopWhen condition threw; the call goes on', {
        error: (error as Error)?.name ?? typeof error,
      });
      return false;
    }
  });
}
