/** Response ids and models reach the chat spans from each provider's real wire shapes. */
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { AnthropicClient } from 'arshai/anthropic';
import { GeminiClient } from 'arshai/gemini';
import { OpenAIClient } from 'arshai/openai';
import { afterEach, expect, it } from 'vitest';
import * as anthropic from '../providers/anthropic-wire.js';
import { type FakeServer, startFakeServer } from '../providers/fake-server.js';
import * as gemini from '../providers/gemini-wire.js';
import * as openai from '../providers/openai-wire.js';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
}).getTracer('t');
const telemetry = { tracer };
const ask = { systemPrompt: 's', userMessage: 'u' };
let server: FakeServer | undefined;
afterEach(async () => {
  exporter.reset();
  await server?.close();
});
const attributes = () => exporter.getFinishedSpans().map((s) => s.attributes);

it('OpenAI: gen_ai.response.id and response.model from the completion, streamed or not', async () => {
  server = await startFakeServer([
    { json: openai.completion({ content: 'hi' }) },
    {
      sse: [
        openai.chunk({ role: 'assistant', content: 'hi' }),
        openai.chunk({}, 'stop'),
        openai.usageChunk,
      ],
    },
  ]);
  const client = new OpenAIClient({
    model: 'gpt-4.1',
    apiKey: 'k',
    baseURL: `${server.url}/v1`,
    telemetry,
  });
  await client.chat(ask);
  for await (const _ of client.stream(ask));
  expect(attributes()).toMatchObject([
    { 'gen_ai.response.id': 'chatcmpl-123', 'gen_ai.response.model': 'gpt-4.1-2025-04-14' },
    { 'gen_ai.response.id': 'chatcmpl-123', 'gen_ai.response.model': 'gpt-4o-mini' },
  ]);
});

it('Anthropic and Gemini: their message / response ids and models', async () => {
  server = await startFakeServer([
    { json: anthropic.message([{ type: 'text', text: 'hi' }]) },
    { json: gemini.response([{ text: 'hi' }]) },
  ]);
  await new AnthropicClient({
    model: 'claude-x',
    apiKey: 'k',
    baseURL: server.url,
    telemetry,
  }).chat(ask);
  await new GeminiClient({
    model: 'gemini-x',
    apiKey: 'k',
    baseURL: server.url,
    telemetry,
  }).chat(ask);
  expect(attributes()).toMatchObject([
    {
      'gen_ai.response.id': 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      'gen_ai.response.model': 'claude-test-model',
    },
    { 'gen_ai.response.id': 'resp-1', 'gen_ai.response.model': 'gemini-2.5-flash' },
  ]);
});
