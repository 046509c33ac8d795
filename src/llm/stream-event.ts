import type { ArshaiError } from '../errors/arshai-error.js';
import type { BuiltinToolCall, Citation } from './builtin-tools.js';
import type { LLMResult } from './llm-result.js';
import type { ToolCall } from './message.js';
import type { Usage } from './usage.js';

/**
 * One event of `LLMClient.stream()`. Text comes as deltas, never cumulative.
 *
 * - `turn-start`: a model round trip begins (1-based `turn`).
 * - `text-delta` / `reasoning-delta`: new text since the previous delta.
 * - `tool-call`: the model finished a call's arguments; the tool starts now.
 * - `tool-result`: a tool finished (`isError` for failures the model will see).
 * - `builtin-tool-call`: the provider ran one of its own tools (a web search); not run locally.
 * - `citation`: the text cites a source (a web search's URL annotation).
 * - `usage`: the usage of the turn that just ended.
 * - `finish`: the last event on success; `result` equals what `chat()` returns.
 * - `error`: the last event on failure, right before the iterator throws the same error.
 *
 * @example
 * ```ts
 * for await (const event of client.stream(input)) {
 *   if (event.type === 'text-delta') process.stdout.write(event.text);
 * }
 * ```
 */
export type LLMStreamEvent<T = string> =
  | { type: 'turn-start'; turn: number }
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call'; toolCall: ToolCall; background: boolean }
  | {
      type: 'tool-result';
      toolCallId: string;
      toolName: string;
      output: unknown;
      isError: boolean;
    }
  | { type: 'builtin-tool-call'; call: BuiltinToolCall; turn: number }
  | { type: 'citation'; citation: Citation; turn: number }
  | { type: 'usage'; usage: Usage; turn: number }
  | { type: 'finish'; result: LLMResult<T> }
  | { type: 'error'; error: ArshaiError };
