/**
 * Gemini API wire format. Fixtures follow the API reference:
 * - response: https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 *   (`candidates[].content.parts` with `text` / `functionCall`, `finishReason`,
 *   `usageMetadata` with `cachedContentTokenCount` and `thoughtsTokenCount`)
 * - streaming: `models/{model}:streamGenerateContent?alt=sse`, one `data:` event per
 *   GenerateContentResponse chunk; function calls arrive whole (no argument deltas)
 * - errors: https://ai.google.dev/gemini-api/docs/troubleshooting (`{ error: { code, message,
 *   status, details } }`, a 429 carrying `google.rpc.RetryInfo.retryDelay`)
 */

import { GeminiClient } from 'arshai/gemini';
import { expect } from 'vitest';
import { type Reply, sse } from './fake-server.js';
import { response, usageMetadata } from './gemini-wire.js';
import { providerSuite } from './provider-suite.js';

const status: Record<number, string> = {
  401: 'UNAUTHENTICATED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
};

providerSuite({
  name: 'GeminiClient',
  client: (url, options) =>
    new GeminiClient({ model: 'gemini-2.5-flash', apiKey: 'test-key', baseURL: url, ...options }),
  checkRoute: (req, streamed) => {
    expect(req.method).toBe('POST');
    // The SDK picks the API version (v1 in @google/genai 3, v1beta before).
    expect(req.path).toMatch(
      streamed
        ? /^\/v1(beta)?\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/
        : /^\/v1(beta)?\/models\/gemini-2\.5-flash:generateContent$/,
    );
    expect(req.headers['x-goog-api-key']).toBe('test-key');
  },
  text: (text) => ({ json: response([{ text }]) }),
  textUsage: {
    inputTokens: 21,
    outputTokens: 13,
    totalTokens: 34,
    reasoningTokens: 4,
    cachedInputTokens: 6,
    provider: 'gemini',
  },
  checkTextRequest: (body) => {
    expect(body).toMatchObject({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      systemInstruction: { parts: [{ text: 'SYS' }] },
      generationConfig: { temperature: 0.3 },
    });
  },
  streamText: (chunks) => ({
    sse: chunks.map((text, i) =>
      sse(
        response(
          [{ text }],
          i === chunks.length - 1 ? 'STOP' : undefined,
          i === chunks.length - 1 ? usageMetadata : { promptTokenCount: 21 },
        ),
      ),
    ),
  }),
  streamUsage: {
    inputTokens: 21,
    outputTokens: 13,
    totalTokens: 34,
    cachedInputTokens: 6,
    reasoningTokens: 4,
  },
  // Gemini sends each functionCall whole (no argument deltas), one chunk each here.
  streamTwoToolCalls: () => ({
    sse: [
      sse(
        response(
          [
            {
              functionCall: { id: 'fc_w1', name: 'get_weather', args: { city: 'Paris' } },
              thoughtSignature: 'sig-1',
            },
          ],
          undefined,
          { promptTokenCount: 21 },
        ),
      ),
      sse(
        response(
          [{ functionCall: { id: 'fc_t2', name: 'get_time', args: { zone: 'CET' } } }],
          'STOP',
        ),
      ),
    ],
  }),
  firstCallCompleteBefore: 1,
  twoToolCalls: () => ({
    json: response(
      [
        {
          functionCall: { id: 'fc_w1', name: 'get_weather', args: { city: 'Paris' } },
          thoughtSignature: 'sig-1',
        },
        { functionCall: { id: 'fc_t2', name: 'get_time', args: { zone: 'CET' } } },
      ],
      'STOP',
    ),
  }),
  nativeIds: ['fc_w1', 'fc_t2'],
  checkFollowUp: (body, [weather, time]) => {
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hello' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { id: 'fc_w1', name: 'get_weather', args: { city: 'Paris' } },
            thoughtSignature: 'sig-1',
          },
          { functionCall: { id: 'fc_t2', name: 'get_time', args: { zone: 'CET' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'fc_w1', name: 'get_weather', response: { output: weather } } },
          { functionResponse: { id: 'fc_t2', name: 'get_time', response: { output: time } } },
        ],
      },
    ]);
    expect(body.tools[0].functionDeclarations[0]).toEqual({
      name: 'get_weather',
      description: 'Weather of a city',
      parametersJsonSchema: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      },
    });
  },
  checkErrorResult: (body, text) => {
    expect(body.contents.at(-1)).toEqual({
      role: 'user',
      parts: [
        {
          functionResponse: {
            id: 'fc_w1',
            name: 'get_weather',
            response: { output: 'Paris: sunny' },
          },
        },
        { functionResponse: { id: 'fc_t2', name: 'get_time', response: { error: text } } },
      ],
    });
  },
  structured: (value) => ({ json: response([{ text: JSON.stringify(value) }]) }),
  checkStructuredRequest: (body) => {
    expect(body.generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseJsonSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, celsius: { type: 'number' } },
        required: ['city', 'celsius'],
      },
    });
  },
  checkImage: (body, png) => {
    expect(body.contents[0].parts).toEqual([
      { text: 'Hello' },
      { inlineData: { mimeType: 'image/png', data: png } },
    ]);
  },
  checkPdf: (body, pdf) => {
    expect(body.contents[0].parts[1]).toEqual({
      inlineData: { mimeType: 'application/pdf', data: pdf },
    });
  },
  extraBody: {
    safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
  },
  error: (code, headers): Reply => {
    const retry = headers?.['retry-after'];
    return {
      status: code,
      json: {
        error: {
          code,
          message: `status ${code}`,
          status: status[code] ?? 'UNKNOWN',
          ...(retry
            ? {
                details: [
                  { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retry}s` },
                ],
              }
            : {}),
        },
      },
    };
  },
  // An error object (the API's error shape) sent as a stream event; the SDK raises it.
  streamError: () => ({
    sse: [
      sse({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }),
    ],
  }),
  cutStream: () => ({
    sse: [
      sse(response([{ text: 'partial' }], undefined)),
      sse(response([{ text: 'more' }], undefined)),
    ],
    cutAfter: 1,
  }),
  malformedStream: () => ({
    sse: [sse(response([{ text: 'ok' }], undefined)), 'data: {"candidates": [{"content":'],
  }),
});
