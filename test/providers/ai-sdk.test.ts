/** The AI SDK adapter, driven by the AI SDK's own mock model (`ai/test`). */
import { APICallError, type LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import { InvalidInputError, type LLMStreamEvent, ProviderError, tool } from 'arshai';
import { AiSdkClient } from 'arshai/ai-sdk';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const usage = (input: number, output: number, reasoning = 0) => ({
  inputTokens: { total: input, noCache: input - 2, cacheRead: 2, cacheWrite: 0 },
  outputTokens: { total: output, text: output - reasoning, reasoning },
});
const stop = { unified: 'stop' as const, raw: 'stop' };

const weather = tool({
  description: 'Weather of a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `${city}: sunny`,
});

describe('AiSdkClient', () => {
  it('runs the tool loop over doGenerate with native ids and tool-result messages', async () => {
    const model = new MockLanguageModelV4({
      provider: 'mock.chat',
      modelId: 'mock-1',
      doGenerate: [
        {
          content: [
            {
              type: 'tool-call',
              toolCallId: 'tc_1',
              toolName: 'weather',
              input: '{"city":"Paris"}',
            },
            {
              type: 'tool-call',
              toolCallId: 'tc_2',
              toolName: 'weather',
              input: '{"city":"Rome"}',
            },
          ],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage: usage(10, 6, 2),
          warnings: [],
        },
        {
          content: [{ type: 'text', text: 'Sunny in both.' }],
          finishReason: stop,
          usage: usage(30, 4),
          warnings: [],
        },
      ],
    });
    const client = new AiSdkClient(model, { temperature: 0.1 });
    const result = await client.chat({
      systemPrompt: 'SYS',
      userMessage: 'Weather?',
      regularFunctions: { weather },
      extraHeaders: { 'x-trace': '1' },
    });
    expect(result.llmResponse).toBe('Sunny in both.');
    expect(result.usage).toMatchObject({
      inputTokens: 40,
      outputTokens: 10,
      reasoningTokens: 2,
      cachedInputTokens: 4,
      provider: 'mock.chat',
      model: 'mock-1',
    });
    const [first, second] = model.doGenerateCalls;
    expect(first?.temperature).toBe(0.1);
    expect(first?.headers).toEqual({ 'x-trace': '1' });
    expect(first?.tools?.[0]).toMatchObject({
      type: 'function',
      name: 'weather',
      inputSchema: { type: 'object' },
    });
    expect(second?.prompt).toEqual([
      { role: 'system', content: 'SYS' },
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'tc_1', toolName: 'weather', input: { city: 'Paris' } },
          { type: 'tool-call', toolCallId: 'tc_2', toolName: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'tc_1',
            toolName: 'weather',
            output: { type: 'text', value: 'Paris: sunny' },
          },
          {
            type: 'tool-result',
            toolCallId: 'tc_2',
            toolName: 'weather',
            output: { type: 'text', value: 'Rome: sunny' },
          },
        ],
      },
    ]);
  });

  it('streams deltas and tool calls from doStream', async () => {
    const parts = (list: LanguageModelV4StreamPart[]) => ({
      stream: convertArrayToReadableStream(list),
    });
    const model = new MockLanguageModelV4({
      doStream: [
        parts([
          { type: 'stream-start', warnings: [] },
          { type: 'tool-input-start', id: 'tc_1', toolName: 'weather' },
          { type: 'tool-input-delta', id: 'tc_1', delta: '{"city":"Oslo"}' },
          { type: 'tool-input-end', id: 'tc_1' },
          { type: 'tool-call', toolCallId: 'tc_1', toolName: 'weather', input: '{"city":"Oslo"}' },
          {
            type: 'finish',
            finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
            usage: usage(5, 5),
          },
        ]),
        parts([
          { type: 'text-start', id: 't' },
          { type: 'text-delta', id: 't', delta: 'Oslo ' },
          { type: 'text-delta', id: 't', delta: 'is sunny.' },
          { type: 'text-end', id: 't' },
          { type: 'finish', finishReason: stop, usage: usage(9, 3) },
        ]),
      ],
    });
    const events: LLMStreamEvent[] = [];
    for await (const e of new AiSdkClient(model).stream({
      systemPrompt: '',
      userMessage: 'Oslo?',
      regularFunctions: { weather },
    })) {
      events.push(e);
    }
    expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []))).toEqual([
      'Oslo ',
      'is sunny.',
    ]);
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      toolCallId: 'tc_1',
      output: 'Oslo: sunny',
    });
    const finish = events.at(-1);
    expect(finish?.type === 'finish' && finish.result.usage.inputTokens).toBe(14);
  });

  it('passes structured output as a JSON response format', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: 'text', text: '{"n":7}' }],
        finishReason: stop,
        usage: usage(1, 1),
        warnings: [],
      },
    });
    const result = await new AiSdkClient(model).chat({
      systemPrompt: '',
      userMessage: 'n?',
      structureType: z.object({ n: z.number() }),
    });
    expect(result.llmResponse).toEqual({ n: 7 });
    expect(model.doGenerateCalls[0]?.responseFormat).toMatchObject({
      type: 'json',
      schema: { type: 'object' },
    });
  });

  it('maps APICallError to a typed error with status, retryability and Retry-After', async () => {
    let calls = 0;
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        calls++;
        if (calls === 1) {
          throw new APICallError({
            message: 'rate limited',
            url: 'https://api.example/v1',
            requestBodyValues: {},
            statusCode: 429,
            responseHeaders: { 'retry-after-ms': '20', 'x-request-id': 'req_9' },
            isRetryable: true,
          });
        }
        throw new APICallError({
          message: 'unauthorized',
          url: 'https://api.example/v1',
          requestBodyValues: {},
          statusCode: 401,
          isRetryable: false,
        });
      },
    });
    const delays: number[] = [];
    const error = await new AiSdkClient(model, {
      retry: { onRetry: (e) => delays.push(e.delayMs) },
    })
      .chat({ systemPrompt: '', userMessage: 'x' })
      .catch((e: unknown) => e);
    expect(delays).toEqual([20]);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect(calls).toBe(2);
  });

  it('rejects options the specification has no place for', () => {
    expect(() => new AiSdkClient(new MockLanguageModelV4(), { extraBody: { x: 1 } })).toThrow(
      InvalidInputError,
    );
  });
});
