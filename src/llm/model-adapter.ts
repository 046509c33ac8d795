import type { BuiltinTool, BuiltinToolCall, Citation } from './builtin-tools.js';
import type { JsonSchema } from './json-schema.js';
import type { LLMConfig } from './llm-config.js';
import type { FinishDetails, FinishReason } from './llm-result.js';
import type { Message, ToolCall } from './message.js';
import type { UsageDelta } from './usage.js';

/** A tool as the provider sees it. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments, objects closed. */
  parameters: JsonSchema;
  /** The same made valid for strict function calling. */
  strictParameters: JsonSchema;
}

/** One model call over a provider-neutral transcript. */
export interface ModelRequest {
  systemPrompt: string;
  messages: Message[];
  tools: ToolSpec[];
  /** Asks for JSON matching this schema (native structured output where the provider has it). */
  responseFormat?: { name: string; schema: JsonSchema; strictSchema: JsonSchema };
  /** The provider's own tools for this call (only to adapters with `builtinTools`). */
  builtinTools?: BuiltinTool[];
  config: LLMConfig;
  headers?: Record<string, string>;
  signal: AbortSignal;
}

/** What one non-streamed model call returned. */
export interface ModelResponse {
  text: string;
  reasoning?: string;
  toolCalls: ToolCall[];
  usage?: UsageDelta;
  finishReason: FinishReason;
  /** What the provider said about the stop (a refusal's category, a block reason). */
  finishDetails?: FinishDetails;
  /**
   * The provider paused a long turn (Anthropic's `pause_turn`): the loop sends the turn back
   * as it is and the model continues (another round trip, counted in `maxTurns`).
   */
  pause?: boolean;
  /** Sources the text cites (URL annotations of a web search). */
  citations?: Citation[];
  /** Calls of built-in tools the provider ran in this turn. */
  builtinToolCalls?: BuiltinToolCall[];
  /** The provider's id of this response (for traces). */
  responseId?: string;
  /** The model that answered, as the provider names it (for traces). */
  responseModel?: string;
}

/**
 * A piece of a streamed model call. Adapters emit `tool-call` once a call's arguments are
 * complete — never for a call the model did not finish (cut by the output limit): such a
 * call is dropped and the turn finishes with `length`. `tool-call-delta` is optional progress.
 */
export type ModelStreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'usage'; usage: UsageDelta }
  | { type: 'citation'; citation: Citation }
  | { type: 'builtin-tool-call'; call: BuiltinToolCall }
  | {
      type: 'finish';
      finishReason: FinishReason;
      details?: FinishDetails;
      pause?: boolean;
      /** The provider's id of this response, and the model that answered (for traces). */
      responseId?: string;
      responseModel?: string;
    };

/**
 * What a provider implements: request/response mapping for one model call. The tool loop,
 * retries, validation and streaming logic live in the one tool loop (`runToolLoop`, run by
 * `BaseLLMClient`), written once.
 */
export interface ModelAdapter {
  /** Provider id for usage and errors, e.g. `openai`. */
  readonly provider: string;
  /** The model's name. */
  readonly model: string;
  /** True when the provider runs tools of its own (`LLMInput.builtinTools`); others refuse them. */
  readonly builtinTools?: boolean;
  generate(request: ModelRequest): Promise<ModelResponse>;
  stream(request: ModelRequest): AsyncIterable<ModelStreamPart>;
}
