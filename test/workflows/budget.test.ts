import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BudgetExceededError,
  END,
  NodeExecutionError,
  SqliteCheckpointer,
  tool,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const dir = mkdtempSync(join(tmpdir(), 'arshai-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ping = tool({ description: 'Ping', parameters: z.object({}), execute: async () => 'pong' });

/** A model that calls `ping` `turns - 1` times, then answers. */
function agentModel(turns: number, counter: { calls: number }) {
  return new ScriptedLLMClient(
    Array.from({ length: 20 }, (_, i) => () => {
      counter.calls++;
      return (i + 1) % turns === 0 ? { text: 'done' } : { toolCalls: [{ name: 'ping', args: {} }] };
    }),
  );
}

/** start → (left, right) → join; each branch runs a 3-turn tool loop (3 model calls, 2 tools). */
function workflow(counter: { calls: number }, ran: string[]) {
  const branch = (name: string) => async () => {
    ran.push(name);
    const llm = agentModel(3, counter);
    const { llmResponse } = await llm.chat({
      systemPrompt: 's',
      userMessage: name,
      tools: { ping },
    });
    return { agentData: { [name]: llmResponse } };
  };
  return new WorkflowGraph()
    .addNode('start', () => ({}))
    .addNode('left', branch('left'))
    .addNode('right', branch('right'))
    .addNode('join', () => ({ agentData: { joined: true } }))
    .addEdge('start', 'left')
    .addEdge('start', 'right')
    .addEdge('left', 'join')
    .addEdge('right', 'join')
    .addEdge('join', END)
    .setEntryPoint('start')
    .compile({ name: 'budgeted' });
}

describe('workflow budgets', () => {
  it('parallel branches share the run budget; the run stops over-budget with a checkpoint; resume with a larger one continues (spent carried over)', async () => {
    const counter = { calls: 0 };
    const ran: string[] = [];
    const path = join(dir, 'budget.db');
    const checkpointer = new SqliteCheckpointer({ path });
    const runner = new WorkflowRunner(workflow(counter, ran), { checkpointer });
    const error = await runner
      .executeWorkflow({ userId: 'u', runId: 'b1', budget: { maxModelCalls: 4 } })
      .catch((e: unknown) => e);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ limit: 'maxModelCalls', spent: { modelCalls: 4 } });
    expect(counter.calls).toBe(4); // the check and the count are one step: no overspend of calls
    const stopped = await checkpointer.getLatest('b1');
    expect(stopped).toMatchObject({
      status: 'over-budget',
      step: 1,
      next: ['left', 'right'],
      budget: { maxModelCalls: 4 },
      spent: { modelCalls: 4, toolCalls: 4 },
      error: { name: 'BudgetExceededError' },
    });
    // Another runner (as another process would) continues it with a larger budget.
    const later = new WorkflowRunner(workflow(counter, ran), {
      checkpointer: new SqliteCheckpointer({ path }),
    });
    const done = await later.resume('b1', { budget: { maxModelCalls: 20 } });
    expect(done.status).toBe('completed');
    expect(done.state.agentData).toMatchObject({ left: 'done', right: 'done', joined: true });
    // Both branches re-ran (neither had finished), and every call of both attempts is counted.
    expect(done.spent).toMatchObject({ modelCalls: 4 + 6, toolCalls: 4 + 4 });
    expect(ran.filter((n) => n === 'left')).toHaveLength(2);
  });

  it('a finished branch keeps its write: after the stop only the unfinished branch runs again', async () => {
    const counter = { calls: 0 };
    const ran: string[] = [];
    const checkpointer = new SqliteCheckpointer({ path: join(dir, 'kept.db') });
    const graph = new WorkflowGraph()
      .addNode('start', () => ({}))
      .addNode('cheap', () => {
        ran.push('cheap');
        return { agentData: { cheap: true } };
      })
      .addNode('costly', async () => {
        ran.push('costly');
        const llm = agentModel(3, counter);
        await llm.chat({ systemPrompt: 's', userMessage: 'x', tools: { ping } });
        return { agentData: { costly: true } };
      })
      .addEdge('start', 'cheap')
      .addEdge('start', 'costly')
      .addEdge('cheap', END)
      .addEdge('costly', END)
      .setEntryPoint('start')
      .compile({ name: 'kept' });
    const runner = new WorkflowRunner(graph, { checkpointer });
    await expect(
      runner.executeWorkflow({ userId: 'u', runId: 'k1', budget: { maxToolCalls: 1 } }),
    ).rejects.toSatisfy((e) => BudgetExceededError.isInstance(e) && e.limit === 'maxToolCalls');
    const done = await runner.resume('k1', { budget: { maxToolCalls: 10 } });
    expect(done.status).toBe('completed');
    expect(ran).toEqual(['cheap', 'costly', 'costly']);
  });

  it('every run reports what it spent; a call’s own budget failing is the node’s failure, not the run’s', async () => {
    const counter = { calls: 0 };
    const graph = new WorkflowGraph()
      .addNode('ask', async () => {
        const llm = agentModel(3, counter);
        await llm.chat({
          systemPrompt: 's',
          userMessage: 'x',
          tools: { ping },
          budget: { maxModelCalls: 1 },
        });
        return {};
      })
      .addEdge('ask', END)
      .setEntryPoint('ask')
      .compile({ name: 'own' });
    const result = await new WorkflowRunner(graph).executeWorkflow({ userId: 'u' });
    expect(result.status).toBe('failed');
    expect(NodeExecutionError.isInstance(result.error)).toBe(true);
    expect(result.spent).toMatchObject({ modelCalls: 1, toolCalls: 1, tokens: 15 });
  });
});

it('a runner’s pricing prices the calls of its nodes; the run’s maxCostUsd counts them', async () => {
  const llm = new ScriptedLLMClient(
    Array.from({ length: 5 }, () => ({
      text: 'ok',
      usage: { inputTokens: 1_000_000, outputTokens: 0 },
    })),
    { config: { model: 'gpt-4o' } },
  );
  const graph = new WorkflowGraph()
    .addNode('a', async () => {
      await llm.chat({ systemPrompt: 's', userMessage: 'x' });
      return {};
    })
    .addNode('b', async () => {
      await llm.chat({ systemPrompt: 's', userMessage: 'y' });
      return {};
    })
    .addEdge('a', 'b')
    .addEdge('b', END)
    .setEntryPoint('a')
    .compile({ name: 'priced' });
  const pricing = { 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 } };
  const runner = new WorkflowRunner(graph, { pricing });
  const result = await runner.executeWorkflow({ userId: 'u' });
  expect(result.spent).toMatchObject({ modelCalls: 2, costUsd: 5, unpricedCalls: 0 });
  const capped = await runner
    .executeWorkflow({ userId: 'u', budget: { maxCostUsd: 2 } })
    .catch((e: unknown) => e);
  expect(capped).toMatchObject({ limit: 'maxCostUsd', spent: { modelCalls: 1, costUsd: 2.5 } });
});
