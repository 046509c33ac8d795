/** Answers: plain, streamed, structured, with media, with extra body fields; usage. */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeServer, type Reply, startFakeServer } from './fake-server.js';
import {
  collect,
  input,
  PDF,
  PNG,
  type ProviderFixture,
  time,
  weather,
} from './provider-fixture.js';

export function answerSuite(f: ProviderFixture): void {
  describe(`${f.name}: answers`, () => {
    let server: FakeServer;
    afterEach(async () => server?.close());
    const start = async (...replies: Reply[]) => {
      server = await startFakeServer(replies);
      return server;
    };

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

    it('returns validated structured output, asked for natively', async () => {
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

    it('sends a PDF given as a data URL as a document part', async () => {
      await start(f.text('A tiny PDF.'));
      await f
        .client(server.url, {})
        .chat({ ...input, pdfs: [`data:application/pdf;base64,${PDF}`] });
      f.checkPdf(server.requests[0]?.body, PDF);
    });

    it('merges extraBody into the request', async () => {
      await start(f.text('ok'), f.streamText(['ok']));
      const client = f.client(server.url, { extraBody: f.extraBody });
      await client.chat(input);
      await collect(client.stream(input));
      expect(server.requests[0]?.body).toMatchObject(f.extraBody);
      expect(server.requests[1]?.body).toMatchObject(f.extraBody);
    });

    it('sums streamed usage, cached and reasoning tokens included, over a tool round trip', async () => {
      await start(f.streamTwoToolCalls(), f.streamText(['done']));
      const events = await collect(
        f
          .client(server.url, {})
          .stream({ ...input, regularFunctions: { get_weather: weather, get_time: time } }),
      );
      const perTurn = events.flatMap((e) => (e.type === 'usage' ? [e.usage] : []));
      expect(perTurn).toHaveLength(2);
      for (const usage of perTurn) expect(usage).toMatchObject(f.streamUsage);
      const finish = events.at(-1);
      const u = f.streamUsage;
      expect(finish?.type === 'finish' && finish.result.usage).toMatchObject({
        inputTokens: 2 * u.inputTokens,
        outputTokens: 2 * u.outputTokens,
        totalTokens: 2 * u.totalTokens,
        cachedInputTokens: 2 * u.cachedInputTokens,
        reasoningTokens: 2 * u.reasoningTokens,
      });
    });
  });
}
