/** The workflow patterns the seed refers to, as tests (docs/workflows.md shows them too). */

import {
  AgentNode,
  DynamicRouter,
  END,
  InMemoryCheckpointer,
  InMemoryManager,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { MockAgent, ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';

describe('seed workflow patterns', () => {
  it('triage routes to support or escalation, then END', async () => {
    const llm = new ScriptedLLMClient([
      { object: { agent: 'support' } },
      { object: { agent: 'escalation' } },
    ]);
    const support = new MockAgent<string>((i) => `support: ${i.message}`);
    const escalation = new MockAgent<string>((i) => `escalated: ${i.message}`);
    const router = new DynamicRouter(llm, { support, escalation });
    const graph = new WorkflowGraph<{ route?: string }>()
      .addNode('triage', async (_s, input, ctx) => ({
        route: (await router.route(String(input), undefined, { signal: ctx.signal })).agent,
      }))
      .addNode('support', new AgentNode(support))
      .addNode('escalation', new AgentNode(escalation))
      .addConditionalEdges('triage', (s) => s.route ?? 'support', ['support', 'escalation'])
      .addEdge('support', END)
      .addEdge('escalation', END)
      .setEntryPoint('triage');
    const runner = new WorkflowRunner(graph.compile());
    const first = await runner.executeWorkflow({
      userId: 'u',
      inputData: 'How do I reset my password?',
    });
    expect(first.state.processingPath).toEqual(['triage', 'support']);
    expect(first.state.agentData.support).toBe('support: How do I reset my password?');
    const second = await runner.executeWorkflow({ userId: 'u', inputData: 'I will sue you!' });
    expect(second.state.processingPath).toEqual(['triage', 'escalation']);
  });

  it('a memory-enabled conversation workflow called twice on one conversation', async () => {
    const memory = new InMemoryManager();
    const agent = new MockAgent<string>(
      (i) => `You said "${i.message}"; before that: ${String(i.metadata?.previous ?? 'nothing')}`,
    );
    const graph = new WorkflowGraph<{ previous?: string }>()
      .addNode('recall', async (_s) => {
        const [last] = await memory.retrieve<string>({
          conversationId: 'conv-1',
          type: 'short-term',
          limit: 1,
        });
        return {
          previous: last?.content ?? 'nothing',
          workingMemories: { recalled: last?.content ?? null },
        };
      })
      .addNode('answer', new AgentNode(agent, { metadata: (s) => ({ previous: s.previous }) }))
      .addNode('remember', async (s) => {
        await memory.store({
          conversationId: 'conv-1',
          type: 'short-term',
          content: String(s.input),
        });
        return {};
      })
      .addEdge('recall', 'answer')
      .addEdge('answer', 'remember')
      .addEdge('remember', END)
      .setEntryPoint('recall');
    const runner = new WorkflowRunner(graph.compile(), {
      checkpointer: new InMemoryCheckpointer(),
    });
    await runner.executeWorkflow({ userId: 'u', inputData: 'I like tea', interactionCount: 1 });
    const second = await runner.executeWorkflow({
      userId: 'u',
      inputData: 'What do I like?',
      interactionCount: 2,
    });
    expect(second.state.agentData.answer).toBe(
      'You said "What do I like?"; before that: I like tea',
    );
    expect(second.state.workingMemories.recalled).toBe('I like tea');
    expect(second.state.userContext.interactionCount).toBe(2);
  });
});
