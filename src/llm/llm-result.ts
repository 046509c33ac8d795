import type { BuiltinToolCallRecord, Citation } from './builtin-tools.js';
import type { Message, ToolCall } from './message.js';
import type { ApprovalState, PendingApproval } from './tool-approval.js';
import type { Usage } from './usage.js';

/** Why the model stopped on its last turn. */
export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'other';

/** What the provider said about why the model stopped, beyond `finishReason`. */
export interface FinishDetails {
  /** The provider's own reason, e.g. `refusal`, `SAFETY`, `PROHIBITED_CONTENT`. */
  reason: string;
  /** A policy category, when the provider names one (e.g. Anthropic's refusal categories). */
  category?: string;
  /** The provider's explanation, when it gives one. */
  explanation?: string;
}

/** One tool call the loop executed, with its outcome. */
export interface ToolCallRecord extends ToolCall {
  /** Turn number (1-based) in which the model made the call. */
  turn: number;
  /** The tool's return value, or the error text when `isError`. */
  output: unknown;
  isError: boolean;
  /** True for background tasks (their `output` is the "started" notice). */
  background: boolean;
}

/**
 * What `chat()` returns and what the stream's `finish` event carries.
 *
 * @example
 * ```ts
 * const { llmResponse, usage, turns } = await client.chat(input);
 * ```
 */
export interface LLMResult<T = string> {
  /** The final answer: text, or the validated object when `structureType` was given. */
  llmResponse: T;
  /** Summed over all turns. */
  usage: Usage;
  /** Every tool call of every turn, in the order the model made them. */
  toolCalls: ToolCallRecord[];
  /**
   * The reasoning the model shared (summaries, thinking text) over all turns, when it shared
   * any. Also streamed as `reasoning-delta` events.
   */
  reasoning?: string;
  /** Calls of the provider's built-in tools (web search, …), in order; absent when none ran. */
  builtinToolCalls?: BuiltinToolCallRecord[];
  /** Sources the answer cites (a web search's URL annotations), when there are any. */
  citations?: Citation[];
  /** Number of model round trips. */
  turns: number;
  finishReason: FinishReason;
  /**
   * Why the model stopped, as the provider explained it: set for refusals and blocked
   * prompts (`finishReason: 'content-filter'`) where the provider says more.
   */
  finishDetails?: FinishDetails;
  /** The whole transcript: prior messages, the user message, and every turn after it. */
  messages: Message[];
  /**
   * Set by `FallbackLLMClient` when a client other than the first answered: its index, and
   * the failures of the clients tried before it.
   */
  fallback?: { index: number; errors: unknown[] };
  /**
   * `pending-approval` when the loop stopped before tool calls that need a human's approval
   * (`needsApproval`): `llmResponse` is then empty, `pendingApprovals` lists the calls, and
   * `state` (plain JSON) continues the call as `resumeFrom`. Absent for a finished call.
   */
  status?: 'pending-approval';
  pendingApprovals?: PendingApproval[];
  state?: ApprovalState;
}
