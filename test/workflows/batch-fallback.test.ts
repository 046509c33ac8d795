import {
  AbortError,
  AllAttemptsFailedError,
  BatchProcessor,
  END,
  FallbackWorkflow,
  InMemoryCheckpointer,
  TimeoutError,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { describe, expect, it } from 'vitest';

/** A one-node workflow: waits (observing its signal), fails on 'bad', records concurrency. */
function worker(checkpointer?: InMemoryCheckpointer) {
  const stats = { active: 0, maxActive: 0, started: [] as string[] };
  const runner = new WorkflowRunner(
    new WorkflowGraph()
      .addNode('work', async (s, _i, ctx) => {
        stats.started.push(String(s.input));
        stats.active++;
        stats.maxActive = Math.max(stats.maxActive, stats.active);
        try {
          const ms = s.input === 'slow' ? 10_000 : 10;
          await new Promise((resolve, reject) => {
            const timer = setTimeout(resolve, ms);
            ctx.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(ctx.signal.reason);
            });
          });
          if (s.input === 'bad') throw new Error('bad input');
          return { agentData: { out: `done ${s.input}` } };
        } finally {
          stats.active--;
        }
      })
      .addEdge('work', END)
      .setEntryPoint('work')
      .compile(),
    checkpointer ? { checkpointer } : {},
  );
  return { runner, stats };
}

const items = (...inputs: string[]) => inputs.map((inputData) => ({ userId: 'u', inputData }));

describe('BatchProcessor', () => {
  it('keeps to the concurrency limit and gives each item its result, in order', async () => {
    const { runner, stats } = worker();
    const results = await new BatchProcessor(runner).process(items('a', 'b', 'bad', 'c', 'd'), {
      concurrency: 2,
    });
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 'completed'],
      [1, 'completed'],
      [2, 'failed'],
      [3, 'completed'],
      [4, 'completed'],
    ]);
    expect(stats.maxActive).toBe(2);
    const first = results[0];
    expect(first && 'result' in first && first.result.state.agentData.out).toBe('done a');
    await expect(
      new BatchProcessor(runner).process(items('a'), { concurrency: 0 }),
    ).rejects.toSatisfy((e: unknown) => (e as { field?: string }).field === 'concurrency');
  });

  it('fail-fast: skips items not started and cancels running ones', async () => {
    const { runner, stats } = worker();
    const results = await new BatchProcessor(runner).process(items('slow', 'bad', 'a', 'b'), {
      concurrency: 2,
      failFast: true,
    });
    expect(results.map((r) => r.status)).toEqual(['cancelled', 'failed', 'skipped', 'skipped']);
    expect(stats.started).toEqual(['slow', 'bad']);
    const cancelled = results[0];
    expect(cancelled && 'error' in cancelled && AbortError.isInstance(cancelled.error)).toBe(true);
  });

  it("honours each item's own signal, and rejects when the batch's signal aborts", async () => {
    const { runner, stats } = worker();
    const mine = new AbortController();
    const pending = new BatchProcessor(runner).process(
      [{ userId: 'u', inputData: 'slow', signal: mine.signal }, ...items('a')],
      { concurrency: 2 },
    );
    await until(() => stats.started.includes('slow'));
    mine.abort();
    const results = await pending;
    expect(results.map((r) => r.status)).toEqual(['error', 'completed']);
    const aborted = results[0];
    expect(aborted && 'error' in aborted && AbortError.isInstance(aborted.error)).toBe(true);

    const batch = new AbortController();
    const stopped = new BatchProcessor(worker().runner).process(items('slow', 'slow', 'a'), {
      concurrency: 2,
      signal: batch.signal,
    });
    setTimeout(() => batch.abort(), 20);
    await expect(stopped).rejects.toSatisfy((e: unknown) => AbortError.isInstance(e));
  });
});

describe('FallbackWorkflow', () => {
  const failing = () =>
    new WorkflowRunner(
      new WorkflowGraph()
        .addNode('x', () => {
          throw new TimeoutError(5, 'upstream');
        })
        .addEdge('x', END)
        .setEntryPoint('x')
        .compile(),
    );

  it('answers with the first workflow that does not fail, and says which (also under concurrency)', async () => {
    const checkpointer = new InMemoryCheckpointer();
    const robust = new FallbackWorkflow(failing(), [worker(checkpointer).runner]);
    const [one, two, direct] = await Promise.all([
      robust.executeWorkflow({ userId: 'u', inputData: 'q', runId: 'r1' }),
      robust.executeWorkflow({ userId: 'u', inputData: 'bad' }).catch((e: unknown) => e),
      new FallbackWorkflow(worker().runner, [failing()]).executeWorkflow({
        userId: 'u',
        inputData: 'p',
      }),
    ]);
    if (!one || !('state' in one)) throw new Error('expected a result');
    expect(one).toMatchObject({ status: 'completed', workflowIndex: 1, runId: 'r1-fallback-1' });
    expect(one.state.agentData.out).toBe('done q');
    expect(direct).toMatchObject({ status: 'completed', workflowIndex: 0 });
    expect(AllAttemptsFailedError.isInstance(two)).toBe(true);
    expect((await checkpointer.listRuns()).map((r) => r.runId)).toContain('r1-fallback-1');
  });

  it('timeoutMs limits the whole call: past it the running workflow stops and no fallback starts', async () => {
    const [first, second, third] = [worker(), worker(), worker()];
    const robust = new FallbackWorkflow(first.runner, [second.runner, third.runner]);
    const error = await robust
      .executeWorkflow({ userId: 'u', inputData: 'slow', timeoutMs: 150 })
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('The fallback workflow call');
    expect(first.stats.started).toEqual(['slow']);
    expect([second.stats.started, third.stats.started]).toEqual([[], []]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(condition()).toBe(true);
}
