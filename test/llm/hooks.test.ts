import {
  END,
  hasToolCall,
  InvalidInputError,
  type Logger,
  type StepFinish,
  stepCountIs,
  tool,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const noop = tool({
  description: 'Does nothing',
  parameters: z.object({}),
  execute: async () => 'ok',
});
const submit = tool({
  description: 'Submits',
  parameters: z.object({}),
  execute: async () => 'sent',
});
const input = { systemPrompt: 's', userMessage: 'u', tools: { noop, submit } };
const warnings = () => {
  const lines: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (m) => lines.push(m), error() {} };
  return { lines, logger };
};

describe('tool loop hooks and stop conditions', () => {
  it('onStepFinish per turn (text, usage, its tool calls), onToolCall / onToolResult per call, in order', async () => {
    const order: string[] = [];
    const steps: StepFinish[] = [];
    const llm = new ScriptedLLMClient([
      { text: 'thinking', toolCalls: [{ name: 'noop', args: {} }] },
      { text: 'done' },
    ]);
    await llm.chat({
      ...input,
      onToolCall: (c) => order.push(`call ${c.name}`),
      onToolResult: (r) => order.push(`result ${r.call.name} ${r.output} ${r.isError}`),
      onStepFinish: (s) => {
        order.push(`step ${s.turn}`);
        steps.push(s);
      },
    });
    expect(order).toEqual(['call noop', 'result noop ok false', 'step 1', 'step 2']);
    expect(steps[0]).toMatchObject({ turn: 1, text: 'thinking', finishReason: 'tool-calls' });
    expect(steps[0]?.toolCalls.map((c) => c.name)).toEqual(['noop']);
    expect(steps[0]?.usage).toMatchObject({ inputTokens: 10, outputTokens: 5 });
    expect(steps[1]).toMatchObject({ turn: 2, text: 'done', toolCalls: [] });
  });

  it('onStepFinish also runs for a call without tools', async () => {
    const turns: number[] = [];
    await new ScriptedLLMClient([{ text: 'hi' }]).chat({
      systemPrompt: 's',
      userMessage: 'u',
      onStepFinish: (s) => turns.push(s.turn),
    });
    expect(turns).toEqual([1]);
  });

  it('stopWhen ends the loop after the turn that met it: hasToolCall, stepCountIs', async () => {
    const script = () => [
      { toolCalls: [{ name: 'noop', args: {} }] },
      { text: 'submitting', toolCalls: [{ name: 'submit', args: {} }] },
      { text: 'never asked' },
    ];
    const byTool = new ScriptedLLMClient(script());
    const stopped = await byTool.chat({ ...input, stopWhen: hasToolCall('submit') });
    expect(stopped).toMatchObject({
      llmResponse: 'submitting',
      turns: 2,
      finishReason: 'tool-calls',
    });
    expect(byTool.remaining).toBe(1);
    const byCount = new ScriptedLLMClient(script());
    expect(
      (await byCount.chat({ ...input, stopWhen: [stepCountIs(1), hasToolCall('x')] })).turns,
    ).toBe(1);
    await expect(
      byCount.chat({ ...input, stopWhen: stepCountIs(1), structureType: z.object({}) }),
    ).rejects.toSatisfy((e) => InvalidInputError.isInstance(e) && e.field === 'stopWhen');
  });

  it('a throwing hook or condition is logged and never breaks the call', async () => {
    const { lines, logger } = warnings();
    const llm = new ScriptedLLMClient(
      [{ toolCalls: [{ name: 'noop', args: {} }] }, { text: 'fine' }],
      {
        logger,
      },
    );
    const result = await llm.chat({
      ...input,
      onToolCall: () => {
        throw new Error('hook bug');
      },
      onStepFinish: () => {
        throw new Error('hook bug');
      },
      stopWhen: () => {
        throw new Error('condition bug');
      },
    });
    expect(result.llmResponse).toBe('fine');
    expect(lines.filter((l) => l.includes('hook threw'))).toHaveLength(3);
    expect(lines.some((l) => l.includes('stopWhen condition threw'))).toBe(true);
    expect(lines.join()).not.toContain('bug'); // the message stays out: it may hold data
  });
});

it('runner hooks: onNodeStart / onNodeFinish per node, a failing node included; a throwing hook is logged', async () => {
  const events: string[] = [];
  const { lines, logger } = warnings();
  const workflow = new WorkflowGraph()
    .addNode('a', () => ({ agentData: { a: 1 } }))
    .addNode('b', () => {
      throw new Error('b broke');
    })
    .addEdge('a', 'b')
    .addEdge('b', END)
    .setEntryPoint('a')
    .compile({ name: 'hooked' });
  const runner = new WorkflowRunner(workflow, {
    logger,
    onNodeStart: (e) => {
      events.push(`start ${e.node} ${e.step}`);
      if (e.node === 'a') throw new Error('hook bug');
    },
    onNodeFinish: (e) =>
      events.push(`finish ${e.node} ${e.error ? e.error.message : JSON.stringify(e.update)}`),
  });
  const result = await runner.executeWorkflow({ userId: 'u' });
  expect(result.status).toBe('failed');
  expect(events).toEqual([
    'start a 1',
    'finish a {"agentData":{"a":1}}',
    'start b 2',
    'finish b b broke',
  ]);
  expect(lines).toEqual(['arshai: the onNodeStart hook threw; the call goes on']);
});

it('onNodeFinish and node-end events carry what each node spent; the run result the total', async () => {
  const llm = new ScriptedLLMClient([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
  const talk = (n: number) => async () => {
    for (let i = 0; i < n; i++) await llm.chat({ systemPrompt: 's', userMessage: 'u' });
    return {};
  };
  const workflow = new WorkflowGraph()
    .addNode('one', talk(1))
    .addNode('two', talk(2))
    .addNode('none', talk(0))
    .addEdge('one', 'two')
    .addEdge('two', 'none')
    .addEdge('none', END)
    .setEntryPoint('one')
    .compile({ name: 'spending' });
  const spent: Record<string, unknown> = {};
  const runner = new WorkflowRunner(workflow, {
    onNodeFinish: (e) => {
      spent[e.node] = e.spent?.modelCalls;
    },
  });
  const result = await runner.executeWorkflow({ userId: 'u' });
  expect(spent).toEqual({ one: 1, two: 2, none: undefined });
  expect(result.spent).toMatchObject({ modelCalls: 3, tokens: 45 });
});
