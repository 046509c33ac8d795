import {
  AbortError,
  type Agent,
  AgentFailure,
  type AgentInput,
  AllAgentsFailedError,
  BaseAgent,
  DynamicRouter,
  EventDrivenOrchestrator,
  HierarchicalOrchestrator,
  InMemoryManager,
  MaxEventsExceededError,
  ParallelOrchestrator,
  PipelineStageError,
  RobustOrchestrator,
  SimplePipeline,
  StatefulOrchestrator,
  TimeoutError,
} from 'arshai';
import { MockAgent, ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';

/** An agent that records when it ran and waits `ms` (abortable). */
function timedAgent(
  name: string,
  ms: number,
  spans: Record<string, [number, number]>,
): Agent<string> {
  return {
    async process({ signal }) {
      const start = performance.now();
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          reject(signal.reason);
        });
      });
      spans[name] = [start, performance.now()];
      return `${name} done`;
    },
  };
}

describe('SimplePipeline', () => {
  it('serialises non-string outputs as JSON and names the failing stage', async () => {
    const first = new MockAgent<unknown>([{ output: { topic: 'AI', score: 3 } }]);
    const second = new MockAgent<string>((input) => `got ${input.message}`);
    expect(await new SimplePipeline([first, second]).execute('start')).toBe(
      'got {"topic":"AI","score":3}',
    );
    const failing = new MockAgent<string>([{ error: new Error('model down') }]);
    const error = await new SimplePipeline([second, failing, second])
      .execute('x')
      .catch((e: unknown) => e);
    expect(PipelineStageError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ stage: 1, message: expect.stringContaining('stage 1') });
    expect((error as Error).cause).toMatchObject({ message: 'model down' });
  });

  it('is abortable: the signal reaches the running stage and later stages never run', async () => {
    const controller = new AbortController();
    const slow = new MockAgent<string>([{ output: 'late', delayMs: 5_000 }]);
    const after = new MockAgent<string>(['never']);
    setTimeout(() => controller.abort(), 10);
    const error = await new SimplePipeline([slow, after])
      .execute('x', { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(after.callCount).toBe(0);
  });
});

describe('ParallelOrchestrator', () => {
  it('runs agents concurrently, keeps failures typed, times out and limits concurrency', async () => {
    const spans: Record<string, [number, number]> = {};
    const boom = new Error('boom', { cause: 'db' });
    const results = await new ParallelOrchestrator({
      a: timedAgent('a', 60, spans),
      b: timedAgent('b', 60, spans),
      c: timedAgent('c', 60, spans),
      broken: new MockAgent<string>([{ error: boom }]),
      slow: timedAgent('slow', 5_000, spans),
    }).execute('go', { timeoutMs: 200 });
    expect([results.a, results.b, results.c]).toEqual(['a done', 'b done', 'c done']);
    const starts = ['a', 'b', 'c'].map((k) => spans[k]?.[0] ?? 0);
    const ends = ['a', 'b', 'c'].map((k) => spans[k]?.[1] ?? 0);
    expect(Math.max(...starts)).toBeLessThan(Math.min(...ends)); // overlap
    expect(AgentFailure.is(results.broken) && results.broken.error).toBe(boom);
    expect(AgentFailure.is(results.slow) && TimeoutError.isInstance(results.slow.error)).toBe(true);
    expect(spans.slow).toBeUndefined(); // aborted, never finished

    let active = 0;
    let peak = 0;
    const counting: Agent<string> = {
      async process() {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
        return 'ok';
      },
    };
    await new ParallelOrchestrator({ a: counting, b: counting, c: counting, d: counting }).execute(
      'x',
      { concurrency: 2 },
    );
    expect(peak).toBe(2);
  });
});

class Described extends BaseAgent<string> {
  async process(input: AgentInput) {
    return `${this.systemPrompt.split(' ')[1]} answered: ${input.message}`;
  }
}

describe('DynamicRouter', () => {
  const agents = () => {
    const llm = new ScriptedLLMClient([]);
    return {
      technical: new Described(llm, 'Handle technical questions'),
      sales: new Described(llm, 'Handle sales inquiries'),
      support: new Described(llm, 'Handle support requests'),
    };
  };

  it('routes with structured output constrained to the agent names, context in the prompt', async () => {
    const llm = new ScriptedLLMClient([{ object: { agent: '"Sales."' } }]);
    const decisions: unknown[] = [];
    const router = new DynamicRouter(llm, agents(), { onDecision: (d) => decisions.push(d) });
    expect(await router.execute('What does the pro plan cost?', 'Customer on the free plan')).toBe(
      'sales answered: What does the pro plan cost?',
    );
    const call = llm.calls[0];
    expect(call?.messages[0]?.content).toContain('Context: Customer on the free plan');
    expect(call?.messages[0]?.content).toContain('- sales: Handle sales inquiries');
    expect(call?.responseFormat).toMatchObject({
      properties: { agent: { enum: ['technical', 'sales', 'support'] } },
    });
    expect(decisions).toEqual([{ agent: 'sales', source: 'llm', rawChoice: 'sales' }]);
  });

  it('falls back to the default agent on an unknown choice, recording why; a failed routing call propagates', async () => {
    const unknown = new ScriptedLLMClient([{ text: 'billing' }, { text: 'billing again' }]);
    const router = new DynamicRouter(unknown, agents(), { defaultAgent: 'support' });
    const { output, decision } = await router.run('Help');
    expect(output).toBe('support answered: Help');
    expect(decision).toMatchObject({ agent: 'support', source: 'fallback' });
    expect(decision.error?.name).toBe('StructuredOutputError');

    const down = new ScriptedLLMClient([{ error: new Error('LLM down') }], { retry: false });
    const routed = agents();
    const decided: unknown[] = [];
    const router2 = new DynamicRouter(down, routed, { onDecision: (d) => decided.push(d) });
    const failure = await router2.execute('Help').catch((e: unknown) => e);
    expect((failure as Error).message).toContain('LLM down');
    expect(decided).toEqual([]);

    const plain = new ScriptedLLMClient([{ text: 'Technical' }, { text: 'technical.' }]);
    expect((await new DynamicRouter(plain, agents()).route('x')).agent).toBe('technical');
  });
});

describe('StatefulOrchestrator', () => {
  it('persists count and history; the context window reaches the agent', async () => {
    const agent = new MockAgent<string>((input) => `reply to ${input.message}`);
    const memory = new InMemoryManager();
    const chat = new StatefulOrchestrator(agent, memory, { historyWindow: 1 });
    await chat.execute('u1', 'c1', 'first');
    await chat.execute('u1', 'c1', 'second');
    const state = await chat.getState('u1', 'c1');
    expect(state?.interactionCount).toBe(2);
    expect(state?.history.map((h) => ('message' in h ? h.message : h.response))).toEqual([
      'first',
      'reply to first',
      'second',
      'reply to second',
    ]);
    expect(agent.inputs[1]?.metadata).toMatchObject({
      interactionCount: 2,
      context: 'Assistant: reply to first\nUser: second',
    });
    // Another user on the same conversation id has a state of its own.
    await chat.execute('u2', 'c1', 'hello');
    expect((await chat.getState('u2', 'c1'))?.interactionCount).toBe(1);
  });

  it('serialises 100 concurrent calls on one conversation, losing none', async () => {
    let running = 0;
    let overlap = false;
    const agent: Agent<string> = {
      async process({ message }) {
        if (++running > 1) overlap = true;
        await new Promise((r) => setTimeout(r, 1));
        running--;
        return `ok ${message}`;
      },
    };
    const chat = new StatefulOrchestrator(agent, new InMemoryManager(), { maxHistory: 1000 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => chat.execute('u', 'busy', `m${i}`)));
    const state = await chat.getState('u', 'busy');
    expect(state?.interactionCount).toBe(100);
    expect(state?.history).toHaveLength(200);
    expect(overlap).toBe(false);
  });
});

describe('HierarchicalOrchestrator', () => {
  it('exposes specialists as use_<name>_specialist tools, runs them concurrently, reports errors', async () => {
    const spans: Record<string, [number, number]> = {};
    const research = timedAgent('research', 80, spans);
    const math = timedAgent('math', 80, spans);
    const writing = new MockAgent<string>([{ error: new Error('writer unavailable') }]);
    const master = new ScriptedLLMClient([
      {
        toolCalls: [
          { name: 'use_research_specialist', args: { query: 'AI trends' } },
          { name: 'use_math_specialist', args: { query: 'market size' } },
          { name: 'use_writing_specialist', args: { query: 'summary' } },
        ],
      },
      { text: 'Summary without the writer.' },
    ]);
    const team = new HierarchicalOrchestrator(
      master,
      { research, math, writing },
      { descriptions: { research: 'finds facts' } },
    );
    expect(await team.execute('Research, size, write')).toBe('Summary without the writer.');
    expect(master.calls[0]?.tools.map((t) => t.name)).toEqual([
      'use_research_specialist',
      'use_math_specialist',
      'use_writing_specialist',
    ]);
    expect(master.calls[0]?.tools[0]?.description).toBe(
      'Use the research specialist for: finds facts',
    );
    const [r, m] = [spans.research ?? [0, 0], spans.math ?? [0, 0]] as [
      [number, number],
      [number, number],
    ];
    expect(Math.max(r[0], m[0])).toBeLessThan(Math.min(r[1], m[1]));
    const results = master.calls[1]?.messages.filter((msg) => msg.role === 'tool');
    expect(results?.map((t) => [t.content, t.role === 'tool' && t.isError === true])).toEqual([
      ['research done', false],
      ['math done', false],
      ['Error: writer unavailable', true],
    ]);
  });
});

describe('EventDrivenOrchestrator', () => {
  it('links caused events, turns a throwing handler into an error event, keeps siblings running', async () => {
    const bus = new EventDrivenOrchestrator();
    const agent = new MockAgent<string>(['Hi there']);
    const seen: string[] = [];
    bus.registerHandler('user_message', async (event) => {
      const response = await agent.process({ message: String(event.data.message) });
      await bus.emitEvent({ type: 'agent_response', data: { response } });
    });
    bus.registerHandler('user_message', () => {
      throw new Error('audit log offline');
    });
    bus.registerHandler('user_message', () => {
      seen.push('sibling ran');
    });
    bus.registerHandler('agent_response', (event) => {
      seen.push(String(event.data.response));
    });
    const history = await bus.execute({ type: 'user_message', data: { message: 'Hello!' } });
    expect(history.map((e) => e.type)).toEqual(['user_message', 'agent_response', 'error']);
    const [first, response, error] = history;
    expect(response?.causedBy).toBe(first?.id);
    expect(error?.causedBy).toBe(first?.id);
    expect(error?.data).toMatchObject({ message: 'audit log offline', eventType: 'user_message' });
    expect(first?.causedBy).toBeUndefined();
    expect(typeof first?.timestamp).toBe('string');
    expect(seen).toEqual(['Hi there', 'sibling ran']);
  });

  it('stops an infinite cascade with MaxEventsExceededError', async () => {
    const bus = new EventDrivenOrchestrator({ maxEvents: 50 });
    bus.registerHandler('ping', async () => {
      await bus.emitEvent({ type: 'ping', data: {} });
    });
    const error = await bus.execute({ type: 'ping', data: {} }).catch((e: unknown) => e);
    expect(MaxEventsExceededError.isInstance(error)).toBe(true);
    expect(bus.eventHistory).toHaveLength(50);
  });
});

describe('RobustOrchestrator', () => {
  it('retries the primary with backoff, then falls back in order', async () => {
    const primary = new MockAgent<string>([
      { error: new Error('p1') },
      { error: new Error('p2') },
      { error: new Error('p3') },
    ]);
    const fallback0 = new MockAgent<string>([{ error: new Error('f0') }]);
    const fallback1 = new MockAgent<string>(['from fallback 1']);
    const outcome = await new RobustOrchestrator(primary, [fallback0, fallback1]).execute('task', {
      maxRetries: 2,
      retryDelay: 1,
    });
    expect(outcome).toMatchObject({ result: 'from fallback 1', agent: 'fallback_1', attempts: 5 });
    expect(outcome.originalError?.message).toBe('p3');
    expect(outcome.errors.map((e) => `${e.agent}#${e.attempt}:${e.error.message}`)).toEqual([
      'primary#1:p1',
      'primary#2:p2',
      'primary#3:p3',
      'fallback_0#1:f0',
    ]);
    expect([primary.callCount, fallback0.callCount, fallback1.callCount]).toEqual([3, 1, 1]);
  });

  it('makes one attempt with maxRetries 0 and fails typed when every agent fails', async () => {
    const primary = new MockAgent<string>([{ error: new Error('down') }]);
    const error = await new RobustOrchestrator(primary)
      .execute('x', { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(primary.callCount).toBe(1);
    expect(AllAgentsFailedError.isInstance(error) && error.errors).toHaveLength(1);
    const ok = new MockAgent<string>(['fine']);
    expect(await new RobustOrchestrator(ok).execute('x', { maxRetries: 0 })).toMatchObject({
      agent: 'primary',
      attempts: 1,
      errors: [],
    });
  });

  it("times out an attempt by aborting the agent's LLM call", async () => {
    const llm = new ScriptedLLMClient([{ text: 'too slow', delayMs: 5_000 }, { text: 'fast' }]);
    class LlmAgent extends BaseAgent<string> {
      async process(input: AgentInput) {
        return (
          await this.llmClient.chat({
            systemPrompt: this.systemPrompt,
            userMessage: input.message,
            signal: input.signal,
          })
        ).llmResponse;
      }
    }
    const agent = new LlmAgent(llm, 'answer');
    const outcome = await new RobustOrchestrator(agent).execute('q', {
      maxRetries: 1,
      retryDelay: 1,
      timeoutMs: 50,
    });
    expect(outcome).toMatchObject({ result: 'fast', attempts: 2 });
    expect(TimeoutError.isInstance(outcome.errors[0]?.error)).toBe(true);
    // The first model call was cut short by the timeout: it ended before the retry began.
    const [first, second] = llm.calls;
    expect(first?.endedAt).toBeDefined();
    expect(first?.endedAt ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(second?.startedAt ?? 0);
  });
});

describe('patterns compose as agents', () => {
  it('every pattern is an Agent: nested in a pipeline, and run by AgentNode in a workflow', async () => {
    const { AgentNode, END: end, WorkflowGraph, WorkflowRunner } = await import('arshai');
    const views = new ParallelOrchestrator({
      tone: new MockAgent(['warm']),
      topic: new MockAgent(['billing']),
    });
    const inner = new SimplePipeline([views, new MockAgent<string>((i) => `draft(${i.message})`)]);
    const outer = new SimplePipeline([inner, new MockAgent<string>((i) => `final ${i.message}`)]);
    expect(await outer.execute('x')).toBe('final draft({"tone":"warm","topic":"billing"})');

    const chat = new StatefulOrchestrator(
      new MockAgent<string>((i) => `#${i.metadata?.interactionCount}`),
      new InMemoryManager(),
    );
    await expect(chat.process({ message: 'hi' })).rejects.toMatchObject({
      field: 'metadata.userId',
    });
    expect(
      await chat.process({ message: 'hi', metadata: { userId: 'u', conversationId: 'c' } }),
    ).toBe('#1');

    const bus = new EventDrivenOrchestrator();
    const events = await bus.process({ message: 'hello', metadata: { eventType: 'greeting' } });
    expect(events.map((e) => [e.type, e.data.message])).toEqual([['greeting', 'hello']]);

    const workflow = new WorkflowGraph()
      .addNode('team', new AgentNode(outer))
      .addEdge('team', end)
      .setEntryPoint('team')
      .compile();
    const result = await new WorkflowRunner(workflow).executeWorkflow({
      userId: 'u',
      inputData: 'x',
    });
    expect(result.state.agentData.team).toBe('final draft({"tone":"warm","topic":"billing"})');
  });
});

describe('StatefulOrchestrator history on ConversationHistory', () => {
  it('keeps maxHistory interactions, reads states stored inline by earlier versions, and stays apart from the agent’s own history', async () => {
    const memory = new InMemoryManager();
    const agent = new MockAgent<string>((i) => `re: ${i.message}`);
    const chat = new StatefulOrchestrator(agent, memory, { maxHistory: 2, historyWindow: 1 });
    for (const m of ['a', 'b', 'c']) await chat.execute('u', 'c1', m);
    const state = await chat.getState('u', 'c1');
    expect(state?.interactionCount).toBe(3);
    expect(state?.history.map((h) => ('message' in h ? h.message : h.response))).toEqual([
      'b',
      're: b',
      'c',
      're: c',
    ]);
    const { ConversationHistory } = await import('arshai');
    expect(await new ConversationHistory(memory).messages('c1', 10, { userId: 'u' })).toEqual([]);

    // A state record of an earlier version, history inline: still read, and the context uses it.
    await memory.store({
      conversationId: 'old',
      type: 'working',
      id: 'orchestration-state.u',
      content: {
        conversationId: 'old',
        userId: 'u',
        interactionCount: 1,
        history: [
          { message: 'from before', timestamp: '2026-01-01T00:00:00.000Z' },
          { response: 'old reply', timestamp: '2026-01-01T00:00:01.000Z' },
        ],
        context: {},
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    });
    await chat.execute('u', 'old', 'new question');
    expect(agent.inputs.at(-1)?.metadata?.context).toBe('Assistant: old reply\nUser: new question');
    const upgraded = await chat.getState('u', 'old');
    expect(upgraded?.interactionCount).toBe(2);
    expect(upgraded?.history.map((h) => ('message' in h ? h.message : h.response))).toEqual([
      'from before',
      'old reply',
      'new question',
      're: new question',
    ]);
  });
});
