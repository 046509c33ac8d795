import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { Message } from '../../llm/message.js';
import type { ToolSpec } from '../../llm/model-adapter.js';

/** Maps the provider-neutral transcript to Chat Completions messages. */
export function toOpenAIMessages(
  systemPrompt: string,
  messages: Message[],
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (systemPrompt) out.push({ role: 'system', content: systemPrompt });
  for (const m of messages) {
    switch (m.role) {
      case 'user':
        out.push({
          role: 'user',
          content: typeof m.content === 'string' ? m.content : m.content.map(toContentPart),
        });
        break;
      case 'assistant':
        out.push({
          role: 'assistant',
          content: m.content || null,
          ...(m.toolCalls?.length
            ? {
                tool_calls: m.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function' as const,
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
        });
        break;
      case 'tool':
        out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
        break;
    }
  }
  return out;
}

function toContentPart(
  part: Exclude<Message['content'], string>[number],
): ChatCompletionContentPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return {
        type: 'image_url',
        image_url: { url: `data:${part.mediaType};base64,${part.data}` },
      };
    case 'file':
      return {
        type: 'file',
        file: { filename: 'document.pdf', file_data: `data:${part.mediaType};base64,${part.data}` },
      };
  }
}

/** Maps tool specs to Chat Completions function tools (strict mode when asked). */
export function toOpenAITools(tools: ToolSpec[], strict: boolean): ChatCompletionTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: {
      name: t.name,
      description: t.description,
      parameters: strict ? t.strictParameters : t.parameters,
      ...(strict ? { strict: true } : {}),
    },
  }));
}
