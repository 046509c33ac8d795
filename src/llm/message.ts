/** A part of a user message: text, an image or a document (PDF). */
export type ContentPart =
  | { type: 'text'; text: string }
  /** `data` is base64 without a data-URL prefix; `mediaType` like `image/png`. */
  | { type: 'image'; data: string; mediaType: string }
  /** A document such as a PDF; `data` is base64. */
  | { type: 'file'; data: string; mediaType: string };

/** A tool call as the model made it, with the model's own id. */
export interface ToolCall {
  /** The provider's call id, kept verbatim so results can reference it. */
  id: string;
  name: string;
  /** The raw JSON argument text exactly as the model produced it. */
  arguments: string;
  /**
   * Opaque data a provider needs back with the call on the next turn (e.g. Gemini's
   * `thoughtSignature`). Kept as it is in the transcript.
   */
  providerMetadata?: Record<string, unknown>;
}

/** A user turn. */
export interface UserMessage {
  role: 'user';
  content: string | ContentPart[];
}

/** An assistant turn: text and/or tool calls. */
export interface AssistantMessage {
  role: 'assistant';
  content: string;
  toolCalls?: ToolCall[];
}

/** The result of one tool call, sent back natively (not as user text). */
export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  toolName: string;
  /** What the model reads: the tool's output as text (JSON for non-strings) or the error. */
  content: string;
  isError?: boolean;
}

/**
 * One message of a provider-neutral conversation. The system prompt is not a message: it is
 * `LLMInput.systemPrompt`.
 */
export type Message = UserMessage | AssistantMessage | ToolMessage;
