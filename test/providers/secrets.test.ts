/**
 * Canaries: a provider (or a proxy in front of it) that echoes the key in its error body.
 * The configured key itself is masked wherever a logger could print it.
 */
import { inspect } from 'node:util';
import {
  END,
  InMemoryCheckpointer,
  type LLMClient,
  type LLMStreamEvent,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { AnthropicClient } from 'arshai/anthropic';
import { GeminiClient } from 'arshai/gemini';
import { AzureOpenAIClient, OpenAIClient, OpenRouterClient } from 'arshai/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeServer, startFakeServer } from './fake-server.js';

const KEY = '0123456789abcdef0123456789abcdef'; // a 32-hex key, as Azure's look
const echo = () => ({
  status: 401,
  json: {
    error: {
      message: `Incorrect API key provided: ${KEY}.`,
      type: 'invalid_request_error',
      code: 401,
      status: 'UNAUTHENTICATED',
    },
    type: 'error',
  },
});

const clients: Array<[string, (url: string) => LLMClient]> = [
  [
    'OpenAIClient',
    (url) => new OpenAIClient({ model: 'm', apiKey: KEY, baseURL: `${url}/v1`, retry: false }),
  ],
  [
    'AzureOpenAIClient',
    (url) =>
      new AzureOpenAIClient({
        model: 'm',
        apiKey: KEY,
        endpoint: url,
        apiVersion: '2024-10-21',
        retry: false,
      }),
  ],
  [
    'OpenRouterClient',
    (url) => new OpenRouterClient({ model: 'm', apiKey: KEY, baseURL: `${url}/v1`, retry: false }),
  ],
  [
    'AnthropicClient',
    (url) => new AnthropicClient({ model: 'm', apiKey: KEY, baseURL: url, retry: false }),
  ],
  [
    'GeminiClient',
    (url) => new GeminiClient({ model: 'm', apiKey: KEY, baseURL: url, retry: false }),
  ],
];

const printed = (value: unknown) =>
  `${inspect(value, { depth: 20, showHidden: true })}\n${JSON.stringify(value)}\n${String(value)}`;

describe.each(clients)('%s never prints the key a server echoed', (_name, create) => {
  let server: FakeServer;
  afterEach(async () => server?.close());

  it('in chat errors and their cause chain, in stream error events, and in workflow records', async () => {
    server = await startFakeServer([], echo());
    const llm = create(server.url);
    const error = await llm.chat({ systemPrompt: 's', userMessage: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(printed(error)).not.toContain(KEY);

    const streamEvents: LLMStreamEvent[] = [];
    const thrown = await (async () => {
      for await (const e of llm.stream({ systemPrompt: 's', userMessage: 'x' }))
        streamEvents.push(e);
    })().catch((e: unknown) => e);
    expect(printed(streamEvents)).not.toContain(KEY);
    expect(printed(thrown)).not.toContain(KEY);

    const checkpointer = new InMemoryCheckpointer();
    const graph = new WorkflowGraph()
      .addNode('ask', async (_s, _i, ctx) => {
        await llm.chat({ systemPrompt: 's', userMessage: 'x', signal: ctx.signal });
        return {};
      })
      .addEdge('ask', END)
      .setEntryPoint('ask');
    const result = await new WorkflowRunner(graph.compile(), { checkpointer }).executeWorkflow({
      userId: 'u',
    });
    expect(result.status).toBe('failed');
    expect(printed(result)).not.toContain(KEY);
    expect(JSON.stringify(await checkpointer.history(result.runId))).not.toContain(KEY);
    const events: unknown[] = [];
    const streamed = new WorkflowRunner(graph.compile()).streamWorkflow({ userId: 'u' });
    for await (const e of streamed) events.push(e);
    expect(events.some((e) => (e as { type: string }).type === 'node-error')).toBe(true);
    expect(printed(events)).not.toContain(KEY);
  });
});
