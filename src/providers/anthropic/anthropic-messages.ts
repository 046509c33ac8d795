import type {
  Tool as AnthropicTool,
  ContentBlockParam,
  MessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ContentPart, Message } from '../../llm/message.js';
import type { ToolSpec } from '../../llm/model-adapter.js';
import { thinkingBefore } from './anthropic-thinking.js';

/**
 * Maps the transcript to Messages API turns: tool calls become `tool_use` blocks with the
 * model's ids (preceded by the thinking blocks the API wants back), tool results become
 * `tool_result` blocks (with `is_error`), and consecutive turns of one role merge, so the
 * results of parallel calls form one user turn (the API requires alternating roles).
 */
export function toAnthropicMessages(messages: Message[]): MessageParam[] {
  const out: MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    const last = out.at(-1);
    if (last && last.role === role) (last.content as ContentBlockParam[]).push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    switch (m.role) {
      case 'user':
        push(
          'user',
          typeof m.content === 'string'
            ? [{ type: 'text', text: m.content }]
            : m.content.map(toBlock),
        );
        break;
      case 'assistant': {
        const calls = m.toolCalls ?? [];
        // Thinking that preceded the first call leads the turn (before its text).
        const blocks: ContentBlockParam[] = [...(calls[0] ? thinkingBefore(calls[0]) : [])];
        if (m.content) blocks.push({ type: 'text', text: m.content });
        calls.forEach((c, i) => {
          if (i > 0) blocks.push(...thinkingBefore(c));
          blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: toolInput(c.arguments) });
        });
        push('assistant', blocks);
        break;
      }
      case 'tool':
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: m.toolCallId,
            content: m.content,
            ...(m.isError ? { is_error: true } : {}),
          },
        ]);
        break;
    }
  }
  return out;
}

/** `tool_use.input` must be an object; arguments that are not JSON are kept, not dropped. */
function toolInput(args: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(args || '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    return { value };
  } catch {
    return { invalid_arguments: args };
  }
}

function toBlock(part: ContentPart): ContentBlockParam {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      return {
        type: 'image',
        source: {
          type: 'base64',
          media_type: part.mediaType as 'image/png',
          data: part.data,
        },
      };
    case 'file':
      return {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: part.data },
      };
  }
}

/** Maps tool specs to Messages API tools. */
export function toAnthropicTools(tools: ToolSpec[]): AnthropicTool[] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.parameters as AnthropicTool['input_schema'],
  }));
}
