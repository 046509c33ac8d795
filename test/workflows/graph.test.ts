import {
  AbortError,
  AgentNode,
  END,
  InMemoryCheckpointer,
  NodeExecutionError,
  StateConflictError,
  StepLimitExceededError,
  type WorkflowEvent,
  WorkflowGraph,
  WorkflowRunner,
  WorkflowValidationError,
} from 'arshai';
import { MockAgent } from 'arshai/testing';
import { describe, expect, it } from 'vitest';

describe('WorkflowGraph.compile', () => {
  it('lists every problem in one typed error', () => {
    const graph = new WorkflowGraph()
      .addNode('a', () => ({}))
      .addNode('b', () => ({}))
      .addNode('orphan', () => ({}))
      .addEdge('a', 'b')
      // @ts-expect-error no node "nowhere": the chained builder knows its nodes
      .addEdge('b', 'nowhere')
      // @ts-expect-error no node "ghost"
      .addEdge('ghost', 'a')
      // @ts-expect-error no node "missing"
      .addConditionalEdges('a', () => END, ['b', 'missing'])
      .addEdge('orphan', END);
    const error = (() => {
      try {
        graph.compile();
      } catch (e) {
        return e;
      }
    })();
    expect(WorkflowValidationError.isInstance(error)).toBe(true);
    expect((error as WorkflowValidationError).problems).toEqual([
      'no entry point: call setEntryPoint(name)',
      'edge "b" → "nowhere" goes into nothing',
      'edge from unknown node "ghost"',
      'conditional edge "a" → "missing" goes into nothing',
    ]);
    graph.setEntryPoint('a');
    const second = (() => {
      try {
        graph.compile();
      } catch (e) {
        return e as WorkflowValidationError;
      }
    })();
    expect(second?.problems).toContain('node "orphan" is unreachable from the entry point');
  });

  it('is immutable once compiled', () => {
    const graph = new WorkflowGraph()
      .addNode('a', () => ({}))
      .addEdge('a', END)
      .setEntryPoint('a');
    const compiled = graph.compile();
    graph.addNode('b', () => ({}));
    expect([...compiled.nodes.keys()]).toEqual(['a']);
    expect(Object.isFrozen(compiled)).toBe(true);
  });
});

