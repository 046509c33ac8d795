/**
 * One suite of wire-level behaviours every provider client must show, run against a local
 * server that speaks the provider's protocol. Each provider supplies its fixtures.
 */

import {
  type LLMClient,
  type LLMStreamEvent,
  ProviderError,
  type RetryOptions,
  tool,
  type Usage,
} from 'arshai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeServer, type Reply, startFakeServer } from './fake-server.js';

// biome-ignore lint/suspicious/noExplicitAny: request bodies are free-form JSON in assertions
export type Json = any;

export interface ProviderFixture {
  name: string;
  client(url: string, options: { retry?: RetryOptions | false; temperature?: number }): LLMClient;
  /** Checks method/path/auth of a request. */
  checkRoute(
    request: { method: string; path: string; headers: Record<string, unknown> },
    streamed: boolean,
  ): void;
  /** A non-streamed answer `text`, reporting `textUsage`. */
  text(text: string): Reply;
  textUsage: Partial<Usage>;
  /** Checks a request for system prompt 'SYS', user message 'Hello', temperature 0.3. */
  checkTextRequest(body: Json): void;
  streamText(chunks: string[]): Reply;
  /** Two calls, get_weather {city:'Paris'} and get_time {zone:'CET'}, argument deltas interleaved. */
  streamTwoToolCalls(): Reply;
  nativeIds: [string, string];
  /** Checks the follow-up request: the assistant's calls with native ids, then both results. */
  checkFollowUp(body: Json, results: [string, string]): void;
  structured(value: unknown): Reply;
  checkStructuredRequest(body: Json): void;
  checkImage(body: Json, base64: string): void;
  error(status: number, headers?: Record<string, string>): Reply;
  /** A stream that sends a first event, then the connection drops. */
  cutStream(): Reply;
  malformedStream(): Reply;
}

const weather = tool({
  description: 'Weather of a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    await new Promise((r) => setTimeout(r, 30));
    return `${city}: sunny`;
  },
});
const time = tool({
  description: 'Time in a zone',
  parameters: z.object({ zone: z.string() }),
  execute: async ({ zone }) => {
    await new Promise((r) => setTimeout(r, 30));
    return `${zone}: 12:00`;
  },
});

