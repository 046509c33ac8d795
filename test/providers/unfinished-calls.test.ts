/**
 * A tool call the model did not finish never runs, and no block is hidden: Anthropic and
 * Gemini edge cases over their wire protocols (documented JSON and SSE shapes).
 */
import { type LLMResult, type LLMStreamEvent, ProviderError, tool } from 'arshai';
import { AnthropicClient } from 'arshai/anthropic';
import { GeminiClient } from 'arshai/gemini';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { block, blockStop, delta, message, start, stop } from './anthropic-wire.js';
import { type FakeServer, type Reply, sse, startFakeServer } from './fake-server.js';
import { response } from './gemini-wire.js';
import { collect } from './provider-fixture.js';

let server: FakeServer;
afterEach(async () => server?.close());

/** A tool that records every run: a cut call must never reach it. */
function cancelOrders() {
  const runs: unknown[] = [];
  const t = tool({
    description: 'Cancels orders (all of them without ids)',
    parameters: z.object({ ids: z.array(z.string()).optional() }),
    execute: async (args) => {
      runs.push(args);
      return 'cancelled';
    },
  });
  return { t, runs };
}

const claude = (options: { retry?: false } = {}) =>
  new AnthropicClient({
    model: 'claude-test-model',
    apiKey: 'k',
    baseURL: server.url,
    retry: options.retry ?? { maxRetries: 1, initialDelayMs: 1 },
  });
const gemini = (options: { retry?: false } = {}) =>
  new GeminiClient({
    model: 'gemini-2.5-flash',
    apiKey: 'k',
    baseURL: server.url,
    retry: options.retry ?? { maxRetries: 1, initialDelayMs: 1 },
  });
const ask = { systemPrompt: 's', userMessage: 'cancel my order' };
const finishOf = (events: LLMStreamEvent[]) =>
  (events.at(-1) as Extract<LLMStreamEvent, { type: 'finish' }>).result as LLMResult;

