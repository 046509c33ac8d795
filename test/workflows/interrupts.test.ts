import {
  END,
  InMemoryCheckpointer,
  InvalidInputError,
  RunConflictError,
  TimeoutError,
  WorkflowGraph,
  WorkflowRunError,
  WorkflowRunner,
} from 'arshai';
import { describe, expect, it } from 'vitest';

type Answers = { first?: unknown; second?: unknown };

/** propose → approve (asks up to two questions) → finalize (counts its runs). */
function refundFlow(options: { slowAfterAnswer?: boolean } = {}) {
  const calls = { approve: 0, finalize: 0 };
  const graph = new WorkflowGraph<Answers>()
    .addNode('propose', () => ({ agentData: { amount: 900 } }))
    .addNode('approve', async (state, _input, ctx) => {
      calls.approve++;
      const first = ctx.interrupt({ question: 'Approve?', amount: state.agentData.amount });
      if (options.slowAfterAnswer) await new Promise((r) => setTimeout(r, 100));
      const second = ctx.interrupt({ question: 'Over 500: are you sure?' });
      return { first, second };
    })
    .addNode('finalize', () => {
      calls.finalize++;
      return { agentData: { done: true } };
    })
    .addEdge('propose', 'approve')
    .addEdge('approve', 'finalize')
    .addEdge('finalize', END)
    .setEntryPoint('propose');
  return { graph, calls };
}

