import type { ModelRequest } from '../../llm/model-adapter.js';

/**
 * How a client asks for structured output: `native` uses the API's JSON-schema feature;
 * `instructions` states the schema in the system prompt instead (for models or servers
 * without the feature). Either way the engine validates the answer and asks once for a repair.
 */
export type StructuredOutputMode = 'native' | 'instructions';

/** The system prompt, with the response schema stated when `mode` is `instructions`. */
export function systemPromptFor(request: ModelRequest, mode: StructuredOutputMode): string {
  if (!request.responseFormat || mode === 'native') return request.systemPrompt;
  const rule =
    'Reply with only a JSON value that matches this JSON Schema, without any other text:\n' +
    JSON.stringify(request.responseFormat.schema);
  return request.systemPrompt ? `${request.systemPrompt}\n\n${rule}` : rule;
}
