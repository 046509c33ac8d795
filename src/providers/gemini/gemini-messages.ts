import type { Content, FunctionDeclaration, Part } from '@google/genai';
import type { ContentPart, Message } from '../../llm/message.js';
import type { ToolSpec } from '../../llm/model-adapter.js';

/** Prefix of call ids arshai made up because the model sent none (never sent back). */
export const LOCAL_ID_PREFIX = 'arshai-call-';

/**
 * Maps the transcript to Gemini contents: tool calls become `functionCall` parts (with their
 * `thoughtSignature`), tool results `functionResponse` parts answering them by name and id,
 * and consecutive turns of one role merge.
 */
export function toGeminiContents(messages: Message[]): Content[] {
  const out: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]) => {
    const last = out.at(-1);
    if (last && last.role === role) last.parts?.push(...parts);
    else out.push({ role, parts });
  };
  for (const m of messages) {
    switch (m.role) {
      case 'user':
        push('user', typeof m.content === 'string' ? [{ text: m.content }] : m.content.map(toPart));
        break;
      case 'assistant': {
        const parts: Part[] = m.content ? [{ text: m.content }] : [];
        for (const c of m.toolCalls ?? []) {
          const signature = c.providerMetadata?.thoughtSignature;
          parts.push({
            functionCall: { ...nativeId(c.id), name: c.name, args: parseArgs(c.arguments) },
            ...(typeof signature === 'string' ? { thoughtSignature: signature } : {}),
          });
        }
        push('model', parts);
        break;
      }
      case 'tool':
        push('user', [
          {
            functionResponse: {
              ...nativeId(m.toolCallId),
              name: m.toolName,
              response: m.isError ? { error: m.content } : { output: m.content },
            },
          },
        ]);
        break;
    }
  }
  return out;
}

function nativeId(id: string): { id?: string } {
  return id.startsWith(LOCAL_ID_PREFIX) ? {} : { id };
}

function parseArgs(args: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(args || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { invalid_arguments: args };
  }
}

function toPart(part: ContentPart): Part {
  return part.type === 'text'
    ? { text: part.text }
    : { inlineData: { mimeType: part.mediaType, data: part.data } };
}

/** Maps tool specs to function declarations (JSON Schema parameters). */
export function toGeminiTools(tools: ToolSpec[]): FunctionDeclaration[] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    parametersJsonSchema: t.parameters,
  }));
}
