import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChatAgent,
  ConversationHistory,
  END,
  EventDrivenOrchestrator,
  InMemoryCheckpointer,
  InMemoryManager,
  InvalidInputError,
  InvalidNodeUpdateError,
  type MemoryManager,
  SqliteMemoryManager,
  StatefulOrchestrator,
  WorkflowGraph,
  WorkflowRunner,
  WorkingMemoryAgent,
} from 'arshai';
import { RedisCheckpointer, RedisMemoryManager } from 'arshai/redis';
import { ScriptedLLMClient } from 'arshai/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-tenancy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const url = inject('redisUrl');
let n = 0;
const backends: Array<[string, () => MemoryManager]> = [
  ['InMemoryManager', () => new InMemoryManager()],
  ['SqliteMemoryManager', () => new SqliteMemoryManager({ path: join(dir, `m${++n}.db`) })],
  [
    'RedisMemoryManager',
    () => new RedisMemoryManager({ url, keyPrefix: `tenancy-${process.pid}-${++n}` }),
  ],
];

const SECRET = 'ALICE-SECRET: my PIN is ALICE-1234';

describe.each(backends)('one user never sees another’s conversation (%s)', (_name, create) => {
  it('ChatAgent under StatefulOrchestrator: two users sharing a conversation id', async () => {
    const memory = create();
    const llm = new ScriptedLLMClient([
      { text: 'Noted, your PIN is ALICE-1234.' },
      { text: 'Hello Bob.' },
    ]);
    const agent = new ChatAgent(llm, 'You are a bank assistant.', {
      history: new ConversationHistory(memory),
    });
    const chat = new StatefulOrchestrator(agent, memory);
    await chat.execute('alice', 'shared-conversation', SECRET);
    await chat.execute('bob', 'shared-conversation', 'What is my PIN?');
    const bobsCall = JSON.stringify(llm.calls[1]);
    expect(bobsCall).not.toContain('ALICE');
    expect(llm.calls[1]?.messages).toEqual([{ role: 'user', content: 'What is my PIN?' }]);
    // Alice still has her own history.
    const history = new ConversationHistory(memory);
    const alices = await history.messages('shared-conversation', 10, { userId: 'alice' });
    expect(alices.map((m) => m.content)).toEqual([SECRET, 'Noted, your PIN is ALICE-1234.']);
    expect(await history.messages('shared-conversation', 10)).toEqual([]); // no user: none of theirs
    await memory.close();
  });

  it('WorkingMemoryAgent under StatefulOrchestrator: bob’s prompt never holds alice’s memory', async () => {
    const memory = create();
    const llm = new ScriptedLLMClient([
      { text: 'Noted.' },
      { text: `The user said: ${SECRET}` }, // alice's memory rewrite
      { text: 'Hello Bob.' },
      { text: 'Bob said hello.' },
    ]);
    const agent = new WorkingMemoryAgent(llm, 'You are a bank assistant.', { memory });
    const chat = new StatefulOrchestrator(agent, memory);
    await chat.execute('alice', 'shared-conversation', SECRET);
    await chat.execute('bob', 'shared-conversation', 'Hi');
    expect(llm.calls[2]?.systemPrompt).not.toContain('ALICE');
    expect(llm.calls[2]?.systemPrompt).toContain('(empty)');
    expect(await agent.workingMemory('shared-conversation', undefined, 'alice')).toContain(
      'ALICE-1234',
    );
    expect(await agent.workingMemory('shared-conversation', undefined, 'bob')).toBe(
      'Bob said hello.',
    );
    await memory.close();
  });

  it('a filter named like an Object member matches stored data only', async () => {
    const memory = create();
    await memory.store({
      conversationId: 'c',
      type: 'long-term',
      content: 'a',
      metadata: { kind: 'x' },
    });
    const hostile = JSON.parse('{"__proto__": {}}') as Record<string, unknown>;
    expect(await memory.retrieve({ conversationId: 'c', filters: hostile })).toEqual([]);
    expect(
      await memory.retrieve({ conversationId: 'c', filters: { constructor: Object } }),
    ).toEqual([]);
    expect(await memory.retrieve({ conversationId: 'c', filters: { kind: 'x' } })).toHaveLength(1);
    await memory.close();
  });
});

