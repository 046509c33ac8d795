import { END, toMermaid, WorkflowGraph, WorkflowRunner } from 'arshai';
import { describe, expect, it } from 'vitest';
import { stores } from './stores.js';

type Review = { draft?: string; verdict?: unknown; checked?: boolean };

/** check → approve (asks a human): the innermost child. */
function approval(runs: string[]) {
  return new WorkflowGraph<Review>()
    .addNode('check', () => {
      runs.push('check');
      return { checked: true };
    })
    .addNode('approve', (state, _i, ctx) => {
      runs.push('approve');
      return { verdict: ctx.interrupt({ question: `Approve "${state.draft}"?` }) };
    })
    .addEdge('check', 'approve')
    .addEdge('approve', END)
    .setEntryPoint('check')
    .compile({ name: 'approval' });
}

/** prepare → approval (a child) → the middle workflow. */
function review(runs: string[]) {
  return new WorkflowGraph<Review>()
    .addNode('prepare', (state) => {
      runs.push('prepare');
      return { draft: `${state.draft} (prepared)` };
    })
    .addNode('approval', approval(runs), {
      input: (state) => ({ draft: state.draft }),
      output: (child) => ({ verdict: child.verdict }),
    })
    .addEdge('prepare', 'approval')
    .addEdge('approval', END)
    .setEntryPoint('prepare')
    .compile({ name: 'review' });
}

describe('subworkflows', () => {
  it('runs a child with input and output mapping; the default output lands in agentData', async () => {
    const child = new WorkflowGraph<{ n?: number }>()
      .addNode('double', (s) => ({ n: (s.n ?? 0) * 2 }))
      .addEdge('double', END)
      .setEntryPoint('double')
      .compile({ name: 'double' });
    const graph = new WorkflowGraph<{ n: number; twice?: number }>()
      .addNode('mapped', child, { input: (s) => ({ n: s.n }), output: (c) => ({ twice: c.n }) })
      .addNode('plain', child)
      .addEdge('mapped', 'plain')
      .addEdge('plain', END)
      .setEntryPoint('mapped');
    const result = await new WorkflowRunner(graph.compile()).executeWorkflow({
      userId: 'u',
      state: { n: 21 },
    });
    expect(result.state.twice).toBe(42);
    expect(result.state.agentData.plain).toMatchObject({ n: 0, agentData: {}, errors: [] });
    expect(result.state.processingPath).toEqual(['mapped', 'plain']);
  });

  it('a failing child fails its node (the error route applies), and the child starts afresh on retry', async () => {
    let tries = 0;
    const flaky = new WorkflowGraph()
      .addNode('call', () => {
        tries++;
        if (tries < 3) throw Object.assign(new Error('503'), { retryable: true });
        return { agentData: { ok: true } };
      })
      .addEdge('call', END)
      .setEntryPoint('call')
      .compile({ name: 'flaky' });
    const graph = new WorkflowGraph()
      .addNode('sub', flaky, {
        retry: { maxRetries: 3, initialDelayMs: 1, shouldRetry: () => true },
      })
      .addEdge('sub', END)
      .setEntryPoint('sub');
    const { checkpointer } = (stores[1] as (typeof stores)[number])[1]();
    const result = await new WorkflowRunner(graph.compile(), { checkpointer }).executeWorkflow({
      userId: 'u',
    });
    expect(result.status).toBe('completed');
    expect(tries).toBe(3);
    expect(result.state.agentData.sub).toMatchObject({ agentData: { ok: true } });
    await checkpointer.close();
  });

  it('is drawn as a Mermaid subgraph', () => {
    const graph = new WorkflowGraph<Review>()
      .addNode('review', review([]))
      .addEdge('review', END)
      .setEntryPoint('review');
    const mermaid = toMermaid(graph);
    expect(mermaid).toContain('subgraph n_review ["review (review)"]');
    expect(mermaid).toContain('n_review__prepare["prepare"]');
    expect(mermaid).toContain('subgraph n_review__approval ["approval (approval)"]');
    expect(mermaid).toContain('n_review__approval__check --> n_review__approval__approve');
  });
});

