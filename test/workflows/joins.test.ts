import {
  END,
  InMemoryCheckpointer,
  toMermaid,
  WorkflowGraph,
  WorkflowRunner,
  WorkflowValidationError,
} from 'arshai';
import { describe, expect, it } from 'vitest';
import { stores } from './stores.js';

type S = { notes?: string[]; approved?: unknown; facts?: string; seen?: unknown[] };
const append = { notes: (a: string[], b: string[]) => [...a, ...b] };

/** start fans out to a short branch (b) and a long one (a1 → a2); merge after both. */
function uneven(join: boolean) {
  const runs: string[] = [];
  const node = (name: string) => () => {
    runs.push(name);
    return { notes: [name] };
  };
  const graph = new WorkflowGraph<S>()
    .addNode('start', node('start'))
    .addNode('a1', node('a1'))
    .addNode('a2', node('a2'))
    .addNode('b', node('b'))
    .addNode('merge', (state) => {
      runs.push('merge');
      return { seen: [...(state.notes ?? [])] };
    })
    .addEdge('start', 'a1')
    .addEdge('start', 'b')
    .addEdge('a1', 'a2')
    .addEdge('merge', END)
    .setEntryPoint('start');
  if (join) graph.addEdge(['a2', 'b'], 'merge');
  else graph.addEdge('a2', 'merge').addEdge('b', 'merge');
  return { graph, runs };
}

describe('joins', () => {
  it('a join waits for branches of different lengths and runs once with every write', async () => {
    const { graph, runs } = uneven(true);
    const result = await new WorkflowRunner(graph.compile({ reducers: append })).executeWorkflow({
      userId: 'u',
    });
    expect(result.status).toBe('completed');
    expect(runs.filter((r) => r === 'merge')).toHaveLength(1);
    expect(result.state.seen).toEqual(['start', 'a1', 'b', 'a2']);
    expect(result.state.processingPath).toEqual(['start', 'a1', 'b', 'a2', 'merge']);
  });

  it('plain edges from both branches run the target once per arriving branch (the fan-out rule)', async () => {
    const { graph, runs } = uneven(false);
    await new WorkflowRunner(graph.compile({ reducers: append })).executeWorkflow({ userId: 'u' });
    expect(runs.filter((r) => r === 'merge')).toHaveLength(2);
  });

  it('joins the branches of a conditional fan-out, and fires again on every round of a loop', async () => {
    let merges = 0;
    const graph = new WorkflowGraph<{ round?: number; x?: number; y?: number }>()
      .addNode('fan', () => ({}))
      .addNode('x', (s) => ({ x: (s.x ?? 0) + 1 }))
      .addNode('y', async (s) => {
        await new Promise((r) => setTimeout(r, 5));
        return { y: (s.y ?? 0) + 1 };
      })
      .addNode('merge', (s) => {
        merges++;
        return { round: (s.round ?? 0) + 1 };
      })
      .addConditionalEdges('fan', () => ['x', 'y'], ['x', 'y'])
      .addEdge(['x', 'y'], 'merge')
      .addConditionalEdges('merge', (s) => ((s.round ?? 0) < 3 ? 'fan' : END), ['fan', END])
      .setEntryPoint('fan');
    const result = await new WorkflowRunner(graph.compile()).executeWorkflow({ userId: 'u' });
    expect(merges).toBe(3);
    expect(result.state).toMatchObject({ round: 3, x: 3, y: 3 });
  });

  it('compile() checks joins: unknown sources or targets, and sources the entry cannot reach', () => {
    const base = () =>
      new WorkflowGraph()
        .addNode('a', () => ({}))
        .addNode('b', () => ({}))
        .addNode('m', () => ({}))
        .addEdge('a', 'm')
        .addEdge('m', END)
        .setEntryPoint('a');
    const problems = (graph: WorkflowGraph) => {
      try {
        graph.compile();
      } catch (error) {
        if (WorkflowValidationError.isInstance(error)) return error.problems.join('\n');
        throw error;
      }
      return '';
    };
    // @ts-expect-error no node "ghost": the chained builder knows its nodes
    expect(problems(base().addEdge(['a', 'ghost'], 'm'))).toContain(
      'join [a, ghost] → "m" waits for unknown node "ghost"',
    );
    // @ts-expect-error no node "nowhere"
    expect(problems(base().addEdge(['a', 'b'], 'nowhere'))).toContain('goes into nothing');
    expect(problems(base().addEdge(['a', 'b'], 'm'))).toContain(
      'join [a, b] → "m" can never run: "b" cannot be reached',
    );
    expect(() => new WorkflowGraph().addEdge([], 'm')).toThrow(/non-empty list/);
    expect(() => new WorkflowGraph().addEdge(['a', 'a'], 'm')).toThrow(/twice/);
  });

  it('is drawn as thick "join" arrows', () => {
    const mermaid = toMermaid(uneven(true).graph);
    expect(mermaid).toContain('n_a2 == "join" ==> n_merge');
    expect(mermaid).toContain('n_b == "join" ==> n_merge');
  });
});