describe('Anthropic: unfinished calls never run', () => {
  it('non-streamed: a tool_use cut by max_tokens does not run; the call ends with length', async () => {
    server = await startFakeServer([
      {
        json: message(
          [
            { type: 'text', text: 'Cancelling now' },
            { type: 'tool_use', id: 'toolu_1', name: 'cancel_orders', input: {} },
          ],
          'max_tokens',
        ),
      },
    ]);
    const { t, runs } = cancelOrders();
    const result = await claude().chat({ ...ask, regularFunctions: { cancel_orders: t } });
    expect(runs).toEqual([]);
    expect(result).toMatchObject({
      llmResponse: 'Cancelling now',
      finishReason: 'length',
      turns: 1,
    });
    expect(result.toolCalls).toEqual([]);
    expect(result.messages.at(-1)).toEqual({ role: 'assistant', content: 'Cancelling now' });
    expect(server.requests).toHaveLength(1);
  });

  it('streamed: a block cut before any input, or by max_tokens, does not run', async () => {
    const cut = (extra: string[]) => ({
      sse: [
        start,
        block(0, { type: 'tool_use', id: 'toolu_1', name: 'cancel_orders', input: {} }),
        ...extra,
        ...stop('max_tokens'),
      ],
    });
    for (const extra of [
      [blockStop(0)],
      [delta(0, { type: 'input_json_delta', partial_json: '{"ids": ["A' }), blockStop(0)],
      [],
    ]) {
      server = await startFakeServer([cut(extra)]);
      const { t, runs } = cancelOrders();
      const events = await collect(
        claude().stream({ ...ask, regularFunctions: { cancel_orders: t } }),
      );
      expect(runs).toEqual([]);
      expect(events.some((e) => e.type === 'tool-call')).toBe(false);
      expect(finishOf(events).finishReason).toBe('length');
      await server.close();
    }
  });

  it('streamed: a tool without arguments still runs when the model moved on', async () => {
    const ping = tool({
      description: 'ping',
      parameters: z.object({}),
      execute: async () => 'pong',
    });
    server = await startFakeServer([
      {
        sse: [
          start,
          block(0, { type: 'tool_use', id: 'toolu_1', name: 'ping', input: {} }),
          delta(0, { type: 'input_json_delta', partial_json: '' }),
          blockStop(0),
          ...stop('tool_use'),
        ],
      },
      {
        sse: [
          start,
          block(0, { type: 'text', text: '' }),
          delta(0, { type: 'text_delta', text: 'pong it is' }),
          blockStop(0),
          ...stop('end_turn'),
        ],
      },
    ]);
    const result = finishOf(await collect(claude().stream({ ...ask, regularFunctions: { ping } })));
    expect(result.toolCalls.map((c) => [c.name, c.output])).toEqual([['ping', 'pong']]);
  });

  it('streamed: a tool_use block that never closed, then tool_use, is a typed error, not silence', async () => {
    server = await startFakeServer([
      {
        sse: [
          start,
          block(0, { type: 'tool_use', id: 'toolu_1', name: 'cancel_orders', input: {} }),
          delta(0, { type: 'input_json_delta', partial_json: '{"ids": ["A1"]}' }),
          ...stop('tool_use'),
        ],
      },
    ]);
    const { t, runs } = cancelOrders();
    const error = await collect(
      claude({ retry: false }).stream({ ...ask, regularFunctions: { cancel_orders: t } }),
    ).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/malformed/);
    expect(runs).toEqual([]);
  });

  it('tool_use ids that are empty, missing or repeated are refused before any tool runs', async () => {
    const calls = (ids: Array<string | undefined>) =>
      message(
        ids.map((id, i) => ({
          type: 'tool_use',
          ...(id === undefined ? {} : { id }),
          name: 'cancel_orders',
          input: { ids: [`A${i}`] },
        })),
        'tool_use',
      );
    for (const ids of [[''], [undefined], ['toolu_1', 'toolu_1']]) {
      server = await startFakeServer([{ json: calls(ids) }, { json: calls(ids) }]);
      const { t, runs } = cancelOrders();
      const error = await claude()
        .chat({ ...ask, regularFunctions: { cancel_orders: t } })
        .catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ retryable: true });
      expect(runs).toEqual([]);
      expect(server.requests).toHaveLength(2); // retried once, as a malformed turn
      await server.close();
    }
  });

  it('an empty answer with structureType never becomes an empty message in the repair request', async () => {
    server = await startFakeServer([
      { json: message([], 'end_turn') },
      { json: message([{ type: 'text', text: '{"ok":true}' }]) },
    ]);
    const result = await claude().chat({ ...ask, structureType: z.object({ ok: z.boolean() }) });
    expect(result.llmResponse).toEqual({ ok: true });
    const repair = server.requests[1]?.body as {
      messages: Array<{ role: string; content: unknown[] }>;
    };
    for (const m of repair.messages) expect(m.content.length).toBeGreaterThan(0);
    expect(repair.messages.filter((m) => m.role === 'assistant')).toEqual([]);
  });

  it('garbage 200 bodies are a typed malformed-response error', async () => {
    const bodies: Reply[] = [
      {
        raw: '<html><body>502 Bad Gateway</body></html>',
        headers: { 'content-type': 'text/html' },
      },
      { raw: '' },
      { json: {} },
      { json: { ...message([]), content: null } },
    ];
    for (const body of bodies) {
      server = await startFakeServer([body]);
      const error = await claude({ retry: false })
        .chat(ask)
        .catch((e: unknown) => e);
      expect(ProviderError.isInstance(error), JSON.stringify(body)).toBe(true);
      expect((error as Error).message).not.toMatch(/is not iterable|Cannot read properties/);
      await server.close();
    }
  });

  it('context window exceeded is length, pause_turn continues the turn, a refusal explains itself', async () => {
    server = await startFakeServer([
      { json: message([{ type: 'text', text: 'So far' }], 'model_context_window_exceeded') },
      { json: message([{ type: 'text', text: 'Searching' }], 'pause_turn') },
      { json: message([{ type: 'text', text: ', found it.' }], 'end_turn') },
      {
        json: {
          ...message([], 'refusal'),
          stop_details: { type: 'refusal', category: 'cyber', explanation: 'Malware request' },
        },
      },
    ]);
    const llm = claude();
    expect((await llm.chat(ask)).finishReason).toBe('length');
    const paused = await llm.chat(ask);
    expect(paused).toMatchObject({
      llmResponse: 'Searching, found it.',
      finishReason: 'stop',
      turns: 2,
    });
    const sentBack = server.requests[2]?.body as { messages: Array<{ role: string }> };
    expect(sentBack.messages.at(-1)?.role).toBe('assistant'); // the paused turn, as it was
    const refused = await llm.chat(ask);
    expect(refused.finishReason).toBe('content-filter');
    expect(refused.finishDetails).toEqual({
      reason: 'refusal',
      category: 'cyber',
      explanation: 'Malware request',
    });
  });

  it('a stream request answered with plain JSON says so, and is not retried', async () => {
    server = await startFakeServer([
      { json: message([{ type: 'text', text: 'not a stream' }]) },
      { json: message([{ type: 'text', text: 'not a stream' }]) },
    ]);
    const error = await collect(claude().stream(ask)).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/application\/json.*not an event stream/);
    expect(error).toMatchObject({ retryable: false });
    expect(server.requests).toHaveLength(1);
  });
});

