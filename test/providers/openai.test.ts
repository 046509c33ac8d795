/**
 * OpenAI Chat Completions wire format. Fixtures follow the API reference:
 * - response: https://platform.openai.com/docs/api-reference/chat/object
 * - stream chunks: https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 *   (`data: {chat.completion.chunk}` events, tool calls streamed by `index`, a final chunk
 *   with `choices: []` and `usage` when `stream_options.include_usage` is set, `data: [DONE]`)
 * - errors: https://platform.openai.com/docs/guides/error-codes (`{ error: { message, type } }`)
 */

import { OpenAIClient } from 'arshai/openai';
import { expect } from 'vitest';
import { sse } from './fake-server.js';
import { chunk, completion, headers, usageChunk } from './openai-wire.js';
import { providerSuite } from './provider-suite.js';

providerSuite({
  name: 'OpenAIClient',
  client: (url, options) =>
    new OpenAIClient({
      model: 'gpt-4o-mini',
      apiKey: 'test-key',
      baseURL: `${url}/v1`,
      strict: true,
      ...options,
    }),
  checkRoute: (req) => {
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer test-key');
  },
  text: (text) => ({ json: completion({ content: text }), headers }),
  textUsage: {
    inputTokens: 19,
    outputTokens: 10,
    totalTokens: 29,
    cachedInputTokens: 4,
    reasoningTokens: 3,
    provider: 'openai-compatible',
  },
  checkTextRequest: (body) => {
    expect(body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.3,
      messages: [
        { role: 'system', content: 'SYS' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(body.stream).toBeFalsy();
  },
  streamText: (chunks) => ({
    sse: [
      chunk({ role: 'assistant', content: '', refusal: null }),
      ...chunks.map((c) => chunk({ content: c })),
      chunk({}, 'stop'),
      usageChunk,
      'data: [DONE]',
    ],
    headers,
  }),
  streamUsage: {
    inputTokens: 19,
    outputTokens: 10,
    totalTokens: 29,
    cachedInputTokens: 4,
    reasoningTokens: 3,
  },
  streamTwoToolCalls: () => ({
    sse: [
      chunk({ role: 'assistant', content: null }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: 'call_w1',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
      chunk({
        tool_calls: [
          {
            index: 1,
            id: 'call_t2',
            type: 'function',
            function: { name: 'get_time', arguments: '' },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{"zone":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '"CET"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk,
      'data: [DONE]',
    ],
  }),
  // get_weather's arguments are complete after the 6th event ('ty":"Paris"}').
  firstCallCompleteBefore: 6,
  twoToolCalls: () => ({
    json: completion(
      {
        content: null,
        tool_calls: [
          {
            id: 'call_w1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          {
            id: 'call_t2',
            type: 'function',
            function: { name: 'get_time', arguments: '{"zone":"CET"}' },
          },
        ],
      },
      'tool_calls',
    ),
  }),
  nativeIds: ['call_w1', 'call_t2'],
  checkFollowUp: (body, [weather, time]) => {
    expect(body.messages.slice(1)).toEqual([
      { role: 'user', content: 'Hello' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_w1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          {
            id: 'call_t2',
            type: 'function',
            function: { name: 'get_time', arguments: '{"zone":"CET"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_w1', content: weather },
      { role: 'tool', tool_call_id: 'call_t2', content: time },
    ]);
    expect(body.tools[0]).toEqual({
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather of a city',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
          additionalProperties: false,
        },
        strict: true,
      },
    });
    expect(body.stream_options).toEqual({ include_usage: true });
  },
  checkErrorResult: (body, text) => {
    expect(body.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_t2', content: text });
  },
  structured: (value) => ({ json: completion({ content: JSON.stringify(value) }) }),
  checkStructuredRequest: (body) => {
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'response',
        strict: true,
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
    expect(body.messages[1].content).toEqual([
      { type: 'text', text: 'Hello' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    ]);
  },
  checkPdf: (body, pdf) => {
    expect(body.messages[1].content[1]).toEqual({
      type: 'file',
      file: { filename: 'document.pdf', file_data: `data:application/pdf;base64,${pdf}` },
    });
  },
  extraBody: { seed: 7, service_tier: 'flex' },
  errorRequestId: 'req_abc123',
  error: (status, extra) => ({
    status,
    headers: { ...headers, ...extra },
    json: {
      error: {
        message: `status ${status}`,
        type: status === 401 ? 'invalid_request_error' : 'server_error',
        param: null,
        code: null,
      },
    },
  }),
  // The SDK raises `data: {"error": ...}` inside a stream as an API error (openai-node
  // core/streaming); the error object is the API's (guides/error-codes).
  streamError: () => ({
    sse: [
      sse({
        error: {
          message: 'The server had an error while processing your request.',
          type: 'server_error',
          param: null,
          code: null,
        },
      }),
    ],
  }),
  cutStream: () => ({
    sse: [chunk({ role: 'assistant', content: '' }), chunk({ content: 'partial' })],
    cutAfter: 2,
  }),
  malformedStream: () => ({
    sse: [chunk({ role: 'assistant', content: '' }), 'data: {"id": "chatcmpl-1", "choices": [{'],
  }),
});
