import {
  AbortError,
  AllAttemptsFailedError,
  BulkheadRejectedError,
  bulkheadPolicy,
  CircuitBreaker,
  CircuitOpenError,
  type CircuitState,
  compose,
  ProviderError,
  resilientTool,
  retryPolicy,
  TimeoutError,
  timeoutPolicy,
  tool,
  withFallback,
  withResilience,
} from 'arshai';
import { MockAgent, ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const fail = () => Promise.reject(new ProviderError('down', { provider: 'p', status: 503 }));

describe('CircuitBreaker', () => {
  it('goes closed → open → half-open → closed/open, with bounded probes', async () => {
    let clock = 0;
    const changes: string[] = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 2,
      resetTimeoutMs: 1000,
      halfOpenMaxProbes: 1,
      now: () => clock,
      onStateChange: (s: CircuitState, p: CircuitState) => changes.push(`${p}→${s}`),
    });
    await expect(breaker.execute(fail)).rejects.toThrow('down');
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(fail)).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
    let ran = false;
    const open = await breaker
      .execute(async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(CircuitOpenError.isInstance(open) && open.retryAfterMs).toBe(1000);
    expect(ran).toBe(false);

    clock = 1000;
    expect(breaker.state).toBe('half-open');
    let release: () => void = () => {};
    const probe = breaker.execute(
      () =>
        new Promise<string>((r) => {
          release = () => r('probe ok');
        }),
    );
    // A second caller while the single probe is in flight fails fast.
    await expect(breaker.execute(async () => 'x')).rejects.toSatisfy((e) =>
      CircuitOpenError.isInstance(e),
    );
    release();
    expect(await probe).toBe('probe ok');
    expect(breaker.state).toBe('closed');

    await breaker.execute(fail).catch(() => {});
    await breaker.execute(fail).catch(() => {});
    clock = 2500;
    await expect(breaker.execute(fail)).rejects.toThrow('down'); // failed probe re-opens
    expect(breaker.state).toBe('open');
    expect(changes).toEqual([
      'closed→open',
      'open→half-open',
      'half-open→closed',
      'closed→open',
      'open→half-open',
      'half-open→open',
    ]);
  });
});

describe('policies', () => {
  it('timeoutPolicy aborts the work with a TimeoutError', async () => {
    let seen: AbortSignal | undefined;
    const error = await timeoutPolicy(20)
      .execute((signal) => {
        seen = signal;
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(seen?.aborted).toBe(true);
  });

  it('bulkheadPolicy limits concurrency and rejects past its queue', async () => {
    const bulkhead = bulkheadPolicy({ maxConcurrent: 1, maxQueued: 1 });
    const gate: Array<() => void> = [];
    const work = () => bulkhead.execute(() => new Promise<void>((r) => gate.push(r)));
    const a = work();
    const b = work();
    await expect(work()).rejects.toSatisfy((e) => BulkheadRejectedError.isInstance(e));
    await new Promise((r) => setTimeout(r, 5));
    expect(gate).toHaveLength(1); // b waits for a
    gate[0]?.();
    await a;
    await new Promise((r) => setTimeout(r, 5));
    gate[1]?.();
    await b;
  });

  it('compose: retry outside a breaker honours its retry-after; fallback keeps every error', async () => {
    let clock = 0;
    const breaker = new CircuitBreaker({
      failureThreshold: 1,
      resetTimeoutMs: 5,
      now: () => clock,
    });
    let calls = 0;
    const policy = compose(
      retryPolicy({
        maxRetries: 3,
        initialDelayMs: 1,
        onRetry: () => {
          clock += 5;
        },
      }),
      breaker,
      timeoutPolicy(1000),
    );
    const value = await policy.execute(async () => {
      calls++;
      if (calls === 1) throw new ProviderError('flaky', { provider: 'p', status: 500 });
      return 'recovered';
    });
    expect(value).toBe('recovered');
    expect(calls).toBe(2);

    const all = await withFallback([
      () => Promise.reject(new Error('a')),
      () => Promise.reject(new Error('b')),
    ]).catch((e: unknown) => e);
    expect(
      AllAttemptsFailedError.isInstance(all) && all.errors.map((e) => (e as Error).message),
    ).toEqual(['a', 'b']);
    expect(
      await withFallback([() => Promise.reject(new Error('a')), async () => 'b']),
    ).toMatchObject({ value: 'b', index: 1 });
  });

  it('withResilience wraps agents; resilientTool wraps tools; the signal reaches the work', async () => {
    const agent = new MockAgent<string>([
      { error: new ProviderError('busy', { provider: 'p', status: 429 }) },
      'done',
    ]);
    const robust = withResilience(agent, retryPolicy({ maxRetries: 1, initialDelayMs: 1 }));
    expect(await robust.process({ message: 'x' })).toBe('done');
    expect(agent.inputs[1]?.signal).toBeInstanceOf(AbortSignal);

    let attempts = 0;
    const flaky = tool({
      description: 'flaky',
      parameters: z.object({}),
      execute: async () => {
        if (++attempts < 3) throw new ProviderError('x', { provider: 'p', status: 500 });
        return 'ok';
      },
    });
    const llm = new ScriptedLLMClient([{ toolCalls: [{ name: 'flaky' }] }, { text: 'fine' }]);
    const result = await llm.chat({
      systemPrompt: '',
      userMessage: 'go',
      regularFunctions: {
        flaky: resilientTool(flaky, retryPolicy({ maxRetries: 2, initialDelayMs: 1 })),
      },
    });
    expect(result.toolCalls[0]?.output).toBe('ok');

    const controller = new AbortController();
    controller.abort();
    await expect(robust.process({ message: 'x', signal: controller.signal })).rejects.toSatisfy(
      (e) => AbortError.isInstance(e),
    );
  });
});
