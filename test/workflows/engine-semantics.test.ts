import {
  END,
  InMemoryCheckpointer,
  ProviderError,
  ReducerError,
  RouteError,
  StepLimitExceededError,
  type WorkflowEvent,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// Unhandled rejections end a Node process by default: none may escape a run.
const escaped: unknown[] = [];
const onUnhandled = (reason: unknown) => escaped.push(reason);
beforeEach(() => {
  escaped.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 10));
  process.off('unhandledRejection', onUnhandled);
  expect(escaped).toEqual([]);
});

/** start → (route) → a | b, with `fix` as the error route of start when `withErrorRoute`. */
function routed(route: () => unknown, withErrorRoute = false) {
  return new WorkflowGraph<{ went?: string }>()
    .addNode('start', () => ({}), withErrorRoute ? { onError: 'fix' } : {})
    .addNode('a', () => ({ went: 'a' }))
    .addNode('b', () => ({ went: 'b' }))
    .addNode('fix', () => ({ went: 'fix' }))
    .addConditionalEdges('start', route as () => string)
    .addEdge('a', END)
    .addEdge('b', END)
    .addEdge('fix', END)
    .setEntryPoint('start')
    .compile({ name: 'routed' });
}

describe('route functions', () => {
  it('an async route is awaited', async () => {
    const runner = new WorkflowRunner(routed(async () => 'b'));
    const result = await runner.executeWorkflow({ userId: 'u' });
    expect(result.status).toBe('completed');
    expect(result.state.went).toBe('b');
    expect(result.state.processingPath).toEqual(['start', 'b']);
  });

  it('a rejecting async route fails the run like a node failure (recorded, typed), never an unhandled rejection', async () => {
    const result = await new WorkflowRunner(
      routed(async () => {
        throw new Error('model down');
      }),
    ).executeWorkflow({ userId: 'u' });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ name: 'NodeExecutionError', node: 'start' });
    expect(RouteError.isInstance(result.error?.cause)).toBe(true);
    expect(result.error?.message).toBe(
      'Node "start" failed: The route of "start" rejected: model down',
    );
    expect(result.state.errors).toMatchObject([{ node: 'start', name: 'RouteError' }]);
  });

  it('a throwing route is recorded in state.errors and honours the node’s onError route', async () => {
    const result = await new WorkflowRunner(
      routed(() => {
        throw new Error('bad state');
      }, true),
    ).executeWorkflow({ userId: 'u' });
    expect(result.status).toBe('completed');
    expect(result.state.went).toBe('fix');
    expect(result.state.errors).toMatchObject([
      { node: 'start', name: 'RouteError', message: 'The route of "start" threw: bad state' },
    ]);
  });

  it('a route returning [] or a non-name fails typed, naming the node', async () => {
    for (const [route, problem] of [
      [() => [], 'returned no node ([]): return END to finish the branch'],
      [async () => [], 'returned no node ([]): return END to finish the branch'],
      [() => undefined, 'returned undefined, not a node name'],
      [() => 42, 'returned a number, not a node name'],
      [() => 'nowhere', 'routed to unknown node "nowhere"'],
    ] as const) {
      const result = await new WorkflowRunner(routed(route)).executeWorkflow({ userId: 'u' });
      expect(result.status).toBe('failed');
      expect(result.error).toMatchObject({ name: 'NodeExecutionError', node: 'start' });
      expect(result.error?.message).toContain(problem);
    }
  });
});

/** a → (left, right) → join, both writing `items` through `reducer`. */
function fanIn(reducer: (a: string[], b: string[]) => string[], runs: string[]) {
  return new WorkflowGraph<{ items?: string[] | null }>()
    .addNode('a', () => ({}))
    .addNode('left', () => {
      runs.push('left');
      return { items: ['l'] };
    })
    .addNode('right', () => {
      runs.push('right');
      return { items: ['r'] };
    })
    .addNode('join', () => ({ items: ['joined'] }))
    .addEdge('a', 'left')
    .addEdge('a', 'right')
    .addEdge(['left', 'right'], 'join')
    .addEdge('join', END)
    .setEntryPoint('a')
    .compile({ name: 'fan-in', reducers: { items: reducer } });
}

