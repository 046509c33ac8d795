/** Tool calling over the wire: parallel calls, native ids, results sent back natively. */
import { tool } from 'arshai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeServer, type Reply, startFakeServer } from './fake-server.js';
import { collect, input, type ProviderFixture, time, weather } from './provider-fixture.js';

export function toolSuite(f: ProviderFixture): void {
  describe(`${f.name}: tool calls`, () => {
    let server: FakeServer;
    afterEach(async () => server?.close());
    const start = async (...replies: Reply[]) => {
      server = await startFakeServer(replies);
      return server;
    };

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

    it('starts a tool as soon as its call is complete, while the stream goes on', async () => {
      const order: string[] = [];
      let started!: () => void;
      const weatherStarted = new Promise<void>((resolve) => {
        started = resolve;
      });
      const eager = tool({
        description: 'Weather of a city',
        parameters: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          order.push('tool started');
          started();
          return `${city}: sunny`;
        },
      });
      const reply = f.streamTwoToolCalls() as Extract<Reply, { sse: unknown }>;
      // The server holds the rest of the stream until the first tool runs (or 3 s pass).
      reply.sse.splice(f.firstCallCompleteBefore, 0, async () => {
        await Promise.race([weatherStarted, new Promise((r) => setTimeout(r, 3000))]);
        order.push('stream resumed');
      });
      await start(reply, f.streamText(['ok']));
      await collect(
        f
          .client(server.url, {})
          .stream({ ...input, regularFunctions: { get_weather: eager, get_time: time } }),
      );
      expect(order).toEqual(['tool started', 'stream resumed']);
    });

    it('runs non-streamed parallel calls; a failing tool goes back as a native error result', async () => {
      await start(f.twoToolCalls(), f.text('Paris is sunny; the clock is broken.'));
      const broken = tool({
        description: 'Time in a zone',
        parameters: z.object({ zone: z.string() }),
        execute: async () => {
          throw new Error('clock broken');
        },
      });
      const result = await f
        .client(server.url, {})
        .chat({ ...input, regularFunctions: { get_weather: weather, get_time: broken } });
      expect(result.llmResponse).toBe('Paris is sunny; the clock is broken.');
      expect(result.toolCalls.map((c) => [c.id, c.isError])).toEqual([
        [f.nativeIds[0], false],
        [f.nativeIds[1], true],
      ]);
      expect(result.turns).toBe(2);
      f.checkErrorResult(server.requests[1]?.body, 'Error: clock broken');
    });
  });
}
