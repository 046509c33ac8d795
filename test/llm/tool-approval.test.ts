import { ChatAgent, InvalidInputError, tool } from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

function tools(log: string[]) {
  return {
    refund: tool({
      description: 'Refund an order',
      parameters: z.object({ order: z.string(), amount: z.number() }),
      needsApproval: (args) => args.amount > 100,
      execute: ({ order, amount }) => {
        log.push(`refund ${order} ${amount}`);
        return `refunded ${amount}`;
      },
    }),
    lookup: tool({
      description: 'Find an order',
      parameters: z.object({ order: z.string() }),
      execute: ({ order }) => {
        log.push(`lookup ${order}`);
        return { order, status: 'late' };
      },
    }),
  };
}

const script = () =>
  new ScriptedLLMClient([
    {
      toolCalls: [
        { name: 'lookup', args: { order: 'A1' } },
        { name: 'refund', args: { order: 'A1', amount: 249 } },
      ],
    },
    (call) => ({ text: `done: ${call.messages.filter((m) => m.role === 'tool').length} results` }),
  ]);

describe('tool approval', () => {
  it('stops before a call that needs approval (the others run); resumeFrom + approvals continue without asking the model again', async () => {
    const log: string[] = [];
    const llm = script();
    const input = { systemPrompt: 's', userMessage: 'refund A1', tools: tools(log) };
    const paused = await llm.chat(input);
    expect(paused.status).toBe('pending-approval');
    expect(paused.pendingApprovals).toEqual([
      { callId: expect.any(String), toolName: 'refund', args: { order: 'A1', amount: 249 } },
    ]);
    expect(log).toEqual(['lookup A1']);
    expect(llm.model.calls).toHaveLength(1);
    // The state is plain JSON: stored and read back, it still continues.
    const state = JSON.parse(JSON.stringify(paused.state));
    const callId = paused.pendingApprovals?.[0]?.callId as string;
    const done = await llm.chat({
      ...input,
      resumeFrom: state,
      approvals: { [callId]: { approve: true } },
    });
    expect(done.status).toBeUndefined();
    expect(done.llmResponse).toBe('done: 2 results');
    expect(log).toEqual(['lookup A1', 'refund A1 249']);
    expect(llm.model.calls).toHaveLength(2); // one more model call: the next turn, not the same
    expect(done.toolCalls.map((c) => c.name)).toEqual(['lookup', 'refund']);
  });

  it('a refusal goes to the model as the tool’s result; edited arguments run instead of the model’s', async () => {
    for (const [decision, expected] of [
      [{ approve: false, reason: 'too much' }, []],
      [{ approve: true, args: { order: 'A1', amount: 99 } }, ['refund A1 99']],
    ] as const) {
      const log: string[] = [];
      const llm = script();
      const input = { systemPrompt: 's', userMessage: 'refund A1', tools: tools(log) };
      const paused = await llm.chat(input);
      const callId = paused.pendingApprovals?.[0]?.callId as string;
      const done = await llm.chat({
        ...input,
        resumeFrom: paused.state,
        approvals: { [callId]: decision },
      });
      expect(log.slice(1)).toEqual(expected);
      const refund = done.toolCalls.find((c) => c.name === 'refund');
      if (decision.approve) expect(refund?.output).toBe('refunded 99');
      else {
        expect(refund).toMatchObject({
          isError: true,
          output: 'The user did not approve this call: too much',
        });
        const seen = JSON.stringify(llm.model.calls[1]?.messages);
        expect(seen).toContain('did not approve this call: too much');
      }
    }
  });

  it('a stream ends with a finish event carrying the pending result', async () => {
    const log: string[] = [];
    const events: string[] = [];
    let status: string | undefined;
    for await (const e of script().stream({
      systemPrompt: 's',
      userMessage: 'r',
      tools: tools(log),
    })) {
      events.push(e.type);
      if (e.type === 'finish') status = e.result.status;
    }
    expect(status).toBe('pending-approval');
    expect(events).toContain('tool-result'); // the lookup ran
  });

  it('refuses a resume without a decision for every pending call, or with one for no pending call', async () => {
    const llm = script();
    const input = { systemPrompt: 's', userMessage: 'r', tools: tools([]) };
    const paused = await llm.chat(input);
    const field = (e: unknown) => (InvalidInputError.isInstance(e) ? e.field : String(e));
    const callId = paused.pendingApprovals?.[0]?.callId as string;
    await expect(
      llm.chat({ ...input, resumeFrom: paused.state, approvals: {} }).catch(field),
    ).resolves.toBe(`approvals.${callId}`);
    await expect(
      llm
        .chat({
          ...input,
          resumeFrom: paused.state,
          approvals: { [callId]: { approve: true }, other: { approve: true } },
        })
        .catch(field),
    ).resolves.toBe('approvals.other');
    await expect(
      llm.chat({ ...input, resumeFrom: { version: 9 } as never, approvals: {} }).catch(field),
    ).resolves.toBe('resumeFrom');
  });

  it('ChatAgent.process cannot wait for a human: a tool needing approval is a clear error, not an empty answer', async () => {
    const log: string[] = [];
    const agent = new ChatAgent(script(), 'Refunds.', { tools: tools(log) });
    await expect(agent.process({ message: 'refund A1' })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'tools.refund',
    );
    expect(log).toEqual(['lookup A1']);
  });
});
