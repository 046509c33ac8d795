/**
 * Anthropic specifics: extended thinking with tool use, cumulative stream usage, options.
 * - thinking: https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 *   (`thinking` blocks with `signature`, streamed as `thinking_delta` then `signature_delta`;
 *   `redacted_thinking` blocks; with tool use the thinking blocks must be passed back
 *   unmodified in the follow-up request)
 * - streaming usage: https://docs.anthropic.com/en/docs/build-with-claude/streaming
 *   ("the token counts in the usage field of the message_delta event are cumulative")
 */
import { InvalidInputError, silentLogger, tool } from 'arshai';
import { AnthropicClient } from 'arshai/anthropic';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { block, blockStop, delta, message, start, stop } from './anthropic-wire.js';
import { type FakeServer, sse, startFakeServer } from './fake-server.js';
import { collect } from './provider-fixture.js';

const signature = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';
const weather = tool({
  description: 'Weather of a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `${city}: sunny`,
});
const ask = {
  systemPrompt: '',
  userMessage: 'Weather in Paris?',
  regularFunctions: { get_weather: weather },
};
const client = (
  url: string,
  extra: Partial<ConstructorParameters<typeof AnthropicClient>[0]> = {},
) =>
  new AnthropicClient({
    model: 'claude-test-model',
    apiKey: 'k',
    baseURL: url,
    extraBody: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    ...extra,
  });

/** The assistant turn the follow-up must carry: thinking first, unchanged. */
const expectedAssistant = (thinking: object[]) => ({
  role: 'assistant',
  content: [
    ...thinking,
    { type: 'text', text: 'Let me look.' },
    { type: 'tool_use', id: 'toolu_01T', name: 'get_weather', input: { city: 'Paris' } },
  ],
});

describe('Anthropic specifics', () => {
  let server: FakeServer;
  afterEach(async () => server?.close());

  it('sends streamed thinking blocks back unchanged before the tool call', async () => {
    server = await startFakeServer([
      {
        sse: [
          start,
          block(0, { type: 'thinking', thinking: '', signature: '' }),
          delta(0, { type: 'thinking_delta', thinking: 'The user wants ' }),
          delta(0, { type: 'thinking_delta', thinking: 'the weather.' }),
          delta(0, { type: 'signature_delta', signature }),
          blockStop(0),
          block(1, { type: 'text', text: '' }),
          delta(1, { type: 'text_delta', text: 'Let me look.' }),
          blockStop(1),
          block(2, { type: 'tool_use', id: 'toolu_01T', name: 'get_weather', input: {} }),
          delta(2, { type: 'input_json_delta', partial_json: '{"city": "Paris"}' }),
          blockStop(2),
          ...stop('tool_use'),
        ],
      },
      { sse: [start, block(0, { type: 'text', text: '' }), blockStop(0), ...stop('end_turn')] },
    ]);
    const events = await collect(client(server.url).stream(ask));
    const reasoning = events.flatMap((e) => (e.type === 'reasoning-delta' ? [e.text] : []));
    expect(reasoning.join('')).toBe('The user wants the weather.');
    const followUp = server.requests[1]?.body as { messages: unknown[]; thinking: unknown };
    expect(followUp.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(followUp.messages[1]).toEqual(
      expectedAssistant([{ type: 'thinking', thinking: 'The user wants the weather.', signature }]),
    );
  });

  it('sends thinking and redacted thinking of a non-streamed turn back unchanged', async () => {
    const thinking = [
      { type: 'thinking', thinking: 'The user wants the weather.', signature },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
    ];
    server = await startFakeServer([
      {
        json: message(
          [
            ...thinking,
            { type: 'text', text: 'Let me look.' },
            { type: 'tool_use', id: 'toolu_01T', name: 'get_weather', input: { city: 'Paris' } },
          ],
          'tool_use',
        ),
      },
      { json: message([{ type: 'text', text: 'Sunny.' }]) },
    ]);
    const result = await client(server.url).chat(ask);
    expect(result.llmResponse).toBe('Sunny.');
    const followUp = server.requests[1]?.body as { messages: unknown[] };
    expect(followUp.messages[1]).toEqual(expectedAssistant(thinking));
  });

  it('takes the cumulative counts of message_delta over those of message_start', async () => {
    server = await startFakeServer([
      {
        sse: [
          start, // input 25, cache read 5, output 1
          block(0, { type: 'text', text: '' }),
          delta(0, { type: 'text_delta', text: 'Hi' }),
          blockStop(0),
          sse(
            {
              type: 'message_delta',
              delta: { stop_reason: 'end_turn', stop_sequence: null },
              usage: {
                input_tokens: 40,
                cache_creation_input_tokens: 2,
                cache_read_input_tokens: 10,
                output_tokens: 20,
              },
            },
            'message_delta',
          ),
          sse({ type: 'message_stop' }, 'message_stop'),
        ],
      },
    ]);
    const events = await collect(client(server.url, { extraBody: undefined }).stream(ask));
    const finish = events.at(-1);
    expect(finish?.type === 'finish' && finish.result.usage).toMatchObject({
      inputTokens: 52,
      cachedInputTokens: 10,
      outputTokens: 20,
      totalTokens: 72,
    });
  });

  it('maps reasoningEffort to output_config.effort (minimal becomes low)', async () => {
    server = await startFakeServer([
      { json: message([{ type: 'text', text: 'ok' }]) },
      { json: message([{ type: 'text', text: 'ok' }]) },
    ]);
    await client(server.url, { extraBody: undefined, reasoningEffort: 'high' }).chat(ask);
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    await client(server.url, { extraBody: undefined, reasoningEffort: 'minimal', logger }).chat(
      ask,
    );
    expect(warnings).toEqual([
      'arshai: Anthropic has no minimal effort; output_config.effort is low',
    ]);
    expect(
      server.requests.map((r) => (r.body as { output_config: unknown }).output_config),
    ).toEqual([{ effort: 'high' }, { effort: 'low' }]);
  });

  it('rejects sampling options the API does not have', () => {
    expect(
      () => new AnthropicClient({ model: 'claude-test-model', apiKey: 'k', frequencyPenalty: 1 }),
    ).toThrow(InvalidInputError);
  });
  it('can state the response schema in the system prompt instead (older models)', async () => {
    server = await startFakeServer([{ json: message([{ type: 'text', text: '{"n":3}' }]) }]);
    const result = await client(server.url, {
      extraBody: undefined,
      structuredOutput: 'instructions',
    }).chat({
      systemPrompt: 'Count.',
      userMessage: 'n?',
      structureType: z.object({ n: z.number() }),
    });
    expect(result.llmResponse).toEqual({ n: 3 });
    const body = server.requests[0]?.body as { system: string; output_config?: unknown };
    expect(body.output_config).toBeUndefined();
    expect(body.system).toBe(
      'Count.\n\nReply with only a JSON value that matches this JSON Schema, without any other ' +
        'text:\n{"type":"object","properties":{"n":{"type":"number"}},"required":["n"],"additionalProperties":false}',
    );
  });
});
