/**
 * OpenAI-family specifics: Azure, OpenRouter, compatible servers, refusals, credentials.
 * Wire shapes as in openai-wire.ts (OpenAI API reference, chat object and streaming).
 */
import { InvalidInputError, type LLMStreamEvent, tool } from 'arshai';
import { AzureOpenAIClient, OpenAIClient, OpenRouterClient } from 'arshai/openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type FakeServer, sse, startFakeServer } from './fake-server.js';
import { chunk, completion, usage, usageChunk } from './openai-wire.js';
import { collect } from './provider-fixture.js';

const ask = { systemPrompt: '', userMessage: 'x' };

describe('OpenAI-family specifics', () => {
  let server: FakeServer;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server?.close();
  });

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
  it('returns a refusal as the answer with finish reason content-filter', async () => {
    server = await startFakeServer([
      { json: completion({ content: null, refusal: "I can't help with that." }) },
      {
        sse: [
          chunk({ role: 'assistant', content: null, refusal: '' }),
          chunk({ refusal: "I can't " }),
          chunk({ refusal: 'help with that.' }),
          chunk({}, 'stop'),
          usageChunk,
          'data: [DONE]',
        ],
      },
    ]);
    const client = new OpenAIClient({ model: 'm', apiKey: 'k', baseURL: `${server.url}/v1` });
    const result = await client.chat(ask);
    expect([result.llmResponse, result.finishReason]).toEqual([
      "I can't help with that.",
      'content-filter',
    ]);
    const finish = (await collect(client.stream(ask))).at(-1);
    expect(
      finish?.type === 'finish' && [finish.result.llmResponse, finish.result.finishReason],
    ).toEqual(["I can't help with that.", 'content-filter']);
  });

  it('streams reasoning_content of compatible servers and calls sent whole (Ollama)', async () => {
    server = await startFakeServer([
      {
        sse: [
          chunk({ role: 'assistant', reasoning_content: 'Need the weather.' }),
          chunk({
            tool_calls: [
              {
                index: 0,
                id: 'call_0',
                type: 'function',
                function: { name: 'noop', arguments: '{}' },
              },
            ],
          }),
          chunk({}, 'tool_calls'),
          'data: [DONE]',
        ],
      },
      { sse: [chunk({ content: 'done' }), chunk({}, 'stop'), 'data: [DONE]'] },
    ]);
    const noop = tool({ description: 'No-op', parameters: z.object({}), execute: () => 'ok' });
    const events: LLMStreamEvent[] = await collect(
      new OpenAIClient({ model: 'qwen3', apiKey: 'k', baseURL: `${server.url}/v1` }).stream({
        ...ask,
        regularFunctions: { noop },
      }),
    );
    expect(events.find((e) => e.type === 'reasoning-delta')).toMatchObject({
      text: 'Need the weather.',
    });
    expect(events.find((e) => e.type === 'tool-result')).toMatchObject({
      toolCallId: 'call_0',
      output: 'ok',
    });
  });

  it('names the missing API key field, and reads keys from the documented variables', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.stubEnv('OPENROUTER_API_KEY', 'sk-or-from-env');
    const error = (() => {
      try {
        new OpenAIClient({ model: 'gpt-4o-mini' });
      } catch (e) {
        return e;
      }
    })();
    expect(InvalidInputError.isInstance(error) && error.field).toBe('apiKey');
    server = await startFakeServer([{ json: completion({ content: 'routed' }) }]);
    const router = new OpenRouterClient({ model: 'openai/gpt-4o', baseURL: `${server.url}/v1` });
    const result = await router.chat(ask);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-or-from-env');
    expect(result.usage.provider).toBe('openrouter');
  });

  it('takes the cost OpenRouter reports (usage.cost) over a pricing table, streamed or not', async () => {
    // OpenRouter's usage accounting adds `cost` (US dollars) to the usage object.
    const withCost = { ...usage, cost: 0.0042 };
    const streamed = sse({
      id: 'gen-1',
      object: 'chat.completion.chunk',
      created: 1694268190,
      model: 'openai/gpt-4o',
      choices: [],
      usage: withCost,
    });
    server = await startFakeServer([
      { json: { ...completion({ content: 'priced' }), usage: withCost } },
      { sse: [chunk({ role: 'assistant', content: 'priced' }), chunk({}, 'stop'), streamed] },
      { json: completion({ content: 'table' }) },
    ]);
    const router = new OpenRouterClient({
      model: 'openai/gpt-4o',
      apiKey: 'sk-or',
      baseURL: `${server.url}/v1`,
      pricing: { 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 } },
    });
    expect((await router.chat(ask)).usage.costUsd).toBe(0.0042);
    const events = await collect(router.stream(ask));
    const finish = events.find((e) => e.type === 'finish') as Extract<
      LLMStreamEvent,
      { type: 'finish' }
    >;
    expect(finish.result.usage.costUsd).toBe(0.0042);
    // No reported cost: the table prices it (19 in, 10 out).
    expect((await router.chat(ask)).usage.costUsd).toBeCloseTo((19 * 2.5 + 10 * 10) / 1e6, 12);
  });

  it('authenticates Azure with a Microsoft Entra token provider', async () => {
    server = await startFakeServer([{ json: completion({ content: 'ok' }) }]);
    const azure = new AzureOpenAIClient({
      model: 'gpt-4o',
      endpoint: server.url,
      apiVersion: '2024-10-21',
      azureADTokenProvider: async () => 'entra-token',
    });
    await azure.chat(ask);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer entra-token');
    expect(server.requests[0]?.path).toBe(
      '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    );
  });

  it('names a compatible server with providerName', async () => {
    server = await startFakeServer([{ json: completion({ content: 'ok' }) }]);
    const ollama = new OpenAIClient({
      model: 'llama3.2',
      apiKey: 'ollama',
      baseURL: `${server.url}/v1`,
      providerName: 'ollama',
    });
    expect((await ollama.chat(ask)).usage.provider).toBe('ollama');
  });
  it('honours retry-after-ms and Retry-After as an HTTP date', async () => {
    const rateLimited = (headers: Record<string, string>) => ({
      status: 429,
      headers,
      json: {
        error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
      },
    });
    server = await startFakeServer([
      rateLimited({ 'retry-after-ms': '20', 'retry-after': '30' }),
      rateLimited({ 'retry-after': new Date(Date.now() - 5000).toUTCString() }),
      { json: completion({ content: 'ok' }) },
    ]);
    const delays: number[] = [];
    const client = new OpenAIClient({
      model: 'm',
      apiKey: 'k',
      baseURL: `${server.url}/v1`,
      retry: { initialDelayMs: 7, jitter: false, onRetry: (e) => delays.push(e.delayMs) },
    });
    expect((await client.chat(ask)).llmResponse).toBe('ok');
    // retry-after-ms wins over Retry-After; a date in the past means "now".
    expect(delays).toEqual([20, 0]);
  });
  it('states the schema in the system prompt for servers without json_schema', async () => {
    server = await startFakeServer([{ json: completion({ content: '{"n":3}' }) }]);
    const result = await new OpenAIClient({
      model: 'llama3.2',
      apiKey: 'ollama',
      baseURL: `${server.url}/v1`,
      structuredOutput: 'instructions',
    }).chat({
      systemPrompt: 'Count.',
      userMessage: 'n?',
      structureType: z.object({ n: z.number() }),
    });
    expect(result.llmResponse).toEqual({ n: 3 });
    const body = server.requests[0]?.body as { messages: Array<{ content: string }> };
    expect(body).not.toHaveProperty('response_format');
    expect(body.messages[0]?.content).toMatch(
      /^Count\.\n\nReply with only a JSON value .*"required":\["n"\]/s,
    );
  });
  it("keeps the API's explanation in the message, with key-like text masked", async () => {
    server = await startFakeServer([
      {
        status: 401,
        json: {
          error: {
            message:
              'Incorrect API key provided: sk-proj-abcdefghijklmnop1234. You can find your key at https://platform.openai.com.',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        },
      },
    ]);
    const error = await new OpenAIClient({
      model: 'm',
      apiKey: 'sk-proj-abcdefghijklmnop1234',
      baseURL: `${server.url}/v1`,
    })
      .chat(ask)
      .then(
        () => new Error('no error'),
        (e: unknown) => e as Error,
      );
    expect(error.message).toBe(
      'openai-compatible API error 401 (invalid_request_error): Incorrect API key provided: ' +
        'sk-***. You can find your key at https://platform.openai.com.',
    );
  });
});

