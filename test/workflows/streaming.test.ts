import {
  AbortError,
  END,
  InMemoryCheckpointer,
  InvalidInputError,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';

/** research (a model streams inside it) and facts, in parallel; then answer. */
function chat(llm: ScriptedLLMClient) {
  return new WorkflowGraph<{ draft?: string; facts?: string }>()
    .addNode('start', () => ({}))
    .addNode('research', async (_s, _i, ctx) => {
      let draft = '';
      for await (const e of ctx.pipe(llm.stream({ systemPrompt: 'Write.', userMessage: 'Go' }))) {
        if (e.type === 'text-delta') draft += e.text;
      }
      return { draft };
    })
    .addNode('facts', () => ({ facts: 'two facts' }))
    .addNode('answer', (s, _i, ctx) => {
      ctx.emit('progress', { done: true });
      return { agentData: { answer: `${s.draft} / ${s.facts}` } };
    })
    .addEdge('start', 'research')
    .addEdge('start', 'facts')
    .addEdge(['research', 'facts'], 'answer')
    .addEdge('answer', END)
    .setEntryPoint('start')
    .compile({ name: 'chat' });
}

const collect = async <T>(events: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const e of events) out.push(e);
  return out;
};

describe('runner.stream modes', () => {
  it('messages: the model’s text deltas from inside a node, tagged with node and step', async () => {
    const llm = new ScriptedLLMClient([{ text: 'Hello world' }]);
    const events = await collect(
      new WorkflowRunner(chat(llm)).stream({ userId: 'u' }, { mode: 'messages' }),
    );
    const messages = events.filter((e) => e.type === 'message');
    const deltas = messages.flatMap((e) => (e.event.type === 'text-delta' ? [e.event.text] : []));
    expect(deltas.join('')).toBe('Hello world');
    expect(messages.every((e) => e.node === 'research' && e.step === 2)).toBe(true);
    expect(messages.at(-1)?.event.type).toBe('finish');
    // Only run events besides: no states, updates or node events in this mode.
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['run-start', 'message', 'done']));
  });

  it('updates, values, nodes and custom each give their own events; several modes combine', async () => {
    const run = (mode: Parameters<WorkflowRunner['stream']>[1]) =>
      collect(
        new WorkflowRunner(chat(new ScriptedLLMClient([{ text: 'Hi' }]))).stream(
          { userId: 'u' },
          mode,
        ),
      );
    const updates = (await run({ mode: 'updates' })).filter((e) => e.type === 'updates');
    expect(updates.map((e) => e.type === 'updates' && e.updates)).toEqual([
      { start: {} },
      { research: { draft: 'Hi' }, facts: { facts: 'two facts' } },
      { answer: { agentData: { answer: 'Hi / two facts' } } },
    ]);
    const values = (await run({ mode: 'values' })).flatMap((e) =>
      e.type === 'state' ? [e.state] : [],
    );
    expect(values.at(-1)?.agentData.answer).toBe('Hi / two facts');
    const both = await run({ mode: ['nodes', 'custom'] });
    const ended = both.flatMap((e) => (e.type === 'node-end' ? [e.node] : []));
    expect([ended[0], [...ended.slice(1, 3)].sort(), ended[3]]).toEqual([
      'start',
      ['facts', 'research'],
      'answer',
    ]);
    expect(both.find((e) => e.type === 'custom')).toMatchObject({
      name: 'progress',
      node: 'answer',
    });
    expect(both.some((e) => e.type === 'state' || e.type === 'message')).toBe(false);
    expect(() =>
      new WorkflowRunner(chat(new ScriptedLLMClient([]))).stream(
        { userId: 'u' },
        { mode: 'tokens' as never },
      ),
    ).toThrow(InvalidInputError);
  });

  it('a consumer that stops reading aborts the node’s work, and the run is recorded cancelled', async () => {
    let signal: AbortSignal | undefined;
    const graph = new WorkflowGraph()
      .addNode('talk', async (_s, _i, ctx) => {
        signal = ctx.signal;
        for (let i = 0; ; i++) {
          ctx.forward({ type: 'text-delta', text: `t${i} ` });
          await new Promise((r) => setTimeout(r, 5));
          if (ctx.signal.aborted) throw new AbortError('stopped');
        }
      })
      .addEdge('talk', END)
      .setEntryPoint('talk');
    const checkpointer = new InMemoryCheckpointer();
    const runner = new WorkflowRunner(graph.compile(), { checkpointer });
    let seen = 0;
    let runId = '';
    for await (const e of runner.stream({ userId: 'u' }, { mode: 'messages' })) {
      if (e.type === 'run-start') runId = e.runId;
      if (e.type === 'message' && ++seen === 3) break;
    }
    expect(signal?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect((await checkpointer.getLatest(runId))?.status).toBe('cancelled');
  });
});