describe('human in the loop', () => {
  it('a node asking twice gets each answer in order; answers are persisted until it finishes', async () => {
    const { graph, calls } = refundFlow();
    const checkpointer = new InMemoryCheckpointer();
    const runner = new WorkflowRunner(graph.compile(), { checkpointer });
    const paused = await runner.executeWorkflow({ userId: 'u' });
    expect(paused.interrupt).toEqual({
      node: 'approve',
      payload: { question: 'Approve?', amount: 900 },
    });
    const again = await runner.resume(paused.runId, { value: 'yes' });
    expect(again).toMatchObject({
      status: 'interrupted',
      interrupt: { node: 'approve', payload: { question: 'Over 500: are you sure?' } },
    });
    expect((await checkpointer.getLatest(paused.runId))?.answers).toEqual({
      node: 'approve',
      values: ['yes'],
    });
    const done = await runner.resume(paused.runId, { value: 'sure' });
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({ first: 'yes', second: 'sure', agentData: { done: true } });
    expect(done.state.processingPath).toEqual(['propose', 'approve', 'finalize']);
    expect(calls).toEqual({ approve: 3, finalize: 1 });
    const history = await checkpointer.history(paused.runId);
    expect(history.map((c) => [c.version, c.status])).toEqual([
      [0, 'running'],
      [1, 'running'],
      [2, 'interrupted'],
      [3, 'running'], // the claim of the first resume
      [4, 'interrupted'],
      [5, 'running'], // the claim of the second
      [6, 'running'],
      [7, 'completed'],
    ]);
    expect(history.at(-1)?.answers).toBeUndefined();
  });

  it('interrupt(undefined) pauses too, and so does an interrupt the node catches', async () => {
    const graph = new WorkflowGraph<{ got?: unknown }>()
      .addNode(
        'ask',
        (_s, _i, ctx) => {
          try {
            return { got: ctx.interrupt(undefined) };
          } catch {
            return { got: 'swallowed' };
          }
        },
        { retry: { maxRetries: 3, initialDelayMs: 1, shouldRetry: () => true } },
      )
      .addEdge('ask', END)
      .setEntryPoint('ask');
    const runner = new WorkflowRunner(graph.compile(), {
      checkpointer: new InMemoryCheckpointer(),
    });
    const paused = await runner.executeWorkflow({ userId: 'u' });
    expect(paused).toMatchObject({ status: 'interrupted', interrupt: { node: 'ask' } });
    expect(paused.interrupt && 'payload' in paused.interrupt).toBe(true);
    expect(paused.state.stepCount).toBe(0);
    const done = await runner.resume(paused.runId, { value: undefined });
    expect(done.state.got).toBeUndefined();
    expect(done.status).toBe('completed');
  });

  it('refuses a resume without an answer, a resume by another workflow, and reports stopped runs', async () => {
    const { graph } = refundFlow();
    const checkpointer = new InMemoryCheckpointer();
    const runner = new WorkflowRunner(graph.compile({ name: 'refund' }), { checkpointer });
    const paused = await runner.executeWorkflow({ userId: 'u' });
    const stored = (await checkpointer.history(paused.runId)).length;
    await expect(runner.resume(paused.runId)).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'value',
    );
    const other = new WorkflowRunner(graph.compile({ name: 'other' }), { checkpointer });
    await expect(other.resume(paused.runId, { value: 'yes' })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'runId',
    );
    expect(await checkpointer.history(paused.runId)).toHaveLength(stored);
    await expect(runner.executeWorkflow({ userId: 'u', runId: paused.runId })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'runId',
    );

    let booms = 0;
    const failing = new WorkflowRunner(
      new WorkflowGraph()
        .addNode('boom', () => {
          booms++;
          throw new Error('down');
        })
        .addEdge('boom', END)
        .setEntryPoint('boom')
        .compile(),
      { checkpointer },
    );
    const failed = await failing.executeWorkflow({ userId: 'u' });
    // Resuming a failed run retries the node that failed.
    const again = await failing.resume(failed.runId);
    expect(again.status).toBe('failed');
    expect(WorkflowRunError.isInstance(again.error)).toBe(true);
    expect(again.error).toMatchObject({ name: 'NodeExecutionError', node: 'boom' });
    expect(again.error?.message).toBe('Node "boom" failed: down');
    expect(booms).toBe(2);
  });

  it('two resumes of one interrupted run: one continues, the other gets RunConflictError and runs nothing', async () => {
    const { graph, calls } = refundFlow();
    const checkpointer = new InMemoryCheckpointer();
    const runner = new WorkflowRunner(graph.compile(), { checkpointer });
    const paused = await runner.executeWorkflow({ userId: 'u' });
    const twice = await Promise.allSettled([
      runner.resume(paused.runId, { value: 'yes' }),
      new WorkflowRunner(graph.compile(), { checkpointer }).resume(paused.runId, { value: 'no' }),
    ]);
    expect(twice.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = twice.find((r) => r.status === 'rejected');
    expect(RunConflictError.isInstance(lost?.reason)).toBe(true);
    expect(calls.approve).toBe(2); // once to ask, once by the winner
  });

  it('an answer given to a resume that then stopped is kept: the next resume needs none', async () => {
    const { graph, calls } = refundFlow({ slowAfterAnswer: true });
    const checkpointer = new InMemoryCheckpointer();
    const runner = new WorkflowRunner(graph.compile(), { checkpointer });
    const paused = await runner.executeWorkflow({ userId: 'u' });
    await expect(runner.resume(paused.runId, { value: 'yes', timeoutMs: 50 })).rejects.toSatisfy(
      (e: unknown) => TimeoutError.isInstance(e),
    );
    // The caller's time limit stopped it: recorded as timed out, the answer kept.
    expect(await checkpointer.getLatest(paused.runId)).toMatchObject({
      status: 'timed-out',
      answers: { node: 'approve', values: ['yes'] },
      error: { name: 'TimeoutError' },
    });
    const next = await runner.resume(paused.runId);
    expect(next.interrupt?.payload).toEqual({ question: 'Over 500: are you sure?' });
    const done = await runner.resume(paused.runId, { value: 'sure' });
    expect(done.state).toMatchObject({ first: 'yes', second: 'sure' });
    expect(calls.finalize).toBe(1);
  });

  it('parallel branches that both ask are answered one after the other; a quiet sibling waits as a pending write', async () => {
    const runs = { notify: 0, after: 0 };
    const graph = new WorkflowGraph<{ legal?: unknown; finance?: unknown }>()
      .addNode('split', () => ({}))
      .addNode('legal', (_s, _i, ctx) => ({ legal: ctx.interrupt('legal ok?') }))
      .addNode('finance', (_s, _i, ctx) => ({ finance: ctx.interrupt('finance ok?') }))
      .addNode('notify', () => {
        runs.notify++;
        return { agentData: { notified: true } };
      })
      .addNode('after', () => {
        runs.after++;
        return { agentData: { after: true } };
      })
      .addConditionalEdges('split', () => ['legal', 'finance', 'notify'])
      .addEdge('legal', END)
      .addEdge('finance', END)
      .addEdge('notify', 'after')
      .addEdge('after', END)
      .setEntryPoint('split');
    const runner = new WorkflowRunner(graph.compile(), {
      checkpointer: new InMemoryCheckpointer(),
    });
    const first = await runner.executeWorkflow({ userId: 'u' });
    expect(first.interrupt).toEqual({ node: 'legal', payload: 'legal ok?' });
    // The step is one unit: notify's write waits with it, and nothing after it runs yet.
    expect(first.state.agentData).toEqual({});
    expect(runs).toEqual({ notify: 1, after: 0 });
    const second = await runner.resume(first.runId, { value: 'legal: yes' });
    expect(second.interrupt).toEqual({ node: 'finance', payload: 'finance ok?' });
    expect(second.state.agentData).toEqual({});
    const done = await runner.resume(first.runId, { value: 'finance: yes' });
    expect(done.state).toMatchObject({ legal: 'legal: yes', finance: 'finance: yes' });
    expect(done.state.agentData).toEqual({ notified: true, after: true });
    expect(runs).toEqual({ notify: 1, after: 1 });
    expect([...done.state.processingPath].sort()).toEqual(
      ['after', 'finance', 'legal', 'notify', 'split'].sort(),
    );
  });

  it('a run time limit stops the run with a TimeoutError; it resumes from its last checkpoint', async () => {
    let slowRuns = 0;
    const graph = new WorkflowGraph()
      .addNode('fast', () => ({ agentData: { fast: true } }))
      .addNode('slow', async (_s, _i, ctx) => {
        slowRuns++;
        if (slowRuns === 1) await new Promise((r) => ctx.signal.addEventListener('abort', r));
        return { agentData: { slow: true } };
      })
      .addEdge('fast', 'slow')
      .addEdge('slow', END)
      .setEntryPoint('fast');
    const checkpointer = new InMemoryCheckpointer();
    const runner = new WorkflowRunner(graph.compile(), { checkpointer });
    const run = runner.executeWorkflow({ userId: 'u', runId: 'timed', timeoutMs: 30 });
    await expect(run).rejects.toSatisfy((e: unknown) => TimeoutError.isInstance(e));
    expect((await checkpointer.getLatest('timed'))?.next).toEqual(['slow']);
    const done = await runner.resume('timed');
    expect(done.state.agentData).toEqual({ fast: true, slow: true });
    await expect(runner.executeWorkflow({ userId: 'u', timeoutMs: -1 })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'timeoutMs',
    );
  });
});
