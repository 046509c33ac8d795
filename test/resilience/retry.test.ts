import { AbortError, ProviderError, retry, retryDelay } from 'arshai';
import { describe, expect, it } from 'vitest';

describe('retry', () => {
  it('backs off exponentially with jitter, honouring Retry-After', () => {
    const options = { initialDelayMs: 100, random: () => 0.5 };
    expect(retryDelay(1, new Error('x'), options)).toBe(75);
    expect(retryDelay(3, new Error('x'), options)).toBe(300);
    expect(retryDelay(1, new Error('x'), { initialDelayMs: 100, jitter: false })).toBe(100);
    expect(
      retryDelay(5, new Error('x'), { initialDelayMs: 100, jitter: false, maxDelayMs: 1000 }),
    ).toBe(1000);
    const limited = new ProviderError('slow down', {
      provider: 'p',
      status: 429,
      retryAfterMs: 2500,
    });
    expect(retryDelay(1, limited, options)).toBe(2500);
  });

  it('makes exactly maxRetries + 1 attempts on retryable errors', async () => {
    let attempts = 0;
    const error = await retry(
      async () => {
        attempts++;
        throw new ProviderError('down', { provider: 'p', status: 500 });
      },
      { maxRetries: 3, initialDelayMs: 1 },
    ).catch((e: unknown) => e);
    expect(attempts).toBe(4);
    expect(ProviderError.isInstance(error)).toBe(true);
    let once = 0;
    await retry(async () => once++, { maxRetries: 0 });
    expect(once).toBe(1);
  });

  it('waits the computed delay through the injected delay, and stops waiting when aborted', async () => {
    const controller = new AbortController();
    const waits: number[] = [];
    const error = await retry(
      async () => {
        throw new ProviderError('down', { provider: 'p', status: 500 });
      },
      {
        initialDelayMs: 10_000,
        jitter: false,
        // A wait that ends only by abort: the retry must stop on the abort, not on a timer.
        delay: (ms, signal) => {
          waits.push(ms);
          controller.abort();
          return new Promise((_, reject) => {
            if (signal?.aborted) reject(signal.reason);
            signal?.addEventListener('abort', () => reject(signal.reason));
          });
        },
      },
      controller.signal,
    ).catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(waits).toEqual([10_000]);
  });
});
