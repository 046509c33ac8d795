/**
 * Anthropic Messages API wire format. Fixtures follow the API reference:
 * - response: https://docs.anthropic.com/en/api/messages (message object, `content` blocks
 *   `text` / `tool_use`, `stop_reason`, `usage` with cache counts)
 * - streaming: https://docs.anthropic.com/en/docs/build-with-claude/streaming (`event:` +
 *   `data:` pairs: message_start, content_block_start/delta/stop with `text_delta` and
 *   `input_json_delta`, message_delta with cumulative `output_tokens`, message_stop)
 * - errors: https://docs.anthropic.com/en/api/errors (`{ type: 'error', error: { type, message } }`)
 */

import { sse } from './fake-server.js';
import type { Json } from './provider-fixture.js';

export const usage = {
  input_tokens: 25,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 5,
  output_tokens: 12,
};

export const message = (content: Json[], stop = 'end_turn') => ({
  id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
  type: 'message',
  role: 'assistant',
  model: 'claude-test-model',
  content,
  stop_reason: stop,
  stop_sequence: null,
  usage,
});

export const start = sse(
  {
    type: 'message_start',
    message: {
      ...message([], null as never),
      stop_reason: null,
      usage: { ...usage, output_tokens: 1 },
    },
  },
  'message_start',
);
export const stop = (reason: string) => [
  sse(
    {
      type: 'message_delta',
      delta: { stop_reason: reason, stop_sequence: null },
      usage: { output_tokens: 12 },
    },
    'message_delta',
  ),
  sse({ type: 'message_stop' }, 'message_stop'),
];
export const block = (index: number, content_block: Json) =>
  sse({ type: 'content_block_start', index, content_block }, 'content_block_start');
export const delta = (index: number, d: Json) =>
  sse({ type: 'content_block_delta', index, delta: d }, 'content_block_delta');
export const blockStop = (index: number) =>
  sse({ type: 'content_block_stop', index }, 'content_block_stop');
export const headers = { 'request-id': 'req_018EeWyXxfu5pfWkrYcMdjWG' };
