import {
  AgentNode,
  ChatAgent,
  END,
  HierarchicalOrchestrator,
  InMemoryCheckpointer,
  ParallelOrchestrator,
  RobustOrchestrator,
  tool,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/** A refund tool that needs approval above 100, and writes what it did to `log`. */
function refundTool(log: string[]) {
  return tool({
    description: 'Refund an order',
    parameters: z.object({ order: z.string(), amount: z.number() }),
    needsApproval: ({ amount }) => amount > 100,
    execute: ({ order, amount }) => {
      log.push(`refund ${order} ${amount}`);
      return `refunded ${amount}`;
    },
  });
}

const refundCall = (amount = 249, id = 'call_refund') => ({
  toolCalls: [{ name: 'refund', args: { order: 'A1', amount }, id }],
});
const echoLast = () => (call: { messages: { content: unknown }[] }) => ({
  text: `after: ${call.messages.at(-1)?.content}`,
});

function runnerOf(graph: WorkflowGraph<{ reply?: unknown }>) {
  return new WorkflowRunner(graph.compile({ name: 'approvals' }), {
    checkpointer: new InMemoryCheckpointer(),
  });
}

describe('tool approvals inside workflow nodes (agents, AgentNode, patterns)', () => {
  it('a ChatAgent called in a node pauses the run; resume(runId, { approvals }) runs the tool without asking the model again', async () => {
    const log: string[] = [];
    const llm = new ScriptedLLMClient([refundCall(), echoLast()]);
    const agent = new ChatAgent(llm, 'Refunds.', { tools: { refund: refundTool(log) } });
    const runner = runnerOf(
      new WorkflowGraph<{ reply?: unknown }>()
        .addNode('agent', async (_s, _i, ctx) => ({
          reply: await agent.process({ message: 'refund A1', signal: ctx.signal }),
        }))
        .addEdge('agent', END)
        .setEntryPoint('agent'),
    );
    const paused = await runner.executeWorkflow({ userId: 'u', runId: 'r1' });
    expect(paused.status).toBe('interrupted');
    expect(paused.interrupt?.node).toBe('agent');
    expect(paused.interrupt?.payload).toMatchObject({
      type: 'tool-approval',
      pendingApprovals: [
        { callId: 'call_refund', toolName: 'refund', args: { order: 'A1', amount: 249 } },
      ],
    });
    expect(log).toEqual([]);
    const done = await runner.resume('r1', { approvals: { call_refund: { approve: true } } });
    expect(done.status).toBe('completed');
    expect(done.state.reply).toBe('after: refunded 249');
    expect(log).toEqual(['refund A1 249']);
    expect(llm.calls).toHaveLength(2); // the turn that asked for the refund was not made again
  });

  it('AgentNode: a refusal reaches the model as the tool’s result', async () => {
    const log: string[] = [];
    const llm = new ScriptedLLMClient([refundCall(), echoLast()]);
    const agent = new ChatAgent(llm, 'Refunds.', { tools: { refund: refundTool(log) } });
    const runner = runnerOf(
      new WorkflowGraph<{ reply?: unknown }>()
        .addNode(
          'agent',
          new AgentNode(agent, { message: () => 'refund A1', output: (reply) => ({ reply }) }),
        )
        .addEdge('agent', END)
        .setEntryPoint('agent'),
    );
    expect((await runner.executeWorkflow({ userId: 'u', runId: 'r2' })).status).toBe('interrupted');
    const done = await runner.resume('r2', {
      approvals: { call_refund: { approve: false, reason: 'too much' } },
    });
    expect(done.state.reply).toBe('after: The user did not approve this call: too much');
    expect(log).toEqual([]);
  });

  it('two approvals one after the other in one call: two interrupts, each answer kept', async () => {
    const log: string[] = [];
    const llm = new ScriptedLLMClient([
      refundCall(150, 'first'),
      refundCall(300, 'second'),
      { text: 'both decided' },
    ]);
    const agent = new ChatAgent(llm, 'Refunds.', { tools: { refund: refundTool(log) } });
    const runner = runnerOf(
      new WorkflowGraph<{ reply?: unknown }>()
        .addNode('agent', new AgentNode(agent, { output: (reply) => ({ reply }) }))
        .addEdge('agent', END)
        .setEntryPoint('agent'),
    );
    await runner.executeWorkflow({ userId: 'u', runId: 'r3', inputData: 'refund' });
    const second = await runner.resume('r3', { approvals: { first: { approve: true } } });
    expect(second.status).toBe('interrupted');
    expect(second.interrupt?.payload).toMatchObject({
      pendingApprovals: [{ callId: 'second', args: { amount: 300 } }],
    });
    const done = await runner.resume('r3', { approvals: { second: { approve: true } } });
    expect(done.state.reply).toBe('both decided');
    expect(log).toEqual(['refund A1 150', 'refund A1 300']); // the first refund ran once
    expect(llm.calls).toHaveLength(3);
  });

  it('ParallelOrchestrator: the branch that needs approval pauses the run instead of failing', async () => {
    const log: string[] = [];
    const careful = new ScriptedLLMClient([refundCall(), echoLast()]);
    const quick = new ScriptedLLMClient([{ text: 'summary' }, { text: 'summary again' }]);
    const team = new ParallelOrchestrator({
      refunds: new ChatAgent(careful, 'Refunds.', { tools: { refund: refundTool(log) } }),
      summary: new ChatAgent(quick, 'Summaries.'),
    });
    const runner = runnerOf(
      new WorkflowGraph<{ reply?: unknown }>()
        .addNode('team', new AgentNode(team, { output: (reply) => ({ reply }) }))
        .addEdge('team', END)
        .setEntryPoint('team'),
    );
    const paused = await runner.executeWorkflow({ userId: 'u', runId: 'r4', inputData: 'refund' });
    expect(paused.status).toBe('interrupted');
    const done = await runner.resume('r4', { approvals: { call_refund: { approve: true } } });
    // The node ran again: the summary branch was asked again, the refund branch resumed.
    expect(done.state.reply).toEqual({ refunds: 'after: refunded 249', summary: 'summary again' });
    expect(log).toEqual(['refund A1 249']);
  });

  it('HierarchicalOrchestrator: a specialist’s tool needing approval pauses the run, through the master’s tool call', async () => {
    const log: string[] = [];
    const master = new ScriptedLLMClient([
      { toolCalls: [{ name: 'use_refunds_specialist', args: { query: 'refund A1' } }] },
      { toolCalls: [{ name: 'use_refunds_specialist', args: { query: 'refund A1' } }] },
      (call) => ({ text: `master: ${call.messages.at(-1)?.content}` }),
    ]);
    const specialist = new ScriptedLLMClient([refundCall(), echoLast()]);
    const team = new HierarchicalOrchestrator(
      master,
      { refunds: new ChatAgent(specialist, 'Refunds.', { tools: { refund: refundTool(log) } }) },
      { systemPrompt: 'Lead.' },
    );
    const runner = runnerOf(
      new WorkflowGraph<{ reply?: unknown }>()
        .addNode('team', new AgentNode(team, { output: (reply) => ({ reply }) }))
        .addEdge('team', END)
        .setEntryPoint('team'),
    );
    const paused = await runner.executeWorkflow({ userId: 'u', runId: 'r5', inputData: 'refund' });
    expect(paused.status).toBe('interrupted');
    expect(master.calls).toHaveLength(1); // the master did not go on with a failed tool
    const done = await runner.resume('r5', { approvals: { call_refund: { approve: true } } });
    expect(done.state.reply).toBe('master: after: refunded 249');
    expect(log).toEqual(['refund A1 249']);
    expect(specialist.calls).toHaveLength(2);
  });

  it('RobustOrchestrator: waiting for approval is neither retried nor handed to a fallback', async () => {
    const log: string[] = [];
    const primary = new ScriptedLLMClient([refundCall(), echoLast()]);
    const fallback = new ScriptedLLMClient([{ text: 'fallback answer' }]);
    const robust = new RobustOrchestrator(
      new ChatAgent(primary, 'Refunds.', { tools: { refund: refundTool(log) } }),
      [new ChatAgent(fallback, 'Fallback.')],
    );
    const runner = runnerOf(
      new WorkflowGraph<{ reply?: unknown }>()
        .addNode('agent', new AgentNode(robust, { output: (reply) => ({ reply }) }))
        .addEdge('agent', END)
        .setEntryPoint('agent'),
    );
    const paused = await runner.executeWorkflow({ userId: 'u', runId: 'r6', inputData: 'refund' });
    expect(paused.status).toBe('interrupted');
    expect(primary.calls).toHaveLength(1);
    expect(fallback.calls).toHaveLength(0);
    const done = await runner.resume('r6', { approvals: { call_refund: { approve: true } } });
    expect(done.state.reply).toBe('after: refunded 249');
  });

  it('a stream piped through the node ends without an error event, and goes on after the answer', async () => {
    const log: string[] = [];
    const llm = new ScriptedLLMClient([refundCall(), echoLast()]);
    const seen: string[] = [];
    const runner = runnerOf(
      new WorkflowGraph<{ reply?: unknown }>()
        .addNode('agent', async (_s, _i, ctx) => {
          let reply = '';
          const events = llm.stream({
            systemPrompt: 'Refunds.',
            userMessage: 'refund A1',
            tools: { refund: refundTool(log) },
          });
          for await (const e of ctx.pipe(events)) {
            seen.push(e.type);
            if (e.type === 'finish') reply = e.result.llmResponse;
          }
          return { reply };
        })
        .addEdge('agent', END)
        .setEntryPoint('agent'),
    );
    expect((await runner.executeWorkflow({ userId: 'u', runId: 'r7' })).status).toBe('interrupted');
    expect(seen).not.toContain('error');
    expect(seen).not.toContain('finish');
    seen.length = 0;
    const done = await runner.resume('r7', { approvals: { call_refund: { approve: true } } });
    expect(done.state.reply).toBe('after: refunded 249');
    expect(seen.at(-1)).toBe('finish');
    expect(seen).toContain('text-delta');
  });

  it('a wrong answer is refused before the run is claimed: the run keeps waiting', async () => {
    const llm = new ScriptedLLMClient([refundCall(), echoLast()]);
    const agent = new ChatAgent(llm, 'Refunds.', { tools: { refund: refundTool([]) } });
    const runner = runnerOf(
      new WorkflowGraph<{ reply?: unknown }>()
        .addNode('agent', new AgentNode(agent, { output: (reply) => ({ reply }) }))
        .addEdge('agent', END)
        .setEntryPoint('agent'),
    );
    await runner.executeWorkflow({ userId: 'u', runId: 'r8', inputData: 'refund' });
    await expect(runner.resume('r8', { value: 'yes' })).rejects.toMatchObject({
      name: 'InvalidInputError',
      field: 'value',
    });
    await expect(
      runner.resume('r8', { approvals: { other: { approve: true } } }),
    ).rejects.toMatchObject({ name: 'InvalidInputError', field: 'approvals.other' });
    await expect(runner.resume('r8', { approvals: {} })).rejects.toMatchObject({
      field: 'approvals.call_refund',
    });
    expect((await runner.checkpointer?.getLatest('r8'))?.status).toBe('interrupted');
    const done = await runner.resume('r8', { approvals: { call_refund: { approve: true } } });
    expect(done.status).toBe('completed');
  });
});
