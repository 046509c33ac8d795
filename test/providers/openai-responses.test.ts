/** The shared provider wire suite, for `OpenAIResponsesClient` (fixtures: openai-responses-wire.ts). */
import { OpenAIResponsesClient } from 'arshai/openai';
import { expect } from 'vitest';
import { sse } from './fake-server.js';
import {
  argsDelta,
  argsDone,
  completed,
  created,
  events,
  functionCall,
  headers,
  itemAdded,
  itemDone,
  message,
  response,
  textItem,
} from './openai-responses-wire.js';
import { providerSuite } from './provider-suite.js';

const weatherCall = functionCall('fc_w1', 'call_w1', 'get_weather', '{"city":"Paris"}');
const timeCall = functionCall('fc_t2', 'call_t2', 'get_time', '{"zone":"CET"}');
const opened = (item: ReturnType<typeof functionCall>) => ({
  ...item,
  arguments: '',
  status: 'in_progress',
});

providerSuite({
  name: 'OpenAIResponsesClient',
  client: (url, options) =>
    new OpenAIResponsesClient({
      model: 'gpt-4.1-mini',
      apiKey: 'test-key',
      baseURL: `${url}/v1`,
      strict: true,
      ...options,
    }),
  checkRoute: (req) => {
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/responses');
    expect(req.headers.authorization).toBe('Bearer test-key');
  },
  text: (text) => ({ json: response([message(text)]), headers }),
  textUsage: {
    inputTokens: 19,
    outputTokens: 10,
    totalTokens: 29,
    cachedInputTokens: 4,
    reasoningTokens: 3,
    provider: 'openai-compatible',
  },
  checkTextRequest: (body) => {
    expect(body).toEqual({
      model: 'gpt-4.1-mini',
      instructions: 'SYS',
      input: [{ role: 'user', content: 'Hello' }],
      store: false,
      temperature: 0.3,
      stream: false,
    });
  },
  streamText: (chunks) => ({
    sse: events(created(), ...textItem(chunks), completed([message(chunks.join(''))])),
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
    sse: events(
      created(),
      itemAdded(0, opened(weatherCall)),
      argsDelta(0, 'fc_w1', '{"ci'),
      itemAdded(1, opened(timeCall)),
      argsDelta(1, 'fc_t2', '{"zone":'),
      argsDelta(0, 'fc_w1', 'ty":"Paris"}'),
      argsDone(0, 'fc_w1', '{"city":"Paris"}'),
      itemDone(0, weatherCall),
      argsDelta(1, 'fc_t2', '"CET"}'),
      argsDone(1, 'fc_t2', '{"zone":"CET"}'),
      itemDone(1, timeCall),
      completed([weatherCall, timeCall]),
    ),
  }),
  // get_weather's item is done at event 7: its tool starts before event 8 is sent.
  firstCallCompleteBefore: 8,
  twoToolCalls: () => ({ json: response([weatherCall, timeCall]) }),
  nativeIds: ['call_w1', 'call_t2'],
  checkFollowUp: (body, [weather, time]) => {
    expect(body.input).toEqual([
      { role: 'user', content: 'Hello' },
      {
        type: 'function_call',
        id: 'fc_w1',
        call_id: 'call_w1',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
      },
      {
        type: 'function_call',
        id: 'fc_t2',
        call_id: 'call_t2',
        name: 'get_time',
        arguments: '{"zone":"CET"}',
      },
      { type: 'function_call_output', call_id: 'call_w1', output: weather },
      { type: 'function_call_output', call_id: 'call_t2', output: time },
    ]);
    expect(body.tools[0]).toEqual({
      type: 'function',
      name: 'get_weather',
      description: 'Weather of a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      },
      strict: true,
    });
    expect(body.stream).toBe(true);
    expect(body.previous_response_id).toBeUndefined();
  },
  checkErrorResult: (body, text) => {
    expect(body.input.at(-1)).toEqual({
      type: 'function_call_output',
      call_id: 'call_t2',
      output: text,
    });
  },
  structured: (value) => ({ json: response([message(JSON.stringify(value))]) }),
  checkStructuredRequest: (body) => {
    expect(body.text).toEqual({
      format: {
        type: 'json_schema',
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
    expect(body.input[0].content).toEqual([
      { type: 'input_text', text: 'Hello' },
      { type: 'input_image', image_url: `data:image/png;base64,${png}`, detail: 'auto' },
    ]);
  },
  checkPdf: (body, pdf) => {
    expect(body.input[0].content[1]).toEqual({
      type: 'input_file',
      filename: 'document.pdf',
      file_data: `data:application/pdf;base64,${pdf}`,
    });
  },
  extraBody: { service_tier: 'flex', safety_identifier: 'user-7' },
  errorRequestId: 'req_resp_123',
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
  // The `error` streaming event (API reference, responses-streaming/error).
  streamError: () => ({
    sse: [
      sse(
        {
          type: 'error',
          code: 'server_error',
          message: 'The server had an error while processing your request.',
          param: null,
          sequence_number: 0,
        },
        'error',
      ),
    ],
  }),
  cutStream: () => ({
    sse: events(created(), ...textItem(['partial', 'more'])),
    cutAfter: 4,
  }),
  malformedStream: () => ({
    sse: [
      ...events(created()),
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":',
    ],
  }),
});
