/** Built-in tools, citations and shared reasoning through the one tool loop (any adapter). */
import { BaseLLMClient, InvalidInputError, type LLMStreamEvent, tool } from 'arshai';
import { ScriptedLLMClient, ScriptedModel } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const search = {
  id: 'ws_1',
  type: 'web_search_call',
  status: 'completed',
  sources: [{ url: 'https://example.com/a' }],
  item: { type: 'web_search_call', id: 'ws_1' },
};
const citation = { type: 'url' as const, url: 'https://example.com/a', startIndex: 0, endIndex: 4 };
const lookup = tool({
  description: 'Look up',
  parameters: z.object({ q: z.string() }),
  execute: async ({ q }) => `found ${q}`,
});
const script = () => [
  {
    reasoning: 'First I search.',
    builtinToolCalls: [search],
    toolCalls: [{ name: 'lookup', args: { q: 'a' } }],
  },
  { reasoning: 'Now I answer.', text: 'Done', citations: [citation] },
];
const input = {
  systemPrompt: '',
  userMessage: 'go',
  tools: { lookup },
  builtinTools: [{ type: 'web_search' }],
};

describe('built-in tools, citations and reasoning in results', () => {
  it('chat(): each turn’s built-in calls, the citations and the reasoning of every turn', async () => {
    const llm = new ScriptedLLMClient(script());
    const result = await llm.chat(input);
    expect(result.builtinToolCalls).toEqual([{ ...search, turn: 1 }]);
    expect(result.citations).toEqual([citation]);
    expect(result.reasoning).toBe('First I search.\n\nNow I answer.');
    expect(llm.model.calls.map((c) => c.builtinTools)).toEqual([
      [{ type: 'web_search' }],
      [{ type: 'web_search' }],
    ]);
  });

  it('stream(): the same result, and builtin-tool-call / citation events with their turn', async () => {
    const events: LLMStreamEvent[] = [];
    for await (const e of new ScriptedLLMClient(script()).stream(input)) events.push(e);
    expect(events.filter((e) => e.type === 'builtin-tool-call')).toEqual([
      { type: 'builtin-tool-call', call: search, turn: 1 },
    ]);
    expect(events.filter((e) => e.type === 'citation')).toEqual([
      { type: 'citation', citation, turn: 2 },
    ]);
    const finish = events.at(-1);
    expect(finish?.type === 'finish' && finish.result.reasoning).toBe(
      'First I search.\n\nNow I answer.',
    );
    expect(finish?.type === 'finish' && finish.result.builtinToolCalls).toHaveLength(1);
  });

  it('a plain call keeps them too; a result without any has none of the fields', async () => {
    const plain = await new ScriptedLLMClient([{ text: 'x', citations: [citation] }]).chat({
      systemPrompt: '',
      userMessage: 'q',
    });
    expect(plain.citations).toEqual([citation]);
    const bare = await new ScriptedLLMClient([{ text: 'x' }]).chat({
      systemPrompt: '',
      userMessage: 'q',
    });
    expect('citations' in bare || 'builtinToolCalls' in bare || 'reasoning' in bare).toBe(false);
  });

  it('an adapter without built-in tools refuses them before calling the model', async () => {
    const model = new ScriptedModel([{ text: 'never' }]);
    const adapter = {
      provider: 'plain',
      model: 'm',
      generate: model.generate.bind(model),
      stream: model.stream.bind(model),
    };
    const client = new BaseLLMClient(adapter, { model: 'm' });
    const error = await client
      .chat({ systemPrompt: '', userMessage: 'q', builtinTools: [{ type: 'web_search' }] })
      .catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/plain.*no built-in tools/);
    expect(model.calls).toHaveLength(0);
    const typeless = await new ScriptedLLMClient([{ text: 'x' }])
      .chat({ systemPrompt: '', userMessage: 'q', builtinTools: [{} as { type: string }] })
      .catch((e: unknown) => e);
    expect(typeless).toMatchObject({ field: 'builtinTools[0].type' });
  });
});
