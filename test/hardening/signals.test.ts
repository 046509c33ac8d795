import { getEventListeners } from 'node:events';
import {
  type Agent,
  END,
  InMemoryManager,
  SimplePipeline,
  StatefulOrchestrator,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { describe, expect, it } from 'vitest';

/** An agent (or node) that adds an abort listener and never removes it, as some helpers do. */
const leaky: Agent<string> = {
  async process({ signal }) {
    signal?.addEventListener('abort', () => {});
    return 'ok';
  },
};

describe('a long-lived caller signal collects no listeners', () => {
  it('SimplePipeline, StatefulOrchestrator and workflow nodes give each call a signal of its own', async () => {
    const shutdown = new AbortController(); // a server's signal, alive for the process
    const { signal } = shutdown;
    const pipeline = new SimplePipeline([leaky, leaky]);
    for (let i = 0; i < 500; i++) await pipeline.execute('x', { signal });
    const chat = new StatefulOrchestrator(leaky, new InMemoryManager());
    for (let i = 0; i < 200; i++) await chat.execute('u', 'c', 'x', { signal });
    const graph = new WorkflowGraph()
      .addNode('n', (_s, _i, ctx) => {
        ctx.signal.addEventListener('abort', () => {});
        return {};
      })
      .addEdge('n', END)
      .setEntryPoint('n');
    const runner = new WorkflowRunner(graph.compile());
    for (let i = 0; i < 500; i++) await runner.executeWorkflow({ userId: 'u', signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);

    // Still linked: aborting the caller's signal reaches a running agent.
    let seen: AbortSignal | undefined;
    const waiting = new SimplePipeline([
      {
        process: ({ signal: s }) =>
          new Promise((_, reject) => {
            seen = s;
            s?.addEventListener('abort', () => reject(s.reason));
          }),
      },
    ]).execute('x', { signal });
    await new Promise((r) => setTimeout(r, 5));
    shutdown.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen?.aborted).toBe(true);
  });
});
