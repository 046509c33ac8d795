/**
 * OpenAI Chat Completions wire format. Fixtures follow the API reference:
 * - response: https://platform.openai.com/docs/api-reference/chat/object
 * - stream chunks: https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 *   (`data: {chat.completion.chunk}` events, tool calls streamed by `index`, a final chunk
 *   with `choices: []` and `usage` when `stream_options.include_usage` is set, `data: [DONE]`)
 * - errors: https://platform.openai.com/docs/guides/error-codes (`{ error: { message, type } }`)
 */

import { InvalidInputError } from 'arshai';
import { AzureOpenAIClient, OpenAIClient, OpenRouterClient } from 'arshai/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeServer, sse, startFakeServer } from './fake-server.js';
import { type Json, providerSuite } from './provider-suite.js';

const usage = {
  prompt_tokens: 19,
  completion_tokens: 10,
  total_tokens: 29,
  prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 3, audio_tokens: 0 },
};

const completion = (message: Json, finish = 'stop') => ({
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

const chunk = (delta: Json, finish: string | null = null) =>
  sse({
    id: 'chatcmpl-123',
    object: 'chat.completion.chunk',
    created: 1694268190,
    model: 'gpt-4o-mini',
    system_fingerprint: 'fp_44709d6fcb',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });

const usageChunk = sse({
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'gpt-4o-mini',
  choices: [],
  usage,
});

const headers = { 'x-request-id': 'req_abc123' };

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

describe('OpenAI-family specifics', () => {
  let server: FakeServer;
  afterEach(async () => server?.close());

  it('maps errors with the request id and reports provider openai for api.openai.com', async () => {
    server = await startFakeServer([
      {
        status: 400,
        headers: { 'x-request-id': 'req_42' },
        json: { error: { message: 'bad', type: 'invalid_request_error' } },
      },
    ]);
    const client = new OpenAIClient({
      model: 'm',
      apiKey: 'k',
      baseURL: `${server.url}/v1`,
      retry: false,
    });
    await expect(client.chat({ systemPrompt: '', userMessage: 'x' })).rejects.toMatchObject({
      status: 400,
      requestId: 'req_42',
      retryable: false,
    });
    expect(() => new OpenAIClient({ model: 'gpt-4o', apiKey: 'k', topK: 3 })).toThrow(
      InvalidInputError,
    );
  });

  it('sends max_tokens and top_k to compatible servers (Ollama, vLLM, llama.cpp)', async () => {
    server = await startFakeServer([{ json: completion({ content: 'ok' }) }]);
    await new OpenAIClient({
      model: 'llama3.2',
      apiKey: 'ollama',
      baseURL: `${server.url}/v1`,
      maxTokens: 64,
      topK: 5,
    }).chat({
      systemPrompt: '',
      userMessage: 'x',
    });
    expect(server.requests[0]?.body).toMatchObject({ max_tokens: 64, top_k: 5 });
  });

  it('speaks to Azure deployments with api-version and api-key', async () => {
    server = await startFakeServer([{ json: completion({ content: 'from azure' }) }]);
    const azure = new AzureOpenAIClient({
      model: 'gpt-4o',
      endpoint: server.url,
      apiVersion: '2024-10-21',
      deployment: 'my-gpt',
      apiKey: 'azure-key',
      maxTokens: 100,
    });
    const result = await azure.chat({ systemPrompt: '', userMessage: 'hi' });
    expect(result.llmResponse).toBe('from azure');
    const req = server.requests[0];
    expect(req?.path).toBe('/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21');
    expect(req?.headers['api-key']).toBe('azure-key');
    expect(req?.body).toMatchObject({ max_completion_tokens: 100 });
    expect(result.usage.provider).toBe('azure-openai');
  });

  it('sends OpenRouter attribution headers', async () => {
    server = await startFakeServer([{ json: completion({ content: 'routed' }) }]);
    const router = new OpenRouterClient({
      model: 'anthropic/claude-3.5-sonnet',
      apiKey: 'sk-or',
      baseURL: `${server.url}/api/v1`,
      appUrl: 'https://example.com',
      appName: 'Example',
    });
    await router.chat({ systemPrompt: '', userMessage: 'hi' });
    expect(server.requests[0]?.path).toBe('/api/v1/chat/completions');
    expect(server.requests[0]?.headers).toMatchObject({
      'http-referer': 'https://example.com',
      'x-title': 'Example',
    });
  });

  it('keeps the API key out of the client config', () => {
    const client = new OpenAIClient({ model: 'gpt-4o-mini', apiKey: 'sk-secret', temperature: 0 });
    expect(client.config).toEqual({ model: 'gpt-4o-mini', temperature: 0 });
  });
});
