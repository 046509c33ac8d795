import type OpenAI from 'openai';
import type { ResponseReasoningItem } from 'openai/resources/responses/responses';
import { ProviderError } from '../../errors/provider-error.js';
import type { BuiltinToolCall, Citation, Source } from '../../llm/builtin-tools.js';
import type { FinishDetails, FinishReason } from '../../llm/llm-result.js';
import type { ToolCall } from '../../llm/message.js';
import type { UsageDelta } from '../../llm/usage.js';
import { redactSecrets } from '../shared/sdk-error.js';
import { malformedStream } from '../shared/sse-guard.js';
import { withItems } from './responses-input.js';

type Item = Record<string, unknown> & { type?: unknown };

/**
 * Turns completed output items into tool calls: each function call carries the reasoning
 * items that came before it in the response (to go back with it), its item id and the
 * response's id.
 */
export class CallItems {
  #reasoning: ResponseReasoningItem[] = [];
  responseId: string | undefined;

  constructor(responseId?: string) {
    this.responseId = responseId;
  }

  /** Keeps a finished reasoning item for the next call; returns its summary text. */
  reasoning(item: Item): string {
    this.#reasoning.push(item as unknown as ResponseReasoningItem);
    return summaryOf(item);
  }

  /** A finished `function_call` item as a tool call. */
  call(item: Item, provider: string): ToolCall {
    if (typeof item.call_id !== 'string' || typeof item.name !== 'string')
      throw malformedStream(provider, 'a function_call item without call_id or name');
    const args = typeof item.arguments === 'string' ? item.arguments : '';
    const call = withItems(
      { id: item.call_id, name: item.name, arguments: args },
      {
        ...(typeof item.id === 'string' ? { itemId: item.id } : {}),
        reasoning: this.#reasoning,
        ...(this.responseId ? { responseId: this.responseId } : {}),
      },
    );
    this.#reasoning = [];
    return call;
  }
}

/** The text of a reasoning item's summaries (what the model shares of its reasoning). */
export function summaryOf(item: Item): string {
  const parts = Array.isArray(item.summary) ? (item.summary as Array<{ text?: unknown }>) : [];
  return parts
    .map((p) => (typeof p.text === 'string' ? p.text : ''))
    .filter(Boolean)
    .join('\n\n');
}

const OWN_ITEMS = new Set(['message', 'reasoning', 'function_call']);

/** True for an item of a tool the provider ran itself (`web_search_call`, `mcp_call`, …). */
export function isBuiltinItem(item: Item): boolean {
  return typeof item.type === 'string' && !OWN_ITEMS.has(item.type);
}

/** A built-in tool's output item, typed; the item itself is kept as it came. */
export function builtinCall(item: Item): BuiltinToolCall {
  const action = item.action as { sources?: unknown } | undefined;
  const sources: Source[] = Array.isArray(action?.sources)
    ? (action.sources as Array<{ url?: unknown; title?: unknown }>).flatMap((s) =>
        typeof s.url === 'string'
          ? [{ url: s.url, ...(typeof s.title === 'string' ? { title: s.title } : {}) }]
          : [],
      )
    : [];
  return {
    id: typeof item.id === 'string' ? item.id : '',
    type: item.type as string,
    ...(typeof item.status === 'string' ? { status: item.status } : {}),
    ...(sources.length ? { sources } : {}),
    item,
  };
}

/** A text annotation as a citation (URL and file citations; other kinds are not citations). */
export function citationOf(annotation: unknown): Citation | undefined {
  const a = annotation as Record<string, unknown> | null;
  if (a?.type === 'url_citation' && typeof a.url === 'string') {
    return {
      type: 'url',
      url: a.url,
      ...(typeof a.title === 'string' ? { title: a.title } : {}),
      ...(typeof a.start_index === 'number' ? { startIndex: a.start_index } : {}),
      ...(typeof a.end_index === 'number' ? { endIndex: a.end_index } : {}),
    };
  }
  if (a?.type === 'file_citation' && typeof a.file_id === 'string') {
    return {
      type: 'file',
      fileId: a.file_id,
      ...(typeof a.filename === 'string' ? { filename: a.filename } : {}),
      ...(typeof a.index === 'number' ? { index: a.index } : {}),
    };
  }
  return undefined;
}

/** What the text of a message item says, its refusal and the citations of its text. */
export function messageOf(item: Item): { text: string; refusal: string; citations: Citation[] } {
  let text = '';
  let refusal = '';
  const citations: Citation[] = [];
  for (const part of Array.isArray(item.content) ? (item.content as Item[]) : []) {
    if (part.type === 'output_text' && typeof part.text === 'string') {
      text += part.text;
      for (const a of Array.isArray(part.annotations) ? part.annotations : []) {
        const citation = citationOf(a);
        if (citation) citations.push(citation);
      }
    } else if (part.type === 'refusal' && typeof part.refusal === 'string') refusal += part.refusal;
  }
  return { text, refusal, citations };
}

/** How a response ended: `completed`, or `incomplete` with the reason OpenAI gives. */
export function finishOf(response: {
  status?: unknown;
  incomplete_details?: { reason?: unknown } | null;
}): { finishReason: FinishReason; finishDetails?: FinishDetails } {
  if (response.status === 'completed') return { finishReason: 'stop' };
  if (response.status !== 'incomplete') return { finishReason: 'other' };
  const reason = response.incomplete_details?.reason;
  if (reason === 'max_output_tokens') return { finishReason: 'length' };
  if (reason === 'content_filter')
    return { finishReason: 'content-filter', finishDetails: { reason: 'content_filter' } };
  return { finishReason: 'other' };
}

/** Error codes of a failed response worth another try (the API's `ResponseError` codes). */
const RETRYABLE_CODES = new Set(['server_error', 'rate_limit_exceeded', 'vector_store_timeout']);

/**
 * The error of a response that failed (`status: 'failed'`, `response.failed`) or of an
 * in-stream `error` event: its code, the API's message (secrets masked), retryable by code.
 */
export function responseFailure(provider: string, error: unknown, cause?: unknown): ProviderError {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; type?: unknown };
  const code =
    typeof e.code === 'string' ? e.code : typeof e.type === 'string' ? e.type : undefined;
  const message =
    typeof e.message === 'string' ? `: ${redactSecrets(e.message).slice(0, 300)}` : '';
  return new ProviderError(`The ${provider} response failed (${code ?? 'unknown'})${message}`, {
    provider,
    retryable: code !== undefined && RETRYABLE_CODES.has(code),
    ...(cause !== undefined ? { cause } : {}),
  });
}

export function mapUsage(usage: OpenAI.Responses.ResponseUsage | null | undefined): UsageDelta {
  if (!usage) return {};
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    totalTokens: usage.total_tokens,
    cachedInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}
