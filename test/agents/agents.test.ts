import {
  AbortError,
  type AgentInput,
  BaseAgent,
  ChatAgent,
  ConversationHistory,
  InMemoryManager,
  InvalidInputError,
  tool,
  WorkingMemoryAgent,
} from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

describe('BaseAgent', () => {
  it('keeps the SPEC contract: llmClient, systemPrompt, config, process', async () => {
    class Upper extends BaseAgent<{ upper: string }> {
      async process(input: AgentInput) {
        const { llmResponse } = await this.llmClient.chat({
          systemPrompt: this.systemPrompt,
          userMessage: input.message,
        });
        return { upper: llmResponse.toUpperCase() };
      }
    }
    const llm = new ScriptedLLMClient([{ text: 'hello' }]);
    const agent = new Upper(llm, 'Echo', { mode: 'loud' });
    expect(await agent.process({ message: 'hi' })).toEqual({ upper: 'HELLO' });
    // The agent's prompt and message reached its model as the system prompt and user turn.
    expect(llm.calls[0]).toMatchObject({
      systemPrompt: 'Echo',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(agent.config).toEqual({ mode: 'loud' });
    llm.assertConsumed();
  });
});

describe('ChatAgent', () => {
  it('answers with tools and remembers the conversation through the history store', async () => {
    const lookup = tool({
      description: 'Order status',
      parameters: z.object({ id: z.string() }),
      execute: ({ id }) => `${id}: shipped`,
    });
    const llm = new ScriptedLLMClient([
      { toolCalls: [{ id: 't1', name: 'lookup', args: { id: 'A1' } }] },
      { text: 'Order A1 has shipped.' },
      { text: 'You asked about A1.' },
    ]);
    const history = new ConversationHistory(new InMemoryManager());
    const agent = new ChatAgent(llm, 'Support', { tools: { lookup }, history });
    expect(
      await agent.process({ message: 'Where is A1?', metadata: { conversationId: 'c1' } }),
    ).toBe('Order A1 has shipped.');
    expect(
      await agent.process({ message: 'What did I ask?', metadata: { conversationId: 'c1' } }),
    ).toBe('You asked about A1.');
    // The second call saw the whole first exchange, natively.
    expect(llm.calls[2]?.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
    expect(llm.calls[2]?.messages[0]).toEqual({ role: 'user', content: 'Where is A1?' });
    // Another conversation sees nothing of it.
    llm.push({ text: 'Hello!' });
    await agent.process({ message: 'Hi', metadata: { conversationId: 'c2' } });
    expect(llm.calls[3]?.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('streams and remembers when the stream finishes; passes the abort signal', async () => {
    const llm = new ScriptedLLMClient([
      { chunks: ['Hel', 'lo'] },
      { text: 'late', delayMs: 5_000 },
    ]);
    const history = new ConversationHistory(new InMemoryManager());
    const agent = new ChatAgent(llm, 'Greeter', { history });
    let text = '';
    for await (const e of agent.stream({ message: 'Hi', metadata: { conversationId: 'c' } })) {
      if (e.type === 'text-delta') text += e.text;
    }
    expect(text).toBe('Hello');
    expect(await history.messages('c')).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    await expect(
      agent.process({ message: 'x', metadata: { conversationId: 'c' }, signal: controller.signal }),
    ).rejects.toSatisfy((e) => AbortError.isInstance(e));
  });
});

describe('WorkingMemoryAgent', () => {
  it('updates the working memory after each exchange; the next turn sees it', async () => {
    const llm = new ScriptedLLMClient([
      { text: 'Japan in spring is lovely.' },
      { text: 'User wants to visit Japan in spring.' },
      { text: 'Kyoto fits a spring trip.' },
      { text: 'User wants to visit Japan in spring; suggested Kyoto.' },
    ]);
    const memory = new InMemoryManager();
    const agent = new WorkingMemoryAgent(llm, 'You are a travel assistant.', { memory });
    const meta = { conversationId: 'trip-1' };
    expect(
      await agent.process({ message: 'I want to visit Japan in spring', metadata: meta }),
    ).toBe('Japan in spring is lovely.');
    expect(await agent.workingMemory('trip-1')).toBe('User wants to visit Japan in spring.');
    await agent.process({ message: 'Which city?', metadata: meta });
    // The second answer's prompt carries what the first exchange stored.
    expect(llm.calls[2]?.systemPrompt).toContain(
      'Working memory of this conversation:\nUser wants to visit Japan in spring.',
    );
    expect(llm.calls[3]?.messages[0]?.content).toContain(
      'User: Which city?\nAssistant: Kyoto fits a spring trip.',
    );
    expect(await agent.workingMemory('trip-1')).toBe(
      'User wants to visit Japan in spring; suggested Kyoto.',
    );
    llm.assertConsumed();
  });

  it('requires a conversation id', async () => {
    const agent = new WorkingMemoryAgent(new ScriptedLLMClient([]), 's', {
      memory: new InMemoryManager(),
    });
    await expect(agent.process({ message: 'x' })).rejects.toBeInstanceOf(InvalidInputError);
  });
});
