/** Failures over the wire: retries, typed errors, aborts, broken streams. */
import { AbortError, type LLMStreamEvent, ProviderError } from 'arshai';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPortUrl, type FakeServer, type Reply, startFakeServer } from './fake-server.js';
import { collect, input, type ProviderFixture } from './provider-fixture.js';

export function failureSuite(f: ProviderFixture): void {
  describe(`${f.name}: failures`, () => {
    let server: FakeServer;
    afterEach(async () => server?.close());
    const start = async (...replies: Reply[]) => {
      server = await startFakeServer(replies);
      return server;
    };

    it('waits as Retry-After asks after a 429, then succeeds', async () => {
      await start(f.error(429, { 'retry-after': '1' }), f.text('ok'));
      const waited: number[] = [];
      const result = await f
        .client(server.url, {
          retry: {
            maxRetries: 2,
            // The retry's own wait, recorded instead of slept: no wall clock in the test.
            delay: async (ms) => {
              waited.push(ms);
              expect(server.requests).toHaveLength(1); // the second request waits for it
            },
          },
        })
        .chat(input);
      expect(result.llmResponse).toBe('ok');
      expect(waited).toEqual([1000]);
      expect(server.requests).toHaveLength(2);
    });

    it('retries 500s, then fails with a typed retryable error', async () => {
      await start(f.error(500), f.error(500), f.error(500));
      const attempts: number[] = [];
      const error = await f
        .client(server.url, {
          retry: { maxRetries: 2, initialDelayMs: 1, onRetry: (e) => attempts.push(e.attempt) },
        })
        .chat(input)
        .catch((e: unknown) => e);
      expect(server.requests).toHaveLength(3);
      expect(attempts).toEqual([1, 2]);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 500, retryable: true, provider: f.textUsage.provider });
      if (f.errorRequestId) expect(error).toMatchObject({ requestId: f.errorRequestId });
      expect((error as Error).cause).toBeDefined();
    });

    it('does not retry a 401, and keeps the key out of the error', async () => {
      await start(f.error(401), f.text('never'));
      const error = await f
        .client(server.url, { retry: { maxRetries: 3, initialDelayMs: 1 } })
        .chat(input)
        .catch((e: unknown) => e);
      expect(server.requests).toHaveLength(1);
      expect(error).toMatchObject({ status: 401, retryable: false });
      expect(String((error as Error).message)).not.toMatch(/test-key/);
    });

    it('retries a refused connection as a retryable typed error', async () => {
      const url = await closedPortUrl();
      const attempts: number[] = [];
      const error = await f
        .client(url, {
          retry: { maxRetries: 2, initialDelayMs: 1, onRetry: (e) => attempts.push(e.attempt) },
        })
        .chat(input)
        .catch((e: unknown) => e);
      expect(attempts).toEqual([1, 2]);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ retryable: true, status: undefined });
    });

    it('reports a request that exceeds timeoutMs as a retryable timeout, and retries it', async () => {
      await start({ hang: true }, f.text('second try'));
      const retried: unknown[] = [];
      const result = await f
        .client(server.url, {
          timeoutMs: 100,
          retry: { initialDelayMs: 1, onRetry: (e) => retried.push(e.error) },
        })
        .chat(input);
      expect(result.llmResponse).toBe('second try');
      expect(retried).toHaveLength(1);
      expect(ProviderError.isInstance(retried[0])).toBe(true);
      expect(retried[0]).toMatchObject({ retryable: true, status: undefined });
      expect((retried[0] as Error).message).toMatch(/timed out/);
    });

    it('turns an abort during the request into AbortError and closes the connection', async () => {
      await start({ hang: true });
      const controller = new AbortController();
      const pending = f
        .client(server.url, {})
        .chat({ ...input, signal: controller.signal })
        .catch((e: unknown) => e);
      const request = await server.requestArrived(0);
      controller.abort();
      const error = await pending;
      expect(AbortError.isInstance(error)).toBe(true);
      await expect.poll(() => request.closedEarlyAt).toBeDefined();
      expect(server.requests).toHaveLength(1);
    });

    it('retries an error the API reports at the start of a stream', async () => {
      await start(f.streamError(), f.streamText(['recovered']));
      const attempts: number[] = [];
      const events = await collect(
        f
          .client(server.url, {
            retry: { initialDelayMs: 1, onRetry: (e) => attempts.push(e.attempt) },
          })
          .stream(input),
      );
      expect(attempts).toEqual([1]);
      const finish = events.at(-1);
      expect(finish?.type === 'finish' && finish.result.llmResponse).toBe('recovered');
      expect(server.requests).toHaveLength(2);
    });

    it('fails with a typed error when the stream is cut mid-way, without retrying', async () => {
      await start(f.cutStream(), f.streamText(['never']));
      const events: LLMStreamEvent[] = [];
      const error = await (async () => {
        for await (const e of f.client(server.url, { retry: { initialDelayMs: 1 } }).stream(input))
          events.push(e);
      })().catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/stream ended before it was complete/);
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
      expect(error).toMatchObject({ retryable: false });
      expect((error as Error).message).toMatch(/malformed/);
    });

    it('a 200 response without the documented fields is a typed ProviderError, not a TypeError', async () => {
      await start({ json: {} });
      const error = await f
        .client(server.url, { retry: false })
        .chat(input)
        .catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 200, retryable: false });
      expect((error as Error).message).toMatch(/malformed/);
    });

    it('a response without usage reports its usage as unknown, not as 0 tokens', async () => {
      const reply = f.text('no usage') as { json: Record<string, unknown> };
      const json = structuredClone(reply.json);
      delete json.usage;
      delete json.usageMetadata;
      await start({ ...reply, json }, f.text('with usage'));
      const client = f.client(server.url, { retry: false });
      const bare = await client.chat(input);
      expect(bare.llmResponse).toBe('no usage');
      expect(bare.usage).toMatchObject({ unreported: 1, totalTokens: 0 });
      const counted = await client.chat(input);
      expect(counted.usage.unreported).toBeUndefined();
      expect(counted.usage.totalTokens).toBeGreaterThan(0);
    });

    it('fails with a typed error on a response body that is not JSON', async () => {
      await start({ raw: '{"id": "resp_1", "choices": [' });
      const error = await f
        .client(server.url, { retry: false })
        .chat(input)
        .catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
    });
  });
}
