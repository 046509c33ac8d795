import {
  AbortError,
  BatchProcessor,
  END,
  FallbackWorkflow,
  TimeoutError,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { describe, expect, it } from 'vitest';

describe('around workflows', () => {
  const echo = () =>
    new WorkflowRunner(
      new WorkflowGraph()
        .addNode('work', async (s) => {
          await new Promise((r) => setTimeout(r, 10));
          if (s.input === 'bad') throw new Error('bad input');
          return { agentData: { out: `done ${s.input}` } };
        })
        .addEdge('work', END)
        .setEntryPoint('work')
        .compile(),
    );

  it('BatchProcessor: concurrency limit, per-item results, fail-fast', async () => {
    const inputs = ['a', 'b', 'bad', 'c'].map((inputData) => ({ userId: 'u', inputData }));
    const results = await new BatchProcessor(echo()).process(inputs, { concurrency: 2 });
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'failed', 'completed']);
    const fast = await new BatchProcessor(echo()).process(
      ['bad', 'a', 'b', 'c', 'd'].map((inputData) => ({ userId: 'u', inputData })),
      { concurrency: 1, failFast: true },
    );
    expect(fast.map((r) => r.status)).toEqual([
      'failed',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
  });

  it('FallbackWorkflow: the fallback answers when the primary fails', async () => {
    const failing = new WorkflowRunner(
      new WorkflowGraph()
        .addNode('x', () => {
          throw new TimeoutError(5, 'upstream');
        })
        .addEdge('x', END)
        .setEntryPoint('x')
        .compile(),
    );
    const robust = new FallbackWorkflow(failing, [echo()]);
    const result = await robust.executeWorkflow({ userId: 'u', inputData: 'q' });
    expect(result.state.agentData.out).toBe('done q');
    expect(result.workflowIndex).toBe(1);
  });
});