describe('reducers that fail', () => {
  it('a throwing reducer fails the run with ReducerError (key and nodes), recorded failed with the branches’ writes kept; a fixed deploy resumes without running them again', async () => {
    const checkpointer = new InMemoryCheckpointer();
    const runs: string[] = [];
    const broken = fanIn(() => {
      throw new Error('reducer boom');
    }, runs);
    const result = await new WorkflowRunner(broken, { checkpointer }).executeWorkflow({
      userId: 'u',
      state: { items: [] },
    });
    expect(result.status).toBe('failed');
    expect(ReducerError.isInstance(result.error)).toBe(true);
    expect(result.error).toMatchObject({ key: 'items', nodes: ['left', 'right'] });
    expect(result.error?.message).toBe(
      'The reducer of "items" failed merging the writes of left, right: reducer boom',
    );
    const last = await checkpointer.getLatest(result.runId);
    expect(last?.status).toBe('failed');
    expect(last?.next).toEqual(['left', 'right']);
    expect(last?.writes?.map((w) => w.node)).toEqual(['left', 'right']);

    const fixed = fanIn((a, b) => [...a, ...b], runs);
    const done = await new WorkflowRunner(fixed, { checkpointer }).resume(result.runId);
    expect(done.status).toBe('completed');
    expect(done.state.items).toEqual(['l', 'r', 'joined']);
    expect(runs).toEqual(['left', 'right']); // the branches ran once
  });

  it('a null initial value for a list reducer is a ReducerError; the stream reports a failure, not an abort', async () => {
    const workflow = fanIn((a, b) => [...a, ...b], []);
    const events: WorkflowEvent<object>[] = [];
    for await (const e of new WorkflowRunner(workflow).streamWorkflow({
      userId: 'u',
      state: { items: null },
    }))
      events.push(e);
    const types = events.map((e) => e.type);
    expect(types).toContain('error');
    expect(types).not.toContain('aborted');
    const last = events.at(-1);
    expect(last?.type).toBe('done');
    if (last?.type !== 'done') return;
    expect(last.result.status).toBe('failed');
    expect(last.result.error).toMatchObject({ name: 'ReducerError', key: 'items' });
  });
});

describe('failed runs can be continued', () => {
  /** A loop of `count` increments up to 10. */
  const loop = () =>
    new WorkflowGraph<{ count: number }>()
      .addNode('inc', (s) => ({ count: s.count + 1 }))
      .addConditionalEdges('inc', (s) => (s.count >= 10 ? END : 'inc'))
      .setEntryPoint('inc')
      .compile({ name: 'loop' });

  it('a run stopped by its step limit keeps where it stood; a resume with a higher limit continues it', async () => {
    const checkpointer = new InMemoryCheckpointer();
    const stopped = await new WorkflowRunner(loop(), { checkpointer, maxSteps: 5 }).executeWorkflow(
      { userId: 'u', state: { count: 0 } },
    );
    expect(stopped.status).toBe('failed');
    expect(StepLimitExceededError.isInstance(stopped.error)).toBe(true);
    expect(stopped.state.count).toBe(5);
    expect((await checkpointer.getLatest(stopped.runId))?.next).toEqual(['inc']);
    const done = await new WorkflowRunner(loop(), { checkpointer, maxSteps: 100 }).resume(
      stopped.runId,
    );
    expect(done.status).toBe('completed');
    expect(done.state.count).toBe(10);
    expect(done.state.stepCount).toBe(10);
  });

  it('resume of a run failed by a retryable error retries the failed node (its next attempt); the sibling branch is not run again', async () => {
    const checkpointer = new InMemoryCheckpointer();
    const seen: string[] = [];
    const workflow = new WorkflowGraph<{ a?: number; b?: number }>()
      .addNode('start', () => ({}))
      .addNode('a', () => {
        seen.push('a');
        return { a: 1 };
      })
      .addNode('b', (_s, _i, ctx) => {
        seen.push(`b@${ctx.attempt}`);
        if (ctx.attempt === 1)
          throw new ProviderError('overloaded', { provider: 'p', status: 503 });
        return { b: 2 };
      })
      .addNode('after', () => ({}))
      .addEdge('start', 'a')
      .addEdge('start', 'b')
      .addEdge('a', 'after')
      .addEdge('b', 'after')
      .addEdge('after', END)
      .setEntryPoint('start')
      .compile({ name: 'retry' });
    const runner = new WorkflowRunner(workflow, { checkpointer });
    const failed = await runner.executeWorkflow({ userId: 'u' });
    expect(failed.error).toMatchObject({ name: 'NodeExecutionError', node: 'b', retryable: true });
    expect((await checkpointer.getLatest(failed.runId))?.error).toMatchObject({
      node: 'b',
      retryable: true,
    });
    const done = await runner.resume(failed.runId);
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({ a: 1, b: 2 });
    expect(seen).toEqual(['a', 'b@1', 'b@2']);
    expect(done.state.errors).toMatchObject([{ node: 'b', retryable: true }]);
  });

  it('a run whose failure cannot be continued answers resume with its error: the node, the original error and its retryability', async () => {
    const checkpointer = new InMemoryCheckpointer();
    const workflow = new WorkflowGraph()
      .addNode('bad', () => 'not an update' as never)
      .addEdge('bad', END)
      .setEntryPoint('bad')
      .compile({ name: 'bad' });
    const runner = new WorkflowRunner(workflow, { checkpointer });
    const failed = await runner.executeWorkflow({ userId: 'u' });
    const again = await runner.resume(failed.runId);
    expect(again.status).toBe('failed');
    expect(again.error).toMatchObject({
      name: 'NodeExecutionError',
      node: 'bad',
      retryable: false,
    });
    expect((again.error?.cause as Error | undefined)?.name).toBe('StoredRunError');
    expect(again.error?.message).toBe(
      'Node "bad" failed: InvalidNodeUpdateError: Invalid nodes.bad: returned a string; a node returns an object of the state fields it changes, or nothing',
    );
  });
});
