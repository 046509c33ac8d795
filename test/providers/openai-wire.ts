/**
 * OpenAI Chat Completions wire format. Fixtures follow the API reference:
 * - response: https://platform.openai.com/docs/api-reference/chat/object
 * - stream chunks: https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 *   (`data: {chat.completion.chunk}` events, tool calls streamed by `index`, a final chunk
 *   with `choices: []` and `usage` when `stream_options.include_usage` is set, `data: [DONE]`)
 * - errors: https://platform.openai.com/docs/guides/error-codes (`{ error: { message, type } }`)
 */

import { sse } from './fake-server.js';
import type { Json } from './provider-fixture.js';

export const usage = {
  prompt_tokens: 19,
  completion_tokens: 10,
  total_tokens: 29,
  prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 3, audio_tokens: 0 },
};

export const completion = (message: Json, finish = 'stop') => ({
  id: 'chatcmpl-123',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', refusal: null, ...message },
      logprobs: null,
      finish_reason: finish,
    },
  ],
  usage,
  service_tier: 'default',
});

export const chunk = (delta: Json, finish: string | null = null) =>
  sse({
    id: 'chatcmpl-123',
    object: 'chat.completion.chunk',
    created: 1694268190,
    model: 'gpt-4o-mini',
    system_fingerprint: 'fp_44709d6fcb',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });

export const usageChunk = sse({
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'gpt-4o-mini',
  choices: [],
  usage,
});

export const headers = { 'x-request-id': 'req_abc123' };
