import {
  END,
  InvalidInputError,
  InvalidNodeUpdateError,
  NodeExecutionError,
  StateValidationError,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { stores } from './stores.js';

const Order = z.object({
  total: z.number(),
  items: z.array(z.string()).default([]),
  note: z.string().optional(),
});

/** One node that writes what `write` returns after a first good step. */
function orders(write: (state: { total: number }) => unknown) {
  return new WorkflowGraph({ state: Order })
    .addNode('price', (state) => ({ total: state.total + 1 }))
    .addNode('bad', (state) => write(state) as { total: number })
    .addEdge('price', 'bad')
    .addEdge('bad', END)
    .setEntryPoint('price')
    .compile({ name: 'orders' });
}

describe('typed state', () => {
  it('infers the state type from the schema and applies its defaults to the input', async () => {
    const workflow = orders((s) => ({ total: s.total * 2, items: ['pen'] }));
    const result = await new WorkflowRunner(workflow).executeWorkflow({
      userId: 'u',
      state: { total: 1 },
    });
    expectTypeOf(result.state.total).toEqualTypeOf<number>();
    expectTypeOf(result.state.items).toEqualTypeOf<string[]>();
    expect(result.state).toMatchObject({ total: 4, items: ['pen'] });
  });

  it('refuses a bad input state before anything runs, naming the field', async () => {
    const runner = new WorkflowRunner(orders(() => ({})));
    await expect(
      runner.executeWorkflow({ userId: 'u', state: { total: 'one' as unknown as number } }),
    ).rejects.toSatisfy((e) => InvalidInputError.isInstance(e) && e.field === 'state.total');
    await expect(
      runner.executeWorkflow({ userId: 'u', state: { total: 1, extra: 1 } as { total: number } }),
    ).rejects.toSatisfy((e) => InvalidInputError.isInstance(e) && e.field === 'state.extra');
    // @ts-expect-error `total` has no default: the type requires it, and so does the run
    await expect(runner.executeWorkflow({ userId: 'u' })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'state.total',
    );
  });

  it('node returning a non-object, or writing an engine field, fails with the node named', async () => {
    for (const [write, problem] of [
      [() => 'a string', /returned a string/],
      [() => ['a'], /returned an array/],
      [() => ({ processingPath: [] }), /processingPath/],
      [() => ({ userContext: {} }), /userContext/],
    ] as const) {
      const result = await new WorkflowRunner(orders(write)).executeWorkflow({
        userId: 'u',
        state: { total: 1 },
      });
      expect(result.status).toBe('failed');
      expect(NodeExecutionError.isInstance(result.error)).toBe(true);
      const cause = (result.error as Error).cause;
      expect(InvalidNodeUpdateError.isInstance(cause) && cause.node).toBe('bad');
      expect((cause as Error).message).toMatch(problem);
    }
  });
});

describe.each(stores)('typed state with the %s checkpointer', (_name, open) => {
  it('a wrong type or an unknown key fails the run naming node and field; nothing of the step is stored', async () => {
    for (const [write, field, message] of [
      [(s: { total: number }) => ({ total: `${s.total}` }), 'total', /expected number/],
      [() => ({ discount: 5 }), 'discount', /state schema does not have/],
      [() => ({ items: [1] }), 'items.0', /expected string/],
    ] as const) {
      const { checkpointer } = open();
      const runner = new WorkflowRunner(orders(write), { checkpointer });
      const result = await runner.executeWorkflow({ userId: 'u', state: { total: 1 } });
      expect(result.status).toBe('failed');
      const error = result.error;
      expect(StateValidationError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ node: 'bad', field });
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain('"2"'); // the value is not in the message
      const last = await checkpointer.getLatest(result.runId);
      expect(last?.status).toBe('failed');
      // The state before the bad step: price's write, nothing of bad's.
      expect(last?.state).toMatchObject({ total: 2, processingPath: ['price'] });
      expect(last?.state).not.toHaveProperty('discount');
      await checkpointer.close();
    }
  });

  it('resuming a run stored under an older schema: a typed error, or migrate() mends it', async () => {
    const { checkpointer, reopen } = open();
    const v1 = new WorkflowGraph({ state: z.object({ amount: z.string() }) })
      .addNode('ask', (_s, _i, ctx) => ({ amount: String(ctx.interrupt('ok?')) }))
      .addEdge('ask', END)
      .setEntryPoint('ask')
      .compile({ name: 'refund' });
    const paused = await new WorkflowRunner(v1, { checkpointer }).executeWorkflow({
      userId: 'u',
      state: { amount: '12.50' },
    });
    expect(paused.status).toBe('interrupted');

    const V2 = z.object({ cents: z.number().int() });
    const build = (migrate?: (old: Record<string, unknown>) => { cents: number }) =>
      new WorkflowGraph({ state: V2, ...(migrate ? { migrate } : {}) })
        .addNode('ask', (s, _i, ctx) => ({ cents: s.cents + Number(ctx.interrupt('ok?')) }))
        .addEdge('ask', END)
        .setEntryPoint('ask')
        .compile({ name: 'refund' });
    const store = reopen();
    const refused = await new WorkflowRunner(build(), { checkpointer: store })
      .resume(paused.runId, { value: 1 })
      .catch((e: unknown) => e);
    expect(StateValidationError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ field: 'cents', node: undefined });
    expect((refused as Error).message).toMatch(/no migrate\(\)/);
    expect((await store.getLatest(paused.runId))?.status).toBe('interrupted'); // nothing claimed

    const migrated = build((old) => ({ cents: Math.round(Number(old.amount) * 100) }));
    const done = await new WorkflowRunner(migrated, { checkpointer: store }).resume(paused.runId, {
      value: 1,
    });
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({ cents: 1251 });
    if (store !== checkpointer) await store.close();
    await checkpointer.close();
  });
});