describe.each(stores)('durable subworkflows (%s)', (_name, open) => {
  it('an interrupt two levels down pauses the whole run; resume reaches the asking node', async () => {
    const { checkpointer, reopen } = open();
    const runs: string[] = [];
    const graph = new WorkflowGraph<Review>()
      .addNode('write', () => ({ draft: 'refund letter' }))
      .addNode('review', review(runs), {
        input: (s) => ({ draft: s.draft }),
        output: (c) => ({ verdict: c.verdict }),
      })
      .addNode('send', (s) => ({ agentData: { sent: s.verdict } }))
      .addEdge('write', 'review')
      .addEdge('review', 'send')
      .addEdge('send', END)
      .setEntryPoint('write');
    const workflow = graph.compile({ name: 'letters' });
    const paused = await new WorkflowRunner(workflow, { checkpointer }).executeWorkflow({
      userId: 'u',
      runId: `deep-${_name}`,
    });
    expect(paused.status).toBe('interrupted');
    expect(paused.interrupt).toEqual({
      node: 'review',
      payload: { question: 'Approve "refund letter (prepared)"?' },
    });
    // One run id, nested namespaces: the children's checkpoints live under the parent's id.
    const middle = await checkpointer.getLatest(`deep-${_name}/review.1`);
    const inner = await checkpointer.getLatest(`deep-${_name}/review.1/approval.1`);
    expect(middle?.status).toBe('interrupted');
    expect(inner?.interrupt?.node).toBe('approve');
    expect((await checkpointer.listRuns()).map((r) => r.runId)).toEqual([`deep-${_name}`]);

    const other = reopen(); // another process, after a restart
    const done = await new WorkflowRunner(workflow, { checkpointer: other }).resume(paused.runId, {
      value: 'approved',
    });
    expect(done.status).toBe('completed');
    expect(done.state.agentData.sent).toBe('approved');
    expect(runs).toEqual(['prepare', 'check', 'approve', 'approve']); // nothing else ran twice
    expect(await other.delete(paused.runId)).toBeGreaterThan(0);
    expect(await other.getLatest(`deep-${_name}/review.1/approval.1`)).toBeUndefined();
    if (other !== checkpointer) await other.close();
    await checkpointer.close();
  });

  it('two children interrupting at once in parallel branches are answered one after the other', async () => {
    const { checkpointer } = open();
    const runs: string[] = [];
    const graph = new WorkflowGraph<{ legal?: unknown; finance?: unknown; done?: unknown[] }>()
      .addNode('split', () => ({}))
      .addNode('legal', approval(runs), { output: (c) => ({ legal: c.verdict }) })
      .addNode('finance', approval(runs), { output: (c) => ({ finance: c.verdict }) })
      .addNode('merge', (s) => ({ done: [s.legal, s.finance] }))
      .addEdge('split', 'legal')
      .addEdge('split', 'finance')
      .addEdge(['legal', 'finance'], 'merge')
      .addEdge('merge', END)
      .setEntryPoint('split');
    const runner = new WorkflowRunner(graph.compile({ name: 'both' }), { checkpointer });
    const first = await runner.executeWorkflow({ userId: 'u' });
    expect(first.interrupt?.node).toBe('legal');
    const second = await runner.resume(first.runId, { value: 'legal: yes' });
    expect(second.interrupt?.node).toBe('finance');
    const done = await runner.resume(first.runId, { value: 'finance: yes' });
    expect(done.status).toBe('completed');
    expect(done.state.done).toEqual(['legal: yes', 'finance: yes']);
    expect(runs.filter((r) => r === 'check')).toHaveLength(2); // each child's check ran once
    await checkpointer.close();
  });

  it('an interrupt in a parallel branch of a child: the child’s other branch runs once', async () => {
    const { checkpointer, reopen } = open();
    let lookups = 0;
    const child = new WorkflowGraph<{ ok?: unknown; found?: string; both?: unknown[] }>()
      .addNode('split', () => ({}))
      .addNode('ask', (_s, _i, ctx) => ({ ok: ctx.interrupt('may I?') }))
      .addNode('lookup', () => {
        lookups++;
        return { found: 'record' };
      })
      .addNode('merge', (s) => ({ both: [s.ok, s.found] }))
      .addEdge('split', 'ask')
      .addEdge('split', 'lookup')
      .addEdge(['ask', 'lookup'], 'merge')
      .addEdge('merge', END)
      .setEntryPoint('split')
      .compile({ name: 'branchy' });
    const graph = new WorkflowGraph<{ both?: unknown[] }>()
      .addNode('sub', child, { output: (c) => ({ both: c.both }) })
      .addEdge('sub', END)
      .setEntryPoint('sub');
    const workflow = graph.compile({ name: 'outer-branchy' });
    const paused = await new WorkflowRunner(workflow, { checkpointer }).executeWorkflow({
      userId: 'u',
    });
    expect(paused.interrupt).toEqual({ node: 'sub', payload: 'may I?' });
    const store = reopen();
    const done = await new WorkflowRunner(workflow, { checkpointer: store }).resume(paused.runId, {
      value: 'yes',
    });
    expect(done.state.both).toEqual(['yes', 'record']);
    expect(lookups).toBe(1);
    if (store !== checkpointer) await store.close();
    await checkpointer.close();
  });

  it('a child asking twice gets each answer once, in order', async () => {
    const { checkpointer } = open();
    const twice = new WorkflowGraph<{ a?: unknown; b?: unknown }>()
      .addNode('first', (_s, _i, ctx) => ({ a: ctx.interrupt('first?') }))
      .addNode('second', (_s, _i, ctx) => ({ b: ctx.interrupt('second?') }))
      .addEdge('first', 'second')
      .addEdge('second', END)
      .setEntryPoint('first')
      .compile({ name: 'twice' });
    const graph = new WorkflowGraph<{ got?: unknown[] }>()
      .addNode('ask', twice, { output: (c) => ({ got: [c.a, c.b] }) })
      .addEdge('ask', END)
      .setEntryPoint('ask');
    const runner = new WorkflowRunner(graph.compile({ name: 'asks' }), { checkpointer });
    const one = await runner.executeWorkflow({ userId: 'u' });
    expect(one.interrupt?.payload).toBe('first?');
    const two = await runner.resume(one.runId, { value: 1 });
    expect(two.interrupt?.payload).toBe('second?');
    const done = await runner.resume(one.runId, { value: 2 });
    expect(done.state.got).toEqual([1, 2]);
    await checkpointer.close();
  });
});
