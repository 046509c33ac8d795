import type {
  FunctionTool,
  ResponseInputContent,
  ResponseInputItem,
  ResponseReasoningItem,
} from 'openai/resources/responses/responses';
import type { Message, ToolCall } from '../../llm/message.js';
import type { ToolSpec } from '../../llm/model-adapter.js';

/** What a function call of the Responses API needs back on the next turn. */
interface CallItems {
  /** The call's output item id (`fc_…`). */
  itemId?: string;
  /** The reasoning items that preceded the call in its turn, as the API returned them. */
  reasoning?: ResponseReasoningItem[];
  /** The response the call came in (for `previous_response_id` chaining). */
  responseId?: string;
}

const KEY = 'openaiResponses';

/**
 * A reasoning model's reasoning items must come back, in place, with the function calls they
 * led to (with `store: false` as their encrypted content). They travel on the tool call as
 * `providerMetadata.openaiResponses`, with the call's item id and its response's id.
 */
export function withItems(call: ToolCall, items: CallItems): ToolCall {
  const meta: CallItems = {
    ...(items.itemId ? { itemId: items.itemId } : {}),
    ...(items.reasoning?.length ? { reasoning: items.reasoning } : {}),
    ...(items.responseId ? { responseId: items.responseId } : {}),
  };
  if (Object.keys(meta).length === 0) return call;
  return { ...call, providerMetadata: { ...call.providerMetadata, [KEY]: meta } };
}

function itemsOf(call: ToolCall): CallItems {
  const meta = call.providerMetadata?.[KEY];
  return typeof meta === 'object' && meta !== null ? (meta as CallItems) : {};
}

/** The input of one request, and the response it continues when chained. */
export interface ResponsesInput {
  input: ResponseInputItem[];
  previousResponseId?: string;
}

/**
 * Maps the provider-neutral transcript to Responses input items. With `chain`, the items up to
 * the last response that made tool calls are left out and that response is named instead
 * (`previous_response_id`: the transcript is kept at OpenAI, which needs `store: true`).
 */
export function toResponsesInput(messages: Message[], chain: boolean): ResponsesInput {
  let from = 0;
  let previousResponseId: string | undefined;
  if (chain) {
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i] as Message;
      const id =
        m.role === 'assistant' ? m.toolCalls?.map((c) => itemsOf(c).responseId)[0] : undefined;
      if (id) {
        previousResponseId = id;
        from = i + 1;
        break;
      }
    }
  }
  const input: ResponseInputItem[] = [];
  for (const m of messages.slice(from)) {
    switch (m.role) {
      case 'user':
        input.push({
          role: 'user',
          content: typeof m.content === 'string' ? m.content : m.content.map(toContent),
        });
        break;
      case 'assistant':
        if (m.content) input.push({ role: 'assistant', content: m.content });
        for (const call of m.toolCalls ?? []) {
          const items = itemsOf(call);
          for (const reasoning of items.reasoning ?? []) input.push(reasoning);
          input.push({
            type: 'function_call',
            call_id: call.id,
            name: call.name,
            arguments: call.arguments,
            ...(items.itemId ? { id: items.itemId } : {}),
          });
        }
        break;
      case 'tool':
        input.push({ type: 'function_call_output', call_id: m.toolCallId, output: m.content });
        break;
    }
  }
  return { input, ...(previousResponseId ? { previousResponseId } : {}) };
}

function toContent(part: Exclude<Message['content'], string>[number]): ResponseInputContent {
  switch (part.type) {
    case 'text':
      return { type: 'input_text', text: part.text };
    case 'image':
      return {
        type: 'input_image',
        image_url: `data:${part.mediaType};base64,${part.data}`,
        detail: 'auto',
      };
    case 'file':
      return {
        type: 'input_file',
        filename: 'document.pdf',
        file_data: `data:${part.mediaType};base64,${part.data}`,
      };
  }
}

/** Maps tool specs to Responses function tools (strict schemas when asked). */
export function toResponsesTools(tools: ToolSpec[], strict: boolean): FunctionTool[] {
  return tools.map((t) => ({
    type: 'function',
    name: t.name,
    description: t.description,
    parameters: strict ? t.strictParameters : t.parameters,
    strict,
  }));
}
