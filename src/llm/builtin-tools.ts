/**
 * A tool the provider runs itself (OpenAI's `web_search`, `file_search`, `code_interpreter`,
 * remote `mcp`), passed to the provider as given. It does not go through the local tool loop.
 *
 * @example
 * ```ts
 * const search: BuiltinTool = { type: 'web_search' };
 * const files: BuiltinTool = { type: 'file_search', vector_store_ids: ['vs_123'] };
 * ```
 */
export interface BuiltinTool {
  /** The provider's tool type, e.g. `web_search`. */
  type: string;
  [field: string]: unknown;
}

/** A source the model's text cites: a web page (URL annotation) or a file. */
export type Citation =
  | {
      type: 'url';
      url: string;
      title?: string;
      /** Where the cited passage starts and ends in the text of the turn that cites it. */
      startIndex?: number;
      endIndex?: number;
    }
  | { type: 'file'; fileId: string; filename?: string; index?: number };

/** A page a provider-run search consulted. */
export interface Source {
  url: string;
  title?: string;
}

/**
 * A call of a {@link BuiltinTool}, made and run by the provider within one model turn: its
 * type (e.g. `web_search_call`), status, the sources it consulted when it searched, and the
 * provider's item as it came (plain JSON).
 */
export interface BuiltinToolCall {
  id: string;
  /** The provider's item type, e.g. `web_search_call`, `file_search_call`, `mcp_call`. */
  type: string;
  /** `completed`, `failed`, … as the provider reports it. */
  status?: string;
  /** Pages a web search consulted (OpenAI sends them with `include: ['web_search_call.action.sources']`). */
  sources?: Source[];
  /** The provider's item, unchanged. */
  item: Record<string, unknown>;
}

/** A {@link BuiltinToolCall} in a result, with the turn (1-based) that made it. */
export interface BuiltinToolCallRecord extends BuiltinToolCall {
  turn: number;
}