describe('tenancy elsewhere', () => {
  it('EventDrivenOrchestrator: bob never receives alice’s events', async () => {
    const bus = new EventDrivenOrchestrator();
    bus.registerHandler('message', async (e) => {
      await new Promise((r) => setTimeout(r, e.data.user === 'alice' ? 20 : 0));
      await bus.emitEvent({
        type: 'reply',
        data: { user: e.data.user, text: `for ${e.data.user}` },
      });
    });
    const [alice, bob] = await Promise.all([
      bus.execute({ type: 'message', data: { user: 'alice', secret: SECRET } }),
      bus.execute({ type: 'message', data: { user: 'bob' } }),
    ]);
    expect(JSON.stringify(bob)).not.toContain('alice');
    expect(alice.every((e) => e.data.user === 'alice')).toBe(true);
  });

  it('workflow state keys named like Object members are data; __proto__ is refused, naming the node', async () => {
    const parsed = JSON.parse('{"constructor":"c","hasOwnProperty":1,"valueOf":2,"toString":3}');
    const checkpointer = new InMemoryCheckpointer();
    const graph = new WorkflowGraph()
      .addNode('parse', () => parsed)
      .addNode('again', () => ({ valueOf: 20 }) as never)
      .addEdge('parse', 'again')
      .addEdge('again', END)
      .setEntryPoint('parse');
    const runner = new WorkflowRunner(graph.compile(), { checkpointer });
    const result = await runner.executeWorkflow({ userId: 'u' });
    expect(result.status).toBe('completed');
    const state = result.state as unknown as Record<string, unknown>;
    expect([state.constructor, state.hasOwnProperty, state.valueOf, state.toString]).toEqual([
      'c',
      1,
      20,
      3,
    ]);
    expect((await checkpointer.getLatest(result.runId))?.status).toBe('completed');

    const proto = new WorkflowGraph()
      .addNode('evil', () => JSON.parse('{"__proto__": {"polluted": true}}'))
      .addEdge('evil', END)
      .setEntryPoint('evil');
    const refused = await new WorkflowRunner(proto.compile()).executeWorkflow({ userId: 'u' });
    expect(refused.status).toBe('failed');
    expect(InvalidNodeUpdateError.isInstance((refused.error as Error).cause)).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('Redis key layouts are injective: prefixes get a separator, run ids are checked', async () => {
    const a = new RedisMemoryManager({ url, keyPrefix: `t${process.pid}`, namespace: '2acme' });
    const b = new RedisMemoryManager({ url, keyPrefix: `t${process.pid}2`, namespace: 'acme' });
    await a.store({ conversationId: 'c', type: 'long-term', content: 'from tenant 2acme' });
    expect(await b.retrieve({ conversationId: 'c' })).toEqual([]);
    await Promise.all([a.close(), b.close()]);

    const checkpoints = new RedisCheckpointer({ url, keyPrefix: `ck${process.pid}:` });
    await expect(checkpoints.getLatest('run:y')).rejects.toBeInstanceOf(InvalidInputError);
    const graph = new WorkflowGraph()
      .addNode('a', () => ({}))
      .addEdge('a', END)
      .setEntryPoint('a');
    const runner = new WorkflowRunner(graph.compile(), { checkpointer: checkpoints });
    await expect(runner.executeWorkflow({ userId: 'u', runId: 'run:y' })).rejects.toMatchObject({
      field: 'runId',
    });
    await expect(runner.resume('run:y')).rejects.toMatchObject({ field: 'runId' });
    await checkpoints.close();
  });
});

describe('ids that are not well-formed text', () => {
  it('are refused for every id a store keys by: run, user, conversation, namespace', async () => {
    const { InMemoryManager: Memory } = await import('arshai');
    const graph = new WorkflowGraph()
      .addNode('a', () => ({}))
      .addEdge('a', END)
      .setEntryPoint('a');
    const runner = new WorkflowRunner(graph.compile(), {
      checkpointer: new InMemoryCheckpointer(),
    });
    await expect(
      runner.executeWorkflow({ userId: 'u', runId: 'order-\ud800' }),
    ).rejects.toMatchObject({ field: 'runId' });
    await expect(runner.executeWorkflow({ userId: 'ann-\udc00' })).rejects.toMatchObject({
      field: 'userId',
    });
    // A whole surrogate pair (an emoji) is well-formed text.
    expect((await runner.executeWorkflow({ userId: 'ann-\ud83d\ude00' })).status).toBe('completed');
    const memory = new Memory();
    await expect(
      memory.store({ conversationId: 'c-\ud83d', type: 'working', content: 1 }),
    ).rejects.toMatchObject({
      field: 'conversationId',
    });
    expect(() => new Memory({ namespace: 'ns-\udc00' })).toThrow(InvalidInputError);
  });
});