async function collect(events: AsyncIterable<LLMStreamEvent>): Promise<LLMStreamEvent[]> {
  const out: LLMStreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString(
  'base64',
);

export function providerSuite(f: ProviderFixture): void {
  describe(`${f.name} over its wire protocol`, () => {
    let server: FakeServer;
    afterEach(async () => server?.close());
    const start = async (...replies: Reply[]) => {
      server = await startFakeServer(replies);
      return server;
    };
    const input = { systemPrompt: 'SYS', userMessage: 'Hello', extraHeaders: { 'x-trace': 't-1' } };

    it('answers plainly, maps sampling options, headers and usage', async () => {
      await start(f.text('Hi there'));
      const result = await f.client(server.url, { temperature: 0.3 }).chat(input);
      expect(result.llmResponse).toBe('Hi there');
      expect(result.usage).toMatchObject(f.textUsage);
      const [req] = server.requests;
      f.checkRoute(req as never, false);
      expect(req?.headers['x-trace']).toBe('t-1');
      f.checkTextRequest(req?.body);
    });

    it('streams an answer as deltas', async () => {
      await start(f.streamText(['Hel', 'lo ', 'you']));
      const events = await collect(f.client(server.url, {}).stream(input));
      const deltas = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
      expect(deltas).toEqual(['Hel', 'lo ', 'you']);
      const finish = events.at(-1);
      expect(finish?.type === 'finish' && finish.result.llmResponse).toBe('Hello you');
      f.checkRoute(server.requests[0] as never, true);
      expect(server.requests[0]?.headers['x-trace']).toBe('t-1');
    });

    it('runs two streamed parallel tool calls and sends native results back', async () => {
      await start(f.streamTwoToolCalls(), f.streamText(['Paris is sunny at noon.']));
      const events = await collect(
        f
          .client(server.url, {})
          .stream({ ...input, regularFunctions: { get_weather: weather, get_time: time } }),
      );
      const calls = events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : []));
      expect(calls.map((c) => [c.id, c.name, JSON.parse(c.arguments)])).toEqual([
        [f.nativeIds[0], 'get_weather', { city: 'Paris' }],
        [f.nativeIds[1], 'get_time', { zone: 'CET' }],
      ]);
      const results = events.flatMap((e) => (e.type === 'tool-result' ? [e.output] : []));
      expect(results.sort()).toEqual(['CET: 12:00', 'Paris: sunny']);
      expect(server.requests).toHaveLength(2);
      f.checkFollowUp(server.requests[1]?.body, ['Paris: sunny', 'CET: 12:00']);
      const finish = events.at(-1);
      expect(finish?.type === 'finish' && finish.result.llmResponse).toBe(
        'Paris is sunny at noon.',
      );
    });

    it('returns validated structured output', async () => {
      await start(f.structured({ city: 'Oslo', celsius: 4 }));
      const result = await f.client(server.url, {}).chat({
        ...input,
        structureType: z.object({ city: z.string(), celsius: z.number() }),
      });
      expect(result.llmResponse).toEqual({ city: 'Oslo', celsius: 4 });
      f.checkStructuredRequest(server.requests[0]?.body);
    });

    it('sends an image with its sniffed media type', async () => {
      await start(f.text('A tiny PNG.'));
      await f.client(server.url, {}).chat({ ...input, images: [PNG] });
      f.checkImage(server.requests[0]?.body, PNG);
    });

    it('waits as Retry-After asks after a 429, then succeeds', async () => {
      await start(f.error(429, { 'retry-after': '1' }), f.text('ok'));
      const delays: number[] = [];
      const result = await f
        .client(server.url, { retry: { maxRetries: 2, onRetry: (e) => delays.push(e.delayMs) } })
        .chat(input);
      expect(result.llmResponse).toBe('ok');
      expect(delays).toEqual([1000]);
      const [first, second] = server.requests;
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
    });

    it('retries 500s, then fails with a typed retryable error', async () => {
      await start(f.error(500), f.error(500), f.error(500));
      const error = await f
        .client(server.url, { retry: { maxRetries: 2, initialDelayMs: 1 } })
        .chat(input)
        .catch((e: unknown) => e);
      expect(server.requests).toHaveLength(3);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 500, retryable: true });
    });

    it('does not retry a 401', async () => {
      await start(f.error(401), f.text('never'));
      const error = await f
        .client(server.url, { retry: { maxRetries: 3, initialDelayMs: 1 } })
        .chat(input)
        .catch((e: unknown) => e);
      expect(server.requests).toHaveLength(1);
      expect(error).toMatchObject({ status: 401, retryable: false });
      expect(String((error as Error).message)).not.toMatch(/test-key/);
    });

    it('fails with a typed error when the stream is cut mid-way, without retrying', async () => {
      await start(f.cutStream(), f.streamText(['never']));
      const events: LLMStreamEvent[] = [];
      const error = await (async () => {
        for await (const e of f.client(server.url, { retry: { initialDelayMs: 1 } }).stream(input))
          events.push(e);
      })().catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(events.some((e) => e.type === 'text-delta')).toBe(true);
      expect(events.at(-1)?.type).toBe('error');
      expect(server.requests).toHaveLength(1);
    });

    it('fails with a typed error on malformed stream data', async () => {
      await start(f.malformedStream());
      const error = await collect(f.client(server.url, { retry: false }).stream(input)).catch(
        (e: unknown) => e,
      );
      expect(ProviderError.isInstance(error)).toBe(true);
    });

    it('sums usage over a tool round trip', async () => {
      await start(f.streamTwoToolCalls(), f.streamText(['done']));
      const events = await collect(
        f
          .client(server.url, {})
          .stream({ ...input, regularFunctions: { get_weather: weather, get_time: time } }),
      );
      const finish = events.at(-1);
      const usages = events.flatMap((e) => (e.type === 'usage' ? [e.usage] : []));
      expect(usages).toHaveLength(2);
      const sum = (k: 'inputTokens' | 'outputTokens') => usages.reduce((n, u) => n + u[k], 0);
      expect(finish?.type === 'finish' && finish.result.usage.inputTokens).toBe(sum('inputTokens'));
      expect(finish?.type === 'finish' && finish.result.usage.outputTokens).toBe(
        sum('outputTokens'),
      );
      expect(sum('inputTokens')).toBeGreaterThan(0);
    });
  });
}
