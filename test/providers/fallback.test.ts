/**
 * FallbackLLMClient over the real wire path: an OpenAI client and an Anthropic client, each
 * against its own local server speaking its provider's protocol.
 */
import {
  AllAttemptsFailedError,
  CircuitBreaker,
  CircuitOpenError,
  type FallbackEvent,
  FallbackLLMClient,
  type LLMStreamEvent,
  ProviderError,
} from 'arshai';
import { AnthropicClient } from 'arshai/anthropic';
import { OpenAIClient } from 'arshai/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { block, blockStop, delta, message, start, stop } from './anthropic-wire.js';
import { type FakeServer, sse, startFakeServer } from './fake-server.js';
import { completion } from './openai-wire.js';
import { collect } from './provider-fixture.js';

const ask = { systemPrompt: 'Be brief.', userMessage: 'Hi' };
const outage = (status = 503) => ({
  status,
  json: { error: { message: 'overloaded', type: 'server_error' } },
});
const claudeText = (text: string) => ({ json: message([{ type: 'text', text }]) });
const claudeStream = (chunks: string[]) => ({
  sse: [
    start,
    block(0, { type: 'text', text: '' }),
    ...chunks.map((text) => delta(0, { type: 'text_delta', text })),
    blockStop(0),
    ...stop('end_turn'),
  ],
});

describe('FallbackLLMClient', () => {
  let gpt: FakeServer;
  let claude: FakeServer;
  afterEach(async () => {
    await gpt?.close();
    await claude?.close();
  });
  const clients = (breaker?: CircuitBreaker) => [
    new OpenAIClient({
      model: 'gpt-test',
      apiKey: 'k',
      baseURL: `${gpt.url}/v1`,
      retry: { maxRetries: 1, initialDelayMs: 1 },
      ...(breaker ? { circuitBreaker: breaker } : {}),
    }),
    new AnthropicClient({
      model: 'claude-test-model',
      apiKey: 'k',
      baseURL: claude.url,
      retry: false,
    }),
  ];

  it('GPT, then Claude: a retryable failure after the first client’s retries goes to the next', async () => {
    gpt = await startFakeServer([outage(), outage()]);
    claude = await startFakeServer([claudeText('Hello from Claude')]);
    const moves: FallbackEvent[] = [];
    const llm = new FallbackLLMClient(clients(), { onFallback: (e) => moves.push(e) });
    const result = await llm.chat(ask);
    expect(result.llmResponse).toBe('Hello from Claude');
    expect(result.usage).toMatchObject({ provider: 'anthropic', model: 'claude-test-model' });
    expect(result.fallback?.index).toBe(1);
    expect(ProviderError.isInstance(result.fallback?.errors[0])).toBe(true);
    expect(gpt.requests).toHaveLength(2); // the first client retried once before giving up
    expect(moves.map((m) => [m.from, m.to])).toEqual([[0, 1]]);
  });

  it('the first client answers when it can; a 401 propagates without falling back', async () => {
    gpt = await startFakeServer([
      { json: completion({ content: 'Hello from GPT' }) },
      {
        status: 401,
        json: { error: { message: 'Incorrect API key', type: 'invalid_request_error' } },
      },
    ]);
    claude = await startFakeServer([]);
    const llm = new FallbackLLMClient(clients());
    const first = await llm.chat(ask);
    expect(first.llmResponse).toBe('Hello from GPT');
    expect(first.fallback).toBeUndefined();
    expect(first.usage.provider).toBe('openai-compatible'); // a server other than api.openai.com
    const error = await llm.chat(ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(claude.requests).toHaveLength(0);
  });

  it('streams fall back before their first event, and not after', async () => {
    gpt = await startFakeServer([outage(500), outage(500)]);
    claude = await startFakeServer([claudeStream(['Hel', 'lo'])]);
    const events = await collect(new FallbackLLMClient(clients()).stream(ask));
    expect(events.map((e) => e.type)).toEqual([
      'turn-start',
      'text-delta',
      'text-delta',
      'usage',
      'finish',
    ]);
    const finish = events.at(-1) as Extract<LLMStreamEvent, { type: 'finish' }>;
    expect(finish.result.llmResponse).toBe('Hello');
    expect(finish.result.fallback?.index).toBe(1);

    // A stream cut after it produced text is not replayed on another model.
    await gpt.close();
    await claude.close();
    gpt = await startFakeServer([
      {
        sse: [
          sse({
            id: 'c',
            object: 'chat.completion.chunk',
            created: 1,
            model: 'gpt-test',
            choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }],
          }),
        ],
        cutAfter: 1,
      },
    ]);
    claude = await startFakeServer([claudeStream(['never'])]);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const e of new FallbackLLMClient(clients()).stream(ask)) seen.push(e.type);
    })().catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(seen).toContain('text-delta');
    expect(seen.at(-1)).toBe('error');
    expect(claude.requests).toHaveLength(0);
  });

  it('a circuit breaker on a client skips a failing provider at once', async () => {
    gpt = await startFakeServer([outage(), outage()]);
    claude = await startFakeServer([claudeText('first'), claudeText('second')]);
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeoutMs: 60_000,
      isFailure: (e) => ProviderError.isInstance(e) && e.retryable,
    });
    const llm = new FallbackLLMClient(clients(breaker));
    expect((await llm.chat(ask)).llmResponse).toBe('first');
    expect(breaker.state).toBe('open');
    const second = await llm.chat(ask);
    expect(second.llmResponse).toBe('second');
    expect(CircuitOpenError.isInstance(second.fallback?.errors[0])).toBe(true);
    expect(gpt.requests).toHaveLength(2); // the open circuit sent nothing more to GPT
  });

  it('when every client fails, AllAttemptsFailedError carries each failure', async () => {
    gpt = await startFakeServer([outage(), outage()]);
    claude = await startFakeServer([
      {
        status: 529,
        json: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      },
    ]);
    const error = await new FallbackLLMClient(clients()).chat(ask).catch((e: unknown) => e);
    expect(AllAttemptsFailedError.isInstance(error)).toBe(true);
    const { errors } = error as AllAttemptsFailedError;
    expect(errors.map((e) => (e as ProviderError).provider)).toEqual([
      'openai-compatible',
      'anthropic',
    ]);
    expect(() => new FallbackLLMClient([])).toThrow(/at least one/);
  });
});
