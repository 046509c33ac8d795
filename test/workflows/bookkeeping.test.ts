import {
  END,
  InMemoryCheckpointer,
  tool,
  type WorkflowEvent,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

describe('engine bookkeeping in the merge', () => {
  it('the state event carries the same lastActive as the step’s checkpoint', async () => {
    let tick = 0;
    const now = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));
    const checkpointer = new InMemoryCheckpointer();
    const graph = new WorkflowGraph()
      .addNode('a', () => ({ agentData: { a: 1 } }))
      .addNode('b', () => ({ agentData: { b: 2 } }))
      .addEdge('a', 'b')
      .addEdge('b', END)
      .setEntryPoint('a');
    const runner = new WorkflowRunner(graph.compile(), { checkpointer, now });
    const states: Array<Extract<WorkflowEvent, { type: 'state' }>> = [];
    let runId = '';
    for await (const e of runner.streamWorkflow({ userId: 'u' })) {
      if (e.type === 'state') states.push(e);
      if (e.type === 'run-start') runId = e.runId;
    }
    const history = await checkpointer.history(runId);
    expect(states).toHaveLength(2);
    for (const e of states) {
      const stored = history.find((c) => c.step === e.step);
      expect(e.state.userContext.lastActive).toBe(stored?.state.userContext.lastActive);
    }
    expect(states[0]?.state.userContext.lastActive).not.toBe(
      states[1]?.state.userContext.lastActive,
    );
  });
});

describe('LLMInput.tools', () => {
  it('is the same as regularFunctions, and a name given in both is refused', async () => {
    const echo = tool({
      description: 'echo',
      parameters: z.object({ t: z.string() }),
      execute: ({ t }) => t,
    });
    const llm = new ScriptedLLMClient([
      { toolCalls: [{ name: 'echo', args: { t: 'hi' } }] },
      { text: 'done' },
    ]);
    const result = await llm.chat({ systemPrompt: 's', userMessage: 'x', tools: { echo } });
    expect(result.toolCalls.map((c) => c.output)).toEqual(['hi']);
    await expect(
      llm.chat({
        systemPrompt: 's',
        userMessage: 'x',
        tools: { echo },
        regularFunctions: { echo },
      }),
    ).rejects.toMatchObject({ field: 'tools.echo' });
  });
});
