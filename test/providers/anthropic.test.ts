/**
 * Anthropic Messages API wire format. Fixtures follow the API reference:
 * - response: https://docs.anthropic.com/en/api/messages (message object, `content` blocks
 *   `text` / `tool_use`, `stop_reason`, `usage` with cache counts)
 * - streaming: https://docs.anthropic.com/en/docs/build-with-claude/streaming (`event:` +
 *   `data:` pairs: message_start, content_block_start/delta/stop with `text_delta` and
 *   `input_json_delta`, message_delta with cumulative `output_tokens`, message_stop)
 * - errors: https://docs.anthropic.com/en/api/errors (`{ type: 'error', error: { type, message } }`)
 */

import { AnthropicClient } from 'arshai/anthropic';
import { expect } from 'vitest';
import { block, blockStop, delta, headers, message, start, stop } from './anthropic-wire.js';
import { sse } from './fake-server.js';
import { providerSuite } from './provider-suite.js';

providerSuite({
  name: 'AnthropicClient',
  client: (url, options) =>
    new AnthropicClient({
      model: 'claude-test-model',
      apiKey: 'test-key',
      baseURL: url,
      ...options,
    }),
  checkRoute: (req) => {
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/messages');
    // The SDK authenticates with `authorization: Bearer` (older versions: `x-api-key`).
    expect(String(req.headers.authorization ?? req.headers['x-api-key'])).toMatch(/test-key$/);
    expect(req.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  },
  text: (text) => ({ json: message([{ type: 'text', text }]), headers }),
  textUsage: {
    inputTokens: 30,
    outputTokens: 12,
    totalTokens: 42,
    cachedInputTokens: 5,
    provider: 'anthropic',
  },
  checkTextRequest: (body) => {
    expect(body).toEqual({
      model: 'claude-test-model',
      max_tokens: 4096,
      system: 'SYS',
      temperature: 0.3,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      stream: false,
    });
  },
  streamText: (chunks) => ({
    sse: [
      start,
      block(0, { type: 'text', text: '' }),
      sse({ type: 'ping' }, 'ping'),
      ...chunks.map((text) => delta(0, { type: 'text_delta', text })),
      blockStop(0),
      ...stop('end_turn'),
    ],
  }),
  streamUsage: {
    inputTokens: 30,
    outputTokens: 12,
    totalTokens: 42,
    cachedInputTokens: 5,
    // The Messages API counts thinking inside output_tokens and reports no separate count.
    reasoningTokens: 0,
  },
  // The API streams content blocks one after another (a block stops before the next
  // starts), so the two calls' argument deltas cannot interleave here.
  streamTwoToolCalls: () => ({
    sse: [
      start,
      block(0, { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: {} }),
      delta(0, { type: 'input_json_delta', partial_json: '' }),
      delta(0, { type: 'input_json_delta', partial_json: '{"city": "Par' }),
      delta(0, { type: 'input_json_delta', partial_json: 'is"}' }),
      blockStop(0),
      block(1, { type: 'tool_use', id: 'toolu_01B', name: 'get_time', input: {} }),
      delta(1, { type: 'input_json_delta', partial_json: '{"zone":' }),
      delta(1, { type: 'input_json_delta', partial_json: ' "CET"}' }),
      blockStop(1),
      ...stop('tool_use'),
    ],
  }),
  firstCallCompleteBefore: 6,
  twoToolCalls: () => ({
    json: message(
      [
        { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_01B', name: 'get_time', input: { zone: 'CET' } },
      ],
      'tool_use',
    ),
  }),
  nativeIds: ['toolu_01A', 'toolu_01B'],
  checkFollowUp: (body, [weather, time]) => {
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_01B', name: 'get_time', input: { zone: 'CET' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_01A', content: weather },
          { type: 'tool_result', tool_use_id: 'toolu_01B', content: time },
        ],
      },
    ]);
    expect(body.tools[0]).toEqual({
      name: 'get_weather',
      description: 'Weather of a city',
      input_schema: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      },
    });
  },
  checkErrorResult: (body, text) => {
    expect(body.messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01A', content: 'Paris: sunny' },
        { type: 'tool_result', tool_use_id: 'toolu_01B', content: text, is_error: true },
      ],
    });
  },
  structured: (value) => ({ json: message([{ type: 'text', text: JSON.stringify(value) }]) }),
  checkStructuredRequest: (body) => {
    expect(body.output_config).toEqual({
      format: {
        type: 'json_schema',
        schema: {
          type: 'object',
          properties: { city: { type: 'string' }, celsius: { type: 'number' } },
          required: ['city', 'celsius'],
          additionalProperties: false,
        },
      },
    });
  },
  checkImage: (body, png) => {
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'Hello' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
    ]);
  },
  checkPdf: (body, pdf) => {
    expect(body.messages[0].content[1]).toEqual({
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: pdf },
    });
  },
  extraBody: { metadata: { user_id: 'user-42' } },
  errorRequestId: 'req_018EeWyXxfu5pfWkrYcMdjWG',
  error: (status, extra) => ({
    status,
    headers: { ...headers, ...extra },
    json: {
      type: 'error',
      error: {
        type:
          status === 401
            ? 'authentication_error'
            : status === 429
              ? 'rate_limit_error'
              : 'api_error',
        message: 'failed',
      },
    },
  }),
  // https://docs.anthropic.com/en/docs/build-with-claude/streaming#error-events
  streamError: () => ({
    sse: [
      start,
      sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error'),
    ],
  }),
  cutStream: () => ({
    sse: [
      start,
      block(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'partial' }),
    ],
    cutAfter: 3,
  }),
  malformedStream: () => ({
    sse: [start, 'event: content_block_start\ndata: {"type": "content_block_start", "index": 0,'],
  }),
});
