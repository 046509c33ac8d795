import { END, InvalidInputError, WorkflowGraph, WorkflowRunner } from 'arshai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stores } from './stores.js';

/** draft → translate (gets it wrong) → publish; publish counts its runs. */
function pipeline() {
  const published: string[] = [];
  const graph = new WorkflowGraph({ state: z.object({ text: z.string(), lang: z.string() }) })
    .addNode('draft', () => ({ text: 'Hello' }))
    .addNode('translate', (s) => ({ text: `${s.text} (in ${s.lang})`, lang: 'xx' }))
    .addNode('publish', (s) => {
      published.push(s.text);
      return { agentData: { published: s.text } };
    })
    .addEdge('draft', 'translate')
    .addEdge('translate', 'publish')
    .addEdge('publish', END)
    .setEntryPoint('draft');
  return { workflow: graph.compile({ name: 'pipeline' }), published };
}

describe.each(stores)('time travel (%s)', (_name, open) => {
  it('history lists the checkpoints; fork replays from a step with an edited state, the old run untouched', async () => {
    const { checkpointer } = open();
    const { workflow, published } = pipeline();
    const runner = new WorkflowRunner(workflow, { checkpointer });
    const first = await runner.executeWorkflow({ userId: 'u', state: { text: '', lang: 'fr' } });
    const history = await runner.history(first.runId);
    expect(history.map((c) => [c.step, c.status, c.ran])).toEqual([
      [0, 'running', []],
      [1, 'running', ['draft']],
      [2, 'running', ['translate']],
      [3, 'completed', ['publish']],
    ]);

    const fixed = await runner.fork(first.runId, {
      step: 2,
      state: { text: 'Bonjour', lang: 'fr' },
      runId: `fixed-${_name}`,
    });
    expect(fixed).toMatchObject({ runId: `fixed-${_name}`, status: 'completed' });
    expect(fixed.state.agentData.published).toBe('Bonjour');
    expect(fixed.state.processingPath).toEqual(['draft', 'translate', 'publish']);
    expect(published).toEqual(['Hello (in fr)', 'Bonjour']); // only publish ran again
    expect(await runner.history(first.runId)).toEqual(history); // the old run is untouched
    const forked = await runner.history(fixed.runId);
    expect(forked[0]).toMatchObject({ step: 2, forkedFrom: { runId: first.runId, step: 2 } });

    // From step 1 without an edit: translate and publish run again on the stored state.
    const again = await runner.fork(first.runId, { step: 1 });
    expect(again.state.text).toBe('Hello (in fr)');
    await checkpointer.close();
  });

  it('refuses an unknown step, engine fields, a state the schema refuses, and a taken run id', async () => {
    const { checkpointer } = open();
    const { workflow } = pipeline();
    const runner = new WorkflowRunner(workflow, { checkpointer });
    const { runId } = await runner.executeWorkflow({
      userId: 'u',
      state: { text: '', lang: 'fr' },
    });
    const field = (e: unknown) => (InvalidInputError.isInstance(e) ? e.field : String(e));
    await expect(runner.fork(runId, { step: 9 }).catch(field)).resolves.toBe('step');
    await expect(
      runner.fork(runId, { step: 1, state: { processingPath: [] } as never }).catch(field),
    ).resolves.toBe('state.processingPath');
    await expect(
      runner.fork(runId, { step: 1, state: { lang: 3 as unknown as string } }).catch(field),
    ).resolves.toBe('state.lang');
    await expect(runner.fork(runId, { step: 1, runId }).catch(field)).resolves.toBe('runId');
    expect((await runner.history(runId)).length).toBe(4);
    await checkpointer.close();
  });
});

it('fork needs a checkpointer', async () => {
  await expect(new WorkflowRunner(pipeline().workflow).fork('r', { step: 0 })).rejects.toSatisfy(
    (e) => InvalidInputError.isInstance(e) && e.field === 'checkpointer',
  );
});