describe('running workflows', () => {
  it('runs a basic three-node flow and keeps the SPEC state', async () => {
    const graph = new WorkflowGraph<{ draft?: string }>()
      .addNode('research', (s) => ({ agentData: { research: `facts about ${s.input}` } }))
      .addNode('write', (s) => ({ draft: `Draft using ${s.agentData.research}` }))
      .addNode('review', (s) => ({ draft: `${s.draft} (reviewed)` }))
      .addEdge('research', 'write')
      .addEdge('write', 'review')
      .addEdge('review', END)
      .setEntryPoint('research');
    const result = await new WorkflowRunner(graph.compile()).executeWorkflow({
      userId: 'u1',
      inputData: 'tea',
    });
    expect(result.status).toBe('completed');
    expect(result.state).toMatchObject({
      draft: 'Draft using facts about tea (reviewed)',
      currentStep: 'review',
      stepCount: 3,
      processingPath: ['research', 'write', 'review'],
      userContext: { userId: 'u1', interactionCount: 1 },
      errors: [],
      input: 'tea',
    });
  });

  it('routes on agentData.complexity', async () => {
    const graph = new WorkflowGraph()
      .addNode('assess', (s) => ({
        agentData: { complexity: String(s.input).length > 20 ? 'complex' : 'simple' },
      }))
      .addNode('quick', () => ({ agentData: { answer: 'quick answer' } }))
      .addNode('expert', () => ({ agentData: { answer: 'expert answer' } }))
      .addConditionalEdges('assess', (s) => String(s.agentData.complexity), {
        simple: 'quick',
        complex: 'expert',
      })
      .addEdge('quick', END)
      .addEdge('expert', END)
      .setEntryPoint('assess');
    const runner = new WorkflowRunner(graph.compile());
    expect(
      (await runner.executeWorkflow({ userId: 'u', inputData: 'hi' })).state.agentData.answer,
    ).toBe('quick answer');
    const long = await runner.executeWorkflow({
      userId: 'u',
      inputData: 'a much longer and harder question',
    });
    expect(long.state.processingPath).toEqual(['assess', 'expert']);
  });

  it('fans out to parallel branches, merging through reducers, and rejects unreduced conflicts', async () => {
    const spans: Record<string, [number, number]> = {};
    const branch = (name: string) => async () => {
      const start = performance.now();
      await new Promise((r) => setTimeout(r, 50));
      spans[name] = [start, performance.now()];
      return { findings: [name], agentData: { [name]: 'done' } };
    };
    const build = () =>
      new WorkflowGraph<{ findings: string[] }>()
        .addNode('start', () => ({}))
        .addNode('web', branch('web'))
        .addNode('docs', branch('docs'))
        .addNode('merge', (s) => ({ agentData: { summary: s.findings.join('+') } }))
        .addConditionalEdges('start', () => ['web', 'docs'], ['web', 'docs'])
        .addEdge('web', 'merge')
        .addEdge('docs', 'merge')
        .addEdge('merge', END)
        .setEntryPoint('start');
    const reduced = build().compile({
      reducers: { findings: (a, b) => [...(a as string[]), ...(b as string[])] },
    });
    const result = await new WorkflowRunner(reduced).executeWorkflow({
      userId: 'u',
      state: { findings: [] },
    });
    expect(result.state.findings).toEqual(['web', 'docs']);
    expect(result.state.agentData).toMatchObject({
      web: 'done',
      docs: 'done',
      summary: 'web+docs',
    });
    expect(result.state.processingPath).toEqual(['start', 'web', 'docs', 'merge']); // merge ran once
    const [w, d] = [spans.web ?? [0, 0], spans.docs ?? [0, 0]] as [
      [number, number],
      [number, number],
    ];
    expect(Math.max(w[0], d[0])).toBeLessThan(Math.min(w[1], d[1]));

    const conflict = await new WorkflowRunner(build().compile()).executeWorkflow({
      userId: 'u',
      state: { findings: [] },
    });
    expect(conflict.status).toBe('failed');
    expect(StateConflictError.isInstance(conflict.error)).toBe(true);
    expect(conflict.error).toMatchObject({ key: 'findings', nodes: ['web', 'docs'] });
  });

  it('ends runaway cycles at the step limit with a typed error', async () => {
    const graph = new WorkflowGraph()
      .addNode('loop', () => ({}))
      .addConditionalEdges('loop', () => 'loop', ['loop', END])
      .setEntryPoint('loop');
    const result = await new WorkflowRunner(graph.compile(), { maxSteps: 25 }).executeWorkflow({
      userId: 'u',
    });
    expect(result.status).toBe('failed');
    expect(StepLimitExceededError.isInstance(result.error)).toBe(true);
    expect(result.state.stepCount).toBe(25);
  });

  it('records node errors, follows the error route to recovery, times out and retries nodes', async () => {
    let attempts = 0;
    const graph = new WorkflowGraph()
      .addNode(
        'flaky',
        () => {
          attempts++;
          if (attempts < 3) throw Object.assign(new Error('transient'), { retryable: true });
          return { agentData: { flaky: 'ok' } };
        },
        { retry: { maxRetries: 3, initialDelayMs: 1 } },
      )
      .addNode(
        'slow',
        (_s, _i, ctx) =>
          new Promise((_r, reject) =>
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
          ),
        {
          timeoutMs: 20,
          onError: 'recover',
        },
      )
      .addNode('recover', (s) => ({
        agentData: { recovered: s.errors.map((e) => `${e.node}:${e.name}`) },
      }))
      .addEdge('flaky', 'slow')
      .addEdge('slow', END)
      .addEdge('recover', END)
      .setEntryPoint('flaky');
    const result = await new WorkflowRunner(graph.compile()).executeWorkflow({ userId: 'u' });
    expect(result.status).toBe('completed');
    expect(attempts).toBe(3);
    expect(result.state.agentData.recovered).toEqual(['slow:TimeoutError']);
    expect(result.state.processingPath).toEqual(['flaky', 'slow', 'recover']);
  });

  it('fails with a typed error carrying the last state when no error route exists', async () => {
    const graph = new WorkflowGraph()
      .addNode('ok', () => ({ agentData: { ok: true } }))
      .addNode('boom', () => {
        throw new Error('database offline');
      })
      .addEdge('ok', 'boom')
      .addEdge('boom', END)
      .setEntryPoint('ok');
    const result = await new WorkflowRunner(graph.compile()).executeWorkflow({ userId: 'u' });
    expect(result.status).toBe('failed');
    expect(NodeExecutionError.isInstance(result.error)).toBe(true);
    expect(result.error).toMatchObject({
      node: 'boom',
      message: 'Node "boom" failed: database offline',
    });
    expect((result.error?.state as typeof result.state | undefined)?.agentData).toEqual({
      ok: true,
    });
    expect(result.state.errors).toMatchObject([{ node: 'boom', message: 'database offline' }]);
  });

  it('pauses at an interrupt and resumes with the human answer', async () => {
    const graph = new WorkflowGraph()
      .addNode('propose', () => ({ agentData: { refund: 250 } }))
      .addNode('approve', (s, _i, ctx) => {
        const answer = ctx.interrupt<{ approved: boolean }>({
          question: 'Approve refund?',
          amount: s.agentData.refund,
        });
        return { agentData: { approved: answer.approved } };
      })
      .addEdge('propose', 'approve')
      .addEdge('approve', END)
      .setEntryPoint('propose');
    const checkpointer = new InMemoryCheckpointer();
    const runner = new WorkflowRunner(graph.compile(), { checkpointer });
    const paused = await runner.executeWorkflow({ userId: 'u' });
    expect(paused).toMatchObject({
      status: 'interrupted',
      interrupt: { node: 'approve', payload: { question: 'Approve refund?', amount: 250 } },
    });
    expect((await checkpointer.getLatest(paused.runId))?.status).toBe('interrupted');
    const done = await runner.resume(paused.runId, { value: { approved: true } });
    expect(done.status).toBe('completed');
    expect(done.state.agentData).toEqual({ refund: 250, approved: true });
    expect(done.state.processingPath).toEqual(['propose', 'approve']);
  });

  it('streams node events with timings, custom events and a final done', async () => {
    let worked = 0;
    const graph = new WorkflowGraph()
      .addNode('a', async (_s, _i, ctx) => {
        const started = performance.now();
        ctx.emit('progress', { pct: 50 });
        await new Promise((r) => setTimeout(r, 5));
        worked = performance.now() - started;
        return { agentData: { a: 1 } };
      })
      .addEdge('a', END)
      .setEntryPoint('a');
    const events: WorkflowEvent[] = [];
    for await (const e of new WorkflowRunner(graph.compile()).streamWorkflow({ userId: 'u' }))
      events.push(e);
    expect(events.map((e) => e.type)).toEqual([
      'run-start',
      'node-start',
      'custom',
      'node-end',
      'updates',
      'state',
      'done',
    ]);
    const end = events[3];
    // The node's timing covers the node's own work (measured inside it), and carries its update.
    expect(end?.type === 'node-end' && end.durationMs).toBeGreaterThanOrEqual(worked);
    expect(end).toMatchObject({ node: 'a', step: 1, update: { agentData: { a: 1 } } });
    expect(events[2]).toMatchObject({ name: 'progress', data: { pct: 50 } });
  });

  it("gives nodes a signal of the run's own: aborting the run aborts it; runs never share one", async () => {
    const seen: AbortSignal[] = [];
    const graph = new WorkflowGraph()
      .addNode('a', async (_s, _i, ctx) => {
        seen.push(ctx.signal);
        ctx.signal.addEventListener('abort', () => {});
        if (_s.input === 'wait')
          await new Promise((_r, reject) =>
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
          );
        return {};
      })
      .addEdge('a', END)
      .setEntryPoint('a');
    const runner = new WorkflowRunner(graph.compile());
    await runner.executeWorkflow({ userId: 'u' });
    await runner.executeWorkflow({ userId: 'u' });
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen[0]?.aborted).toBe(false);
    const controller = new AbortController();
    const waiting = runner.executeWorkflow({
      userId: 'u',
      inputData: 'wait',
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(waiting).rejects.toSatisfy((e: unknown) => AbortError.isInstance(e));
    expect(seen[2]?.aborted).toBe(true);
  });

  it('runs agents as nodes: AgentNode takes input from the state and writes its output back', async () => {
    const agent = new MockAgent<string>((input) => `handled: ${input.message}`);
    const graph = new WorkflowGraph<{ ticket: string }>()
      .addNode('support', new AgentNode(agent, { message: (s) => s.ticket }))
      .addEdge('support', END)
      .setEntryPoint('support');
    const result = await new WorkflowRunner(graph.compile()).executeWorkflow({
      userId: 'u',
      state: { ticket: 'printer jam' },
    });
    expect(result.state.agentData.support).toBe('handled: printer jam');
    expect(agent.inputs[0]?.signal).toBeInstanceOf(AbortSignal);
  });
});
