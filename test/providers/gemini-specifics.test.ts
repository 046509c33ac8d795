/**
 * Gemini specifics: credentials, generationConfig mapping, thoughts, calls without ids.
 * Wire shapes: https://ai.google.dev/api/generate-content (GenerationConfig, ThinkingConfig,
 * Part.thought, FunctionCall / FunctionResponse `id`), as in gemini-wire.ts.
 */
import { InvalidInputError, tool } from 'arshai';
import { GeminiClient } from 'arshai/gemini';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type FakeServer, sse, startFakeServer } from './fake-server.js';
import { response } from './gemini-wire.js';
import { collect } from './provider-fixture.js';

const ask = { systemPrompt: '', userMessage: 'x' };

describe('Gemini specifics', () => {
  let server: FakeServer;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server?.close();
  });

  it('names the missing API key instead of letting the SDK warn on the console', () => {
    vi.stubEnv('GOOGLE_API_KEY', '');
    vi.stubEnv('GEMINI_API_KEY', '');
    const warn = vi.spyOn(console, 'warn');
    const error = (() => {
      try {
        new GeminiClient({ model: 'gemini-2.5-flash' });
      } catch (e) {
        return e;
      }
    })();
    expect(InvalidInputError.isInstance(error) && error.field).toBe('apiKey');
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    vi.stubEnv('GEMINI_API_KEY', 'from-env');
    expect(() => new GeminiClient({ model: 'gemini-2.5-flash' })).not.toThrow();
  });

  it('maps every sampling option into generationConfig, on the API version asked for', async () => {
    server = await startFakeServer([{ json: response([{ text: 'ok' }]) }]);
    await new GeminiClient({
      model: 'gemini-2.5-flash',
      apiKey: 'k',
      baseURL: server.url,
      apiVersion: 'v1beta',
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxTokens: 256,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
      reasoningEffort: 'low',
    }).chat(ask);
    const [req] = server.requests;
    expect(req?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    const body = req?.body as { generationConfig: unknown };
    expect(body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
      thinkingConfig: { thinkingBudget: 1024 },
    });
  });

  it('streams thought parts as reasoning, not as the answer', async () => {
    server = await startFakeServer([
      {
        sse: [
          sse(response([{ text: 'Thinking about it.', thought: true }], undefined)),
          sse(response([{ text: 'The answer.' }], 'STOP')),
        ],
      },
    ]);
    const events = await collect(
      new GeminiClient({ model: 'gemini-2.5-flash', apiKey: 'k', baseURL: server.url }).stream(ask),
    );
    expect(events.find((e) => e.type === 'reasoning-delta')).toMatchObject({
      text: 'Thinking about it.',
    });
    const finish = events.at(-1);
    expect(finish?.type === 'finish' && finish.result.llmResponse).toBe('The answer.');
  });

  it('answers calls that came without an id by name, without inventing one', async () => {
    server = await startFakeServer([
      { json: response([{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }]) },
      { json: response([{ text: 'Sunny.' }]) },
    ]);
    const weather = tool({
      description: 'Weather of a city',
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => `${city}: sunny`,
    });
    const result = await new GeminiClient({
      model: 'gemini-2.0-flash',
      apiKey: 'k',
      baseURL: server.url,
    }).chat({ ...ask, regularFunctions: { get_weather: weather } });
    expect(result.llmResponse).toBe('Sunny.');
    const followUp = server.requests[1]?.body as { contents: unknown[] };
    const contents = followUp.contents;
    expect(contents.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_weather', response: { output: 'Rome: sunny' } } }],
      },
    ]);
  });
});
