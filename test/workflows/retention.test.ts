import { type Checkpoint, END, RunConflictError, WorkflowGraph, WorkflowRunner } from 'arshai';
import { describe, expect, it } from 'vitest';
import { stores } from './stores.js';

/** n1 → n2 → ... → n5, or ending in an interrupt when `ask` is set. */
function chain(ask = false) {
  const graph = new WorkflowGraph();
  for (let i = 1; i <= 5; i++) {
    graph.addNode(`n${i}`, (_s, _i, ctx) =>
      ask && i === 5
        ? { agentData: { ok: ctx.interrupt('ok?') } }
        : { agentData: { [`n${i}`]: i } },
    );
    graph.addEdge(`n${i}`, i === 5 ? END : `n${i + 1}`);
  }
  return graph.setEntryPoint('n1').compile({ name: 'chain' });
}

describe.each(stores)('retention (%s)', (_name, open) => {
  it('a runner with retention keeps the newest checkpoints of finished runs; versions stay compare-and-set', async () => {
    const { checkpointer } = open();
    const runner = new WorkflowRunner(chain(), { checkpointer, retention: { keepLast: 2 } });
    const done = await runner.executeWorkflow({ userId: 'u' });
    const history = await checkpointer.history(done.runId);
    expect(history.map((c) => [c.version, c.status])).toEqual([
      [4, 'running'],
      [5, 'completed'],
    ]);
    // A late writer of a version the run had (pruned or not) is still refused.
    const late = { ...(history[0] as Checkpoint), version: 2 };
    await expect(checkpointer.put(late)).rejects.toSatisfy((e) => RunConflictError.isInstance(e));
    expect((await checkpointer.getLatest(done.runId))?.status).toBe('completed');

    // A run that can still go on keeps everything.
    const waiting = await new WorkflowRunner(chain(true), {
      checkpointer,
      retention: { keepLast: 1 },
    }).executeWorkflow({ userId: 'u' });
    expect(waiting.status).toBe('interrupted');
    // Over the whole store: only the finished run loses one more.
    expect(await checkpointer.prune?.({ keepLast: 1 })).toBe(1);
    expect((await checkpointer.history(waiting.runId)).length).toBe(6);
    await checkpointer.close();
  });

  it('prune({ maxAgeMs }) goes over every finished run; subworkflows’ runs are pruned with theirs', async () => {
    const { checkpointer } = open();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const now = () => {
      clock += 1000;
      return new Date(clock);
    };
    const outer = new WorkflowGraph()
      .addNode('sub', chain())
      .addEdge('sub', END)
      .setEntryPoint('sub')
      .compile({ name: 'outer' });
    const a = await new WorkflowRunner(chain(), { checkpointer, now }).executeWorkflow({
      userId: 'u',
    });
    const b = await new WorkflowRunner(outer, { checkpointer, now }).executeWorkflow({
      userId: 'u',
    });
    expect((await checkpointer.history(`${b.runId}/sub.0`)).length).toBe(6);
    const removed = await checkpointer.prune?.({ maxAgeMs: 0, now: new Date(clock + 1) });
    expect(removed).toBe(5 + 1 + 5); // a: 6 → 1, b: 2 → 1, b's child: 6 → 1
    for (const id of [a.runId, b.runId, `${b.runId}/sub.0`]) {
      const left = await checkpointer.history(id);
      expect(left.map((c) => c.status)).toEqual(['completed']);
    }
    expect(await checkpointer.prune?.({ maxAgeMs: 0 })).toBe(0);
    await expect(checkpointer.prune?.({ keepLast: 0 })).rejects.toThrow(/keepLast/);
    await checkpointer.close();
  });
});
