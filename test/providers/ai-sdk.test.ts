import { inspect } from 'node:util';
/** The AI SDK adapter, driven by the AI SDK's own mock model (`ai/test`). */
import { APICallError, type LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { convertArrayToReadableStream, MockLanguageModelV3, MockLanguageModelV4 } from 'ai/test';
import {
  AbortError,
  InvalidInputError,
  type LLMStreamEvent,
  type ModelStreamPart,
  ProviderError,
  silentLogger,
  tool,
} from 'arshai';
import { AiSdkAdapter, AiSdkClient } from 'arshai/ai-sdk';
import { describe, expect, it, vi } from 'vitest';
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

  it('keeps the request body (prompts, tool arguments) out of the error and its cause', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: async (options) => {
        throw new APICallError({
          message: 'bad request',
          url: 'https://api.example/v1',
          requestBodyValues: { prompt: options.prompt },
          responseBody: JSON.stringify(options.prompt),
          statusCode: 400,
          isRetryable: false,
        });
      },
    });
    const error = await new AiSdkClient(model, { retry: false })
      .chat({ systemPrompt: 'SYSTEM-CANARY', userMessage: 'USER-CANARY' })
      .catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    const printed = `${inspect(error, { depth: 20, showHidden: true })}${JSON.stringify(error)}`;
    expect(printed).not.toMatch(/SYSTEM-CANARY|USER-CANARY/);
    expect(((error as Error).cause as { statusCode?: number }).statusCode).toBe(400);
  });

  it('rejects options the specification has no place for, without suggesting extraBody', () => {
    for (const config of [{ extraBody: { x: 1 } }, { reasoningEffort: 'high' as const }]) {
      const error = (() => {
        try {
          new AiSdkClient(new MockLanguageModelV4(), config);
        } catch (e) {
          return e;
        }
      })();
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect((error as Error).message).not.toMatch(/through extraBody/);
      expect((error as Error).message).toContain('AI SDK model');
    }
  });
});

describe('AiSdkClient streams and versions', () => {
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');
  const stream = (list: LanguageModelV4StreamPart[]) => ({
    stream: convertArrayToReadableStream(list),
  });
  const answer = {
    content: [{ type: 'text' as const, text: 'ok' }],
    finishReason: stop,
    usage: usage(1, 1),
    warnings: [],
  };

  it('drives a specification v3 model, sending file data as v3 expects', async () => {
    const v3 = new MockLanguageModelV3({ doGenerate: answer });
    const v4 = new MockLanguageModelV4({ doGenerate: answer });
    for (const model of [v3, v4]) {
      await new AiSdkClient(model).chat({ systemPrompt: '', userMessage: 'x', images: [PNG] });
    }
    const filePart = (prompt: unknown) => (prompt as Array<{ content: unknown[] }>)[0]?.content[1];
    expect(filePart(v3.doGenerateCalls[0]?.prompt)).toEqual({
      type: 'file',
      mediaType: 'image/png',
      data: PNG,
    });
    expect(filePart(v4.doGenerateCalls[0]?.prompt)).toEqual({
      type: 'file',
      mediaType: 'image/png',
      data: { type: 'data', data: PNG },
    });
  });

  it('forwards streamed tool input as deltas with one index per call', async () => {
    const model = new MockLanguageModelV4({
      doStream: stream([
        { type: 'tool-input-start', id: 'a', toolName: 'weather' },
        { type: 'tool-input-start', id: 'b', toolName: 'weather' },
        { type: 'tool-input-delta', id: 'b', delta: '{"city":"Rome"}' },
        { type: 'tool-input-delta', id: 'a', delta: '{"city":"Oslo"}' },
        { type: 'finish', finishReason: stop, usage: usage(1, 1) },
      ]),
    });
    const parts: ModelStreamPart[] = [];
    const signal = new AbortController().signal;
    const request = { systemPrompt: '', messages: [], tools: [], config: { model: 'm' }, signal };
    for await (const part of new AiSdkAdapter(model).stream(request)) parts.push(part);
    expect(parts.filter((p) => p.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, id: 'a', name: 'weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 1, id: 'b', name: 'weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"Rome"}' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Oslo"}' },
    ]);
  });

  it('turns an error part and a stream without finish into typed errors', async () => {
    const failing = new MockLanguageModelV4({
      doStream: stream([
        { type: 'text-delta', id: 't', delta: 'par' },
        { type: 'error', error: new Error('upstream broke') },
      ]),
    });
    const cut = new MockLanguageModelV4({
      doStream: stream([{ type: 'text-delta', id: 't', delta: 'par' }]),
    });
    for (const [model, message] of [
      [failing, /upstream broke/],
      [cut, /ended before it was complete/],
    ] as const) {
      const events: LLMStreamEvent[] = [];
      const error = await (async () => {
        for await (const e of new AiSdkClient(model).stream({ systemPrompt: '', userMessage: 'x' }))
          events.push(e);
      })().catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect(events.at(-1)?.type).toBe('error');
    }
  });

  it('passes the abort signal to the model and reports AbortError', async () => {
    let seen: AbortSignal | undefined;
    const model = new MockLanguageModelV4({
      doGenerate: ({ abortSignal }) =>
        new Promise((_, reject) => {
          seen = abortSignal;
          abortSignal?.addEventListener('abort', () => reject(abortSignal.reason));
        }),
    });
    const controller = new AbortController();
    const pending = new AiSdkClient(model)
      .chat({ systemPrompt: '', userMessage: 'x', signal: controller.signal })
      .catch((e: unknown) => e);
    await vi.waitFor(() => expect(seen).toBeDefined());
    controller.abort();
    expect(AbortError.isInstance(await pending)).toBe(true);
    expect(seen?.aborted).toBe(true);
  });
  it('reports the warnings the model returns (unsupported settings) to the logger', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        ...answer,
        warnings: [{ type: 'unsupported', feature: 'topK', details: 'topK is not supported' }],
      },
      doStream: stream([
        { type: 'stream-start', warnings: [{ type: 'other', message: 'seed ignored' }] },
        { type: 'finish', finishReason: stop, usage: usage(1, 1) },
      ]),
    });
    const warnings: Array<[string, unknown]> = [];
    const logger = { ...silentLogger, warn: (m: string, f?: unknown) => warnings.push([m, f]) };
    const client = new AiSdkClient(model, { topK: 3, logger });
    await client.chat({ systemPrompt: '', userMessage: 'x' });
    for await (const _ of client.stream({ systemPrompt: '', userMessage: 'x' })) {
    }
    expect(warnings).toEqual([
      [
        'arshai: the AI SDK model reported a warning',
        {
          provider: 'mock-provider',
          type: 'unsupported',
          feature: 'topK',
          details: 'topK is not supported',
        },
      ],
      [
        'arshai: the AI SDK model reported a warning',
        { provider: 'mock-provider', type: 'other', message: 'seed ignored' },
      ],
    ]);
  });
});
