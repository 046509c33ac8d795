import {
  type Checkpoint,
  CheckpointError,
  END,
  InMemoryCheckpointer,
  InvalidInputError,
  NodeExecutionError,
  type NodeOptions,
  StateConflictError,
  type WorkflowEvent,
  WorkflowGraph,
  type WorkflowNode,
  WorkflowRunner,
  WorkflowValidationError,
} from 'arshai';
import { describe, expect, it } from 'vitest';

const fanOut = <S extends object>(
  graph: WorkflowGraph<S>,
  branches: Record<string, WorkflowNode<S>>,
) => {
  graph.addNode('start', () => ({}));
  for (const [name, node] of Object.entries(branches)) graph.addNode(name, node).addEdge(name, END);
  return graph
    .addConditionalEdges('start', () => Object.keys(branches), Object.keys(branches))
    .setEntryPoint('start');
};

describe('merging parallel branches', () => {
  it('two branches writing one agentData entry conflict; different entries merge', async () => {
    const clash = fanOut(new WorkflowGraph(), {
      a: () => ({ agentData: { summary: 'from a', a: 1 } }),
      b: () => ({ agentData: { summary: 'from b', b: 2 } }),
    }).compile();
    const result = await new WorkflowRunner(clash).executeWorkflow({ userId: 'u' });
    expect(result.status).toBe('failed');
    expect(StateConflictError.isInstance(result.error)).toBe(true);
    expect(result.error).toMatchObject({ key: 'agentData.summary', nodes: ['a', 'b'] });

    const apart = fanOut(new WorkflowGraph(), {
      a: () => ({ agentData: { a: 1 }, workingMemories: { a: 'x' } }),
      b: () => ({ agentData: { b: 2 }, workingMemories: { b: 'y' } }),
    }).compile();
    const merged = await new WorkflowRunner(apart).executeWorkflow({ userId: 'u' });
    expect(merged.state.agentData).toEqual({ a: 1, b: 2 });
    expect(merged.state.workingMemories).toEqual({ a: 'x', b: 'y' });

    // Your own reducer for agentData decides instead.
    const mine = fanOut(new WorkflowGraph(), {
      a: () => ({ agentData: { votes: ['a'] } }),
      b: () => ({ agentData: { votes: ['b'] } }),
    }).compile({
      reducers: {
        agentData: (x, y) => ({
          votes: [...((x.votes as string[]) ?? []), ...((y.votes as string[]) ?? [])],
        }),
      },
    });
    const voted = await new WorkflowRunner(mine).executeWorkflow({ userId: 'u' });
    expect(voted.state.agentData.votes).toEqual(['a', 'b']);
  });

  it('reducers are typed per key, and run in sequential steps too', async () => {
    const graph = new WorkflowGraph<{ items: string[]; total: number }>()
      .addNode('one', () => ({ items: ['one'], total: 1 }))
      .addNode('two', () => ({ items: ['two'], total: 2 }))
      .addEdge('one', 'two')
      .addEdge('two', END)
      .setEntryPoint('one');
    const workflow = graph.compile({
      reducers: { items: (a, b) => [...a, ...b], total: (a, b) => a + b },
    });
    const { state } = await new WorkflowRunner(workflow).executeWorkflow({
      userId: 'u',
      state: { items: ['start'], total: 10 },
    });
    expect(state.items).toEqual(['start', 'one', 'two']);
    expect(state.total).toBe(13);
  });

  it('runs branches concurrently (node events overlap) and reports a failing branch with its sibling kept', async () => {
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const graph = fanOut(new WorkflowGraph(), {
      ok: async () => {
        await wait(20);
        return { agentData: { ok: true } };
      },
      broken: async () => {
        await wait(20);
        throw new Error('branch down');
      },
    });
    const events: WorkflowEvent[] = [];
    for await (const e of new WorkflowRunner(graph.compile()).streamWorkflow({ userId: 'u' }))
      events.push(e);
    const order = events
      .filter((e) => e.type.startsWith('node-') && 'node' in e && e.node !== 'start')
      .map((e) => `${e.type}:${'node' in e ? e.node : ''}`);
    expect(order.slice(0, 2).sort()).toEqual(['node-start:broken', 'node-start:ok']);
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('expected done');
    expect(done.result.status).toBe('failed');
    expect(NodeExecutionError.isInstance(done.result.error)).toBe(true);
    expect(done.result.error).toMatchObject({ node: 'broken' });
    expect(done.result.state.agentData).toEqual({ ok: true });
    expect(done.result.state.errors).toMatchObject([{ node: 'broken', message: 'branch down' }]);
    expect(events.some((e) => e.type === 'error')).toBe(true);
  });
});