describe('the environment is an explicit option', () => {
  let envServer: FakeServer;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await envServer?.close();
  });

  it('a missing apiKey comes from `env` (default process.env); env: {} turns the lookup off', async () => {
    envServer = await startFakeServer([{ json: completion({ content: 'ok' }) }]);
    vi.stubEnv('OPENAI_API_KEY', 'from-process-env');
    await new OpenAIClient({
      model: 'm',
      baseURL: `${envServer.url}/v1`,
      env: { OPENAI_API_KEY: 'from-env-option' },
    }).chat(ask);
    expect(envServer.requests[0]?.headers.authorization).toBe('Bearer from-env-option');
    expect(() => new OpenAIClient({ model: 'm', baseURL: `${envServer.url}/v1`, env: {} })).toThrow(
      InvalidInputError,
    );
  });

  it('OPENAI_BASE_URL, OPENAI_ORG_ID and OPENAI_PROJECT_ID come from `env` only; Azure never reads them', async () => {
    envServer = await startFakeServer([
      { json: completion({ content: 'via env' }) },
      { json: completion({ content: 'azure' }) },
    ]);
    vi.stubEnv('OPENAI_BASE_URL', 'http://127.0.0.1:9/v1');
    vi.stubEnv('OPENAI_ORG_ID', 'org-from-process-env');
    const viaEnv = new OpenAIClient({
      model: 'm',
      apiKey: 'k',
      retry: false,
      env: { OPENAI_BASE_URL: `${envServer.url}/v1`, OPENAI_PROJECT_ID: 'proj_1' },
    });
    expect((await viaEnv.chat(ask)).llmResponse).toBe('via env');
    expect(viaEnv.adapter.provider).toBe('openai-compatible');
    expect(envServer.requests[0]?.headers['openai-project']).toBe('proj_1');
    expect(envServer.requests[0]?.headers['openai-organization']).toBeUndefined();
    // env: {} is api.openai.com, whatever process.env says.
    expect(new OpenAIClient({ model: 'm', apiKey: 'k', env: {} }).adapter.provider).toBe('openai');
    // The Azure SDK would take OPENAI_BASE_URL from process.env and refuse the endpoint.
    const azure = new AzureOpenAIClient({
      model: 'gpt-4o',
      endpoint: envServer.url,
      apiVersion: '2024-10-21',
      apiKey: 'azure-key',
      retry: false,
    });
    expect((await azure.chat(ask)).llmResponse).toBe('azure');
    expect(envServer.requests[1]?.path).toBe(
      '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    );
    expect(envServer.requests[1]?.headers['openai-organization']).toBeUndefined();
  });
});