/** ask (interrupts for a human) and facts feed join; join counts its runs. */
function approval() {
  const runs = { facts: 0, join: 0, ask: 0 };
  const graph = new WorkflowGraph<S>()
    .addNode('start', () => ({}))
    .addNode('ask', (_s, _i, ctx) => {
      runs.ask++;
      return { approved: ctx.interrupt({ question: 'Approve?' }) };
    })
    .addNode('facts', () => {
      runs.facts++;
      return { facts: 'the order is late' };
    })
    .addNode('join', (state) => {
      runs.join++;
      return { seen: [state.approved, state.facts] };
    })
    .addEdge('start', 'ask')
    .addEdge('start', 'facts')
    .addEdge(['ask', 'facts'], 'join')
    .addEdge('join', END)
    .setEntryPoint('start');
  return { graph, runs };
}

describe.each(stores)('a parallel step is one unit when a branch interrupts (%s)', (_n, open) => {
  it('the join runs once, after the answer, with every branch write', async () => {
    const { checkpointer, reopen } = open();
    const { graph, runs } = approval();
    const workflow = graph.compile({ name: 'approval' });
    const paused = await new WorkflowRunner(workflow, { checkpointer }).executeWorkflow({
      userId: 'u',
    });
    expect(paused.status).toBe('interrupted');
    expect(paused.state.facts).toBeUndefined(); // facts' write waits with the step
    expect(runs).toEqual({ facts: 1, join: 0, ask: 1 });
    const stored = await checkpointer.getLatest(paused.runId);
    expect(stored?.writes).toEqual([{ node: 'facts', update: { facts: 'the order is late' } }]);

    // Resumed from a store opened anew (as another process would).
    const other = reopen();
    const done = await new WorkflowRunner(workflow, { checkpointer: other }).resume(paused.runId, {
      value: 'yes',
    });
    expect(done.status).toBe('completed');
    expect(done.state.seen).toEqual(['yes', 'the order is late']);
    expect(runs).toEqual({ facts: 1, join: 1, ask: 2 });
    expect(done.state.processingPath).toEqual(['start', 'ask', 'facts', 'join']);
    if (other !== checkpointer) await other.close();
    await checkpointer.close();
  });

  it('a join whose sources finish in different steps keeps its progress in the checkpoint', async () => {
    const { checkpointer } = open();
    const graph = new WorkflowGraph<S>()
      .addNode('start', () => ({}))
      .addNode('quick', () => ({ facts: 'quick' }))
      .addNode('slow1', () => ({}))
      .addNode('slow2', (_s, _i, ctx) => ({ approved: ctx.interrupt('ok?') }))
      .addNode('join', (s) => ({ seen: [s.facts, s.approved] }))
      .addEdge('start', 'quick')
      .addEdge('start', 'slow1')
      .addEdge('slow1', 'slow2')
      .addEdge(['quick', 'slow2'], 'join')
      .addEdge('join', END)
      .setEntryPoint('start');
    const runner = new WorkflowRunner(graph.compile(), { checkpointer });
    const paused = await runner.executeWorkflow({ userId: 'u' });
    expect((await checkpointer.getLatest(paused.runId))?.joins).toEqual({
      'quick&slow2>join': ['quick'],
    });
    const done = await runner.resume(paused.runId, { value: 'fine' });
    expect(done.state.seen).toEqual(['quick', 'fine']);
    expect((await checkpointer.getLatest(paused.runId))?.joins).toBeUndefined();
    await checkpointer.close();
  });
});

it('without an answer nothing after the step runs, even with no checkpointer at all', async () => {
  const { graph, runs } = approval();
  const result = await new WorkflowRunner(graph.compile()).executeWorkflow({ userId: 'u' });
  expect(result.status).toBe('interrupted');
  expect(runs.join).toBe(0);
  // The in-memory checkpointer needs no special path either.
  const runner = new WorkflowRunner(graph.compile(), { checkpointer: new InMemoryCheckpointer() });
  expect((await runner.executeWorkflow({ userId: 'u' })).state.facts).toBeUndefined();
});