describe('a compiled workflow does not change', () => {
  it('ignores later changes to node options and path maps given to the builder', async () => {
    const options: NodeOptions = { onError: 'recover' };
    const paths: Record<string, 'work' | 'elsewhere'> = { go: 'work', other: 'elsewhere' };
    const graph = new WorkflowGraph()
      .addNode('route', () => ({}))
      .addNode(
        'work',
        () => {
          throw new Error('x');
        },
        options,
      )
      .addNode('recover', () => ({ agentData: { recovered: true } }))
      .addNode('elsewhere', () => ({}))
      .addConditionalEdges('route', () => 'go', paths)
      .addEdge('work', END)
      .addEdge('recover', END)
      .addEdge('elsewhere', END)
      .setEntryPoint('route');
    const workflow = graph.compile();
    options.onError = 'elsewhere';
    paths.go = 'elsewhere';
    const { state } = await new WorkflowRunner(workflow).executeWorkflow({ userId: 'u' });
    expect(state.processingPath).toEqual(['route', 'work', 'recover']);
    expect(Object.isFrozen(workflow.nodes.get('work')?.options)).toBe(true);
  });

  it('checks node options, reducers, route results and runner options', async () => {
    const bad = (fn: () => unknown, field: string) => {
      expect(fn).toThrow(expect.objectContaining({ field }));
    };
    bad(() => new WorkflowGraph().addNode('a', () => ({}), { timeoutMs: 0 }), 'nodes.a.timeoutMs');
    bad(
      () => new WorkflowGraph().addNode('a', () => ({}), { retry: { maxRetries: -1 } }),
      'nodes.a.retry.maxRetries',
    );
    bad(() => new WorkflowGraph().addNode('a b', () => ({})), 'name');
    const graph = new WorkflowGraph<{ n?: number }>()
      .addNode('a', () => ({}))
      .addConditionalEdges('a', () => 'ghost')
      .setEntryPoint('a');
    const error = (() => {
      try {
        graph.compile({ reducers: { n: 'sum' as never } });
      } catch (e) {
        return e;
      }
    })();
    expect(WorkflowValidationError.isInstance(error)).toBe(true);
    expect((error as WorkflowValidationError).problems).toEqual([
      'reducer of "n" is not a function',
    ]);
    const routed = await new WorkflowRunner(graph.compile()).executeWorkflow({ userId: 'u' });
    expect(routed.error).toMatchObject({ name: 'NodeExecutionError', node: 'a' });
    expect(routed.error?.message).toContain('routed to unknown node "ghost"');
    bad(() => new WorkflowRunner(graph.compile(), { maxSteps: 0 }), 'maxSteps');
    const runner = new WorkflowRunner(graph.compile());
    for (const [input, field] of [
      [{ userId: '' }, 'userId'],
      [{ userId: 'u', runId: '' }, 'runId'],
      [{ userId: 'u', state: ['x'] }, 'state'],
      [{ userId: 'u', interactionCount: -1 }, 'interactionCount'],
    ] as const) {
      await expect(runner.executeWorkflow(input as never)).rejects.toSatisfy(
        (e) => InvalidInputError.isInstance(e) && e.field === field,
      );
    }
  });
});

describe('checkpoint failures', () => {
  it('a failed write stops the run with CheckpointError; it resumes from the last written checkpoint', async () => {
    class Flaky extends InMemoryCheckpointer {
      failAt = 2;
      override async put(c: Checkpoint): Promise<void> {
        if (c.version === this.failAt) {
          this.failAt = -1;
          throw new Error('disk full');
        }
        return super.put(c);
      }
    }
    const checkpointer = new Flaky();
    const runs: string[] = [];
    const node = (name: string, value: number) => () => {
      runs.push(name);
      return { agentData: { [name]: value } };
    };
    const graph = new WorkflowGraph()
      .addNode('a', node('a', 1))
      .addNode('b', node('b', 2))
      .addNode('c', node('c', 3))
      .addEdge('a', 'b')
      .addEdge('b', 'c')
      .addEdge('c', END)
      .setEntryPoint('a');
    const runner = new WorkflowRunner(graph.compile(), { checkpointer });
    const error = await runner.executeWorkflow({ userId: 'u', runId: 'flaky' }).catch((e) => e);
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ runId: 'flaky', step: 2, retryable: true });
    const done = await runner.resume('flaky');
    expect(done.state.agentData).toEqual({ a: 1, b: 2, c: 3 });
    expect(runs).toEqual(['a', 'b', 'b', 'c']);

    const notJson = new WorkflowGraph()
      .addNode('big', () => ({ agentData: { big: 1n } }))
      .addEdge('big', END)
      .setEntryPoint('big');
    const refused = await new WorkflowRunner(notJson.compile(), {
      checkpointer: new InMemoryCheckpointer(),
    })
      .executeWorkflow({ userId: 'u' })
      .catch((e) => e);
    expect(CheckpointError.isInstance(refused)).toBe(true);
    expect(refused.retryable).toBe(false);
    expect(InvalidInputError.isInstance(refused.cause)).toBe(true);
  });
});
