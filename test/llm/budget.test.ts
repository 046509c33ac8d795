import { BudgetExceededError, findPrice, InvalidInputError, tool, withBudget } from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const input = { systemPrompt: 'Be brief.', userMessage: 'Go' };
const ping = tool({
  description: 'Ping',
  parameters: z.object({}),
  execute: async () => 'pong',
});
/** A model that calls `ping` every turn, ten turns long. */
const looping = () =>
  new ScriptedLLMClient(
    Array.from({ length: 10 }, () => ({ toolCalls: [{ name: 'ping', args: {} }] })),
  );

describe('budgets', () => {
  it('a tool loop that would make 10 model calls stops before the 4th with maxModelCalls: 3', async () => {
    const llm = looping();
    const error = await llm
      .chat({ ...input, tools: { ping }, budget: { maxModelCalls: 3 } })
      .catch((e: unknown) => e);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      limit: 'maxModelCalls',
      budget: { maxModelCalls: 3 },
      spent: { modelCalls: 3, toolCalls: 3, tokens: 45 },
      retryable: false,
    });
    expect((error as Error).message).toContain('3 of 3 model calls');
    expect(llm.calls).toHaveLength(3);
  });

  it('maxTokens stops before the call after the one that crossed it (overspend: one call)', async () => {
    const llm = looping();
    const error = await llm
      .chat({ ...input, tools: { ping }, budget: { maxTokens: 40 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ limit: 'maxTokens', spent: { tokens: 45, modelCalls: 3 } });
    expect(llm.calls).toHaveLength(3);
  });

  it('maxToolCalls: a call past it never runs', async () => {
    let ran = 0;
    const counted = tool({
      description: 'Counts',
      parameters: z.object({}),
      execute: async () => {
        ran++;
        return 'ok';
      },
    });
    const llm = new ScriptedLLMClient([
      { toolCalls: [1, 2, 3].map(() => ({ name: 'counted', args: {} })) },
      { text: 'done' },
    ]);
    const error = await llm
      .chat({ ...input, tools: { counted }, budget: { maxToolCalls: 2 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ limit: 'maxToolCalls', spent: { toolCalls: 2 } });
    expect(ran).toBeLessThanOrEqual(2);
  });

  it('withBudget shares one budget across calls and clients, nested in the call’s own; streams too', async () => {
    const a = new ScriptedLLMClient([{ text: 'one' }, { text: 'two' }]);
    const b = new ScriptedLLMClient([{ text: 'three' }, { text: 'four' }]);
    const { result, spent } = await withBudget({ maxModelCalls: 3 }, async () => {
      await a.chat(input);
      for await (const _ of b.stream(input));
      return (await a.chat({ ...input, budget: { maxModelCalls: 5 } })).llmResponse;
    });
    expect(result).toBe('two');
    expect(spent).toMatchObject({ modelCalls: 3, tokens: 45 });
    const over = await withBudget({ maxModelCalls: 3 }, async () => {
      await b.chat(input); // the 4th call overall for b's script: within this new budget
      await b.chat({ ...input, budget: { maxModelCalls: 0 } });
    }).catch((e: unknown) => e);
    expect(over).toMatchObject({ limit: 'maxModelCalls', budget: { maxModelCalls: 0 } });
  });

  it('a call one budget refuses is counted by none of the budgets around it', async () => {
    const llm = new ScriptedLLMClient([{ text: 'x' }]);
    const outer = await withBudget({ maxModelCalls: 5 }, async () => {
      await llm.chat({ ...input, budget: { maxModelCalls: 0 } }).catch(() => undefined);
    });
    expect(outer.spent.modelCalls).toBe(0);
    expect(llm.calls).toHaveLength(0);
  });

  it('refuses a malformed budget by name', async () => {
    const llm = new ScriptedLLMClient([{ text: 'x' }]);
    await expect(llm.chat({ ...input, budget: { maxTokens: -1 } })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'budget.maxTokens',
    );
    await expect(llm.chat({ ...input, budget: { maxDollars: 1 } as never })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'budget.maxDollars',
    );
    expect(llm.calls).toHaveLength(0);
  });
});

describe('pricing and cost', () => {
  const pricing = {
    'gpt-4o': { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 },
    'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
  };

  it('matches models across provider prefixes and dated suffixes', () => {
    expect(findPrice(pricing, 'gpt-4o')).toBe(pricing['gpt-4o']);
    expect(findPrice(pricing, 'openai/gpt-4o-2024-08-06')).toBe(pricing['gpt-4o']);
    expect(findPrice(pricing, 'claude-3-5-haiku-20241022')).toBe(pricing['claude-3-5-haiku']);
    expect(findPrice(pricing, 'claude-3-5-haiku@20241022')).toBe(pricing['claude-3-5-haiku']);
    expect(findPrice(pricing, 'gpt-4o-mini')).toBeUndefined();
    expect(findPrice(pricing, 'constructor')).toBeUndefined();
  });

  it('prices every call (cached tokens at their own price); a provider-reported cost wins; unknown models are unpriced, not free', async () => {
    const llm = new ScriptedLLMClient(
      [
        { text: 'a', usage: { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 100 } },
        { text: 'b', usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.5 } },
      ],
      { config: { model: 'openai/gpt-4o-2024-08-06' }, pricing },
    );
    const first = await llm.chat(input);
    expect(first.usage.costUsd).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 100 * 10) / 1e6, 12);
    expect(first.usage.unpriced).toBeUndefined();
    expect((await llm.chat(input)).usage.costUsd).toBe(0.5);

    const unknown = new ScriptedLLMClient([{ text: 'c' }], {
      config: { model: 'mystery' },
      pricing,
    });
    const { usage } = await unknown.chat(input);
    expect(usage.costUsd).toBeUndefined();
    expect(usage.unpriced).toBe(1);
    const none = new ScriptedLLMClient([{ text: 'd' }]);
    expect((await none.chat(input)).usage).not.toHaveProperty('unpriced');
  });

  it('maxCostUsd stops a priced loop; costs sum over turns', async () => {
    const llm = new ScriptedLLMClient(
      Array.from({ length: 10 }, () => ({
        toolCalls: [{ name: 'ping', args: {} }],
        usage: { inputTokens: 100_000, outputTokens: 0 },
      })),
      { config: { model: 'gpt-4o' }, pricing },
    );
    const error = await llm
      .chat({ ...input, tools: { ping }, budget: { maxCostUsd: 0.6 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ limit: 'maxCostUsd', spent: { modelCalls: 3 } });
    expect((error as BudgetExceededError).spent.costUsd).toBeCloseTo(0.75, 10);
  });
});
