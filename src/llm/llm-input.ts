import type { ZodType } from 'zod/v4';
import type { Budget } from './budget.js';
import type { BuiltinTool } from './builtin-tools.js';
import type { InputGuardrail, OutputGuardrail } from './guardrails.js';
import type { LoopHooks } from './loop-hooks.js';
import type { Message } from './message.js';
import type { Tool } from './tool.js';
import type { ApprovalDecision, ApprovalState } from './tool-approval.js';

/**
 * One request to an LLM client: a system prompt, the user's message, prior conversation,
 * attachments, tools and an optional output schema.
 *
 * @example
 * ```ts
 * const input: LLMInput = {
 *   systemPrompt: 'You are terse.',
 *   userMessage: 'Hello',
 *   messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hi!' }],
 * };
 * ```
 */
export interface LLMInput<T = string> extends LoopHooks {
  systemPrompt: string;
  userMessage: string;
  /** Prior conversation, oldest first; the new user message is appended after it. */
  messages?: Message[];
  /** Images as base64 or data URLs; the MIME type is sniffed from the bytes. */
  images?: string[];
  /** PDF documents as base64 or data URLs. */
  pdfs?: string[];
  /** Tools the model may call; their results come back to it in the next turn. */
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type are accepted
  regularFunctions?: Record<string, Tool<any, unknown>>;
  /** The same as `regularFunctions` (the name `ChatAgent` uses); both may be given, with different names. */
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type are accepted
  tools?: Record<string, Tool<any, unknown>>;
  /** Tools that start detached: the model is told they started and the loop goes on. */
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type are accepted
  backgroundTasks?: Record<string, Tool<any, unknown>>;
  /**
   * The provider's own tools for this call, passed through as given, e.g.
   * `[{ type: 'web_search' }]` (`OpenAIResponsesClient`). The provider runs them; their calls
   * and citations are in the result. A client whose provider has none refuses them.
   */
  builtinTools?: BuiltinTool[];
  /** When set, the final answer is parsed and validated into `T`. */
  structureType?: ZodType<T>;
  /**
   * Maximum number of model round trips, whatever each contained.
   * @default 10
   */
  maxTurns?: number;
  /** Maximum number of tool calls of one turn running at once. @default unlimited */
  toolConcurrency?: number;
  /** HTTP headers added to this request. */
  extraHeaders?: Record<string, string>;
  /** Cancels the model call and running tools. */
  signal?: AbortSignal | undefined;
  /** Time limit for the whole call, all turns included. */
  timeoutMs?: number | undefined;
  /**
   * Limits of this call (tokens, cost, tool calls, model calls), on top of any budget it runs
   * under (`withBudget`, a workflow run's): crossing one stops it before its next model or
   * tool call with `BudgetExceededError`.
   */
  budget?: Budget;
  /**
   * Checks of the input: before the first model call (or alongside it, `runs: 'parallel'`);
   * a tripwire ends the call with `GuardrailTripwireError`.
   */
  inputGuardrails?: InputGuardrail[];
  /** Checks of the final answer (the parsed value for structured output); a tripwire ends the call. */
  outputGuardrails?: OutputGuardrail<T>[];
  /**
   * The `state` of a `pending-approval` result: the call continues where it stopped (the
   * turn already made is not asked again), with `approvals` deciding each pending call.
   */
  resumeFrom?: ApprovalState;
  /** One decision per pending call, by call id: `{ approve: true, args? }` or `{ approve: false, reason? }`. */
  approvals?: Record<string, ApprovalDecision>;
}