describe('Gemini: no hidden blocks, no empty successes', () => {
  const blocked = {
    promptFeedback: { blockReason: 'PROHIBITED_CONTENT', blockReasonMessage: 'Not allowed' },
    usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 },
  };

  it('a blocked prompt is content-filter with its reason, streamed or not, never retried', async () => {
    server = await startFakeServer([{ json: blocked }, { sse: [sse(blocked)] }]);
    const llm = gemini();
    const result = await llm.chat(ask);
    expect(result).toMatchObject({ llmResponse: '', finishReason: 'content-filter' });
    expect(result.finishDetails).toEqual({
      reason: 'PROHIBITED_CONTENT',
      explanation: 'Not allowed',
    });
    const streamed = finishOf(await collect(llm.stream(ask)));
    expect(streamed.finishReason).toBe('content-filter');
    expect(streamed.finishDetails?.reason).toBe('PROHIBITED_CONTENT');
    expect(server.requests).toHaveLength(2);
  });

  it('malformed turns are retried typed errors; refused tool calls are typed errors', async () => {
    server = await startFakeServer([
      { json: response([], 'MALFORMED_FUNCTION_CALL') },
      { json: response([{ text: 'fine now' }]) },
      { json: response([], 'TOO_MANY_TOOL_CALLS') },
      { json: response([], 'UNEXPECTED_TOOL_CALL') },
      { json: response([], 'MALFORMED_RESPONSE') },
      { json: response([], 'MALFORMED_RESPONSE') },
    ]);
    const llm = gemini();
    expect((await llm.chat(ask)).llmResponse).toBe('fine now');
    for (const reason of ['TOO_MANY_TOOL_CALLS', 'UNEXPECTED_TOOL_CALL', 'MALFORMED_RESPONSE']) {
      const error = await llm.chat(ask).catch((e: unknown) => e);
      expect(ProviderError.isInstance(error), reason).toBe(true);
      expect((error as Error).message).toContain(reason);
    }
    expect(server.requests).toHaveLength(6);
  });

  it('a 200 with {} or no candidates is a typed error; an empty STOP answer is not an empty message', async () => {
    for (const body of [{}, { candidates: [] }]) {
      server = await startFakeServer([{ json: body }]);
      const error = await gemini({ retry: false })
        .chat(ask)
        .catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/malformed/);
      await server.close();
    }
    server = await startFakeServer([
      { json: response([{ text: '' }]) },
      { json: response([{ text: '{"ok":true}' }]) },
    ]);
    const result = await gemini().chat({ ...ask, structureType: z.object({ ok: z.boolean() }) });
    expect(result.llmResponse).toEqual({ ok: true });
    const repair = server.requests[1]?.body as { contents: Array<{ parts: unknown[] }> };
    for (const c of repair.contents) expect(c.parts.length).toBeGreaterThan(0);
  });

  it('a stream request answered with plain JSON is not retried as a cut stream', async () => {
    server = await startFakeServer([
      { json: response([{ text: 'not a stream' }]) },
      { json: response([{ text: 'not a stream' }]) },
    ]);
    const error = await collect(gemini().stream(ask)).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false });
    expect(server.requests).toHaveLength(1);
  });
});
