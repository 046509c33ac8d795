import {
  AbortError,
  type Agent,
  type AgentInput,
  BaseAgent,
  compose,
  DynamicRouter,
  EventDrivenOrchestrator,
  InMemoryManager,
  retryPolicy,
  SimplePipeline,
  StatefulOrchestrator,
  TimeoutError,
  timeoutPolicy,
  withFallback,
  withResilience,
} from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';

/** An agent that never looks at its signal: it answers only when `release()` is called. */
function deafAgent(answer = 'late answer') {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const calls: AgentInput[] = [];
  let finished = 0;
  const agent: Agent<string> = {
    async process(input) {
      calls.push(input);
      await gate;
      finished++;
      return answer;
    },
  };
  return {
    agent,
    calls,
    release,
    get finished() {
      return finished;
    },
  };
}

/** The README's Greeter: it does not pass `input.signal` on. */
class Greeter extends BaseAgent<string> {
  async process(input: AgentInput): Promise<string> {
    const { llmResponse } = await this.llmClient.chat({
      systemPrompt: this.systemPrompt,
      userMessage: input.message,
    });
    return llmResponse;
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('cancellation always stops the caller’s wait', () => {
  it('SimplePipeline rejects with AbortError while a deaf agent is still running', async () => {
    const deaf = deafAgent();
    const ac = new AbortController();
    const pending = new SimplePipeline([deaf.agent]).execute('x', { signal: ac.signal });
    await Promise.resolve();
    ac.abort();
    const error = await rejection(pending);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(deaf.finished).toBe(0);
    deaf.release();
  });

  it('SimplePipeline with the README Greeter and AbortSignal.timeout rejects before the model answers', async () => {
    const llm = new ScriptedLLMClient([{ text: 'Hello', delayMs: 2_000 }]);
    const greeter = new Greeter(llm, 'Greet.');
    const error = await rejection(
      new SimplePipeline([greeter]).execute('x', { signal: AbortSignal.timeout(50) }),
    );
    expect(AbortError.isInstance(error)).toBe(true);
  });

  it('DynamicRouter: an abort during the routing call or the chosen agent is a typed AbortError', async () => {
    const deaf = deafAgent();
    const llm = new ScriptedLLMClient([{ object: { agent: 'deaf' } }]);
    const router = new DynamicRouter(llm, { deaf: deaf.agent });
    const ac = new AbortController();
    const pending = router.execute('x', undefined, { signal: ac.signal });
    while (deaf.calls.length === 0) await new Promise((r) => setTimeout(r, 1));
    ac.abort();
    expect(AbortError.isInstance(await rejection(pending))).toBe(true);
    expect(deaf.finished).toBe(0);

    // A routing model that ignores the signal cannot hold the caller either.
    const hung = {
      chat: () => new Promise<never>(() => {}),
      stream: () => (async function* () {})(),
      waitForBackgroundTasks: async () => ({ settled: [], pending: 0 }),
    };
    const router2 = new DynamicRouter(hung, { deaf: deaf.agent });
    const error = await rejection(
      router2.execute('x', undefined, { signal: AbortSignal.timeout(20) }),
    );
    expect(AbortError.isInstance(error)).toBe(true);
    expect(error).not.toBeInstanceOf(DOMException);
    deaf.release();
  });

  it('StatefulOrchestrator: a deaf agent cannot hold the call; nothing is recorded', async () => {
    const deaf = deafAgent();
    const memory = new InMemoryManager();
    const chat = new StatefulOrchestrator(deaf.agent, memory);
    const ac = new AbortController();
    const pending = chat.execute('u', 'c', 'hi', { signal: ac.signal });
    while (deaf.calls.length === 0) await new Promise((r) => setTimeout(r, 1));
    ac.abort();
    expect(AbortError.isInstance(await rejection(pending))).toBe(true);
    expect(await chat.getState('u', 'c')).toBeUndefined();
    deaf.release();
  });

  it('StatefulOrchestrator: a call queued behind a hung one gives up with its own signal', async () => {
    const deaf = deafAgent();
    const chat = new StatefulOrchestrator(deaf.agent, new InMemoryManager());
    const slow = chat.execute('u', 'c', 'first');
    while (deaf.calls.length === 0) await new Promise((r) => setTimeout(r, 1));
    const ac = new AbortController();
    const queued = chat.execute('u', 'c', 'second', { signal: ac.signal });
    ac.abort();
    expect(AbortError.isInstance(await rejection(queued))).toBe(true);
    // The queued call never reached the agent, and the slow call still completes normally.
    expect(deaf.calls.map((c) => c.message)).toEqual(['first']);
    deaf.release();
    expect(await slow).toBe('late answer');
    expect((await chat.getState('u', 'c'))?.interactionCount).toBe(1);
  });

  it('StatefulOrchestrator: a per-call time limit releases the conversation for the next call', async () => {
    let calls = 0;
    const agent: Agent<string> = {
      // The first call hangs forever (and ignores its signal); later ones answer.
      process: () => (++calls === 1 ? new Promise<never>(() => {}) : Promise.resolve('ok')),
    };
    const chat = new StatefulOrchestrator(agent, new InMemoryManager(), { timeoutMs: 30 });
    const hung = chat.execute('u', 'c', 'first');
    const next = chat.execute('u', 'c', 'second', { timeoutMs: 5_000 });
    const error = await rejection(hung);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(await next).toBe('ok');
    const state = await chat.getState('u', 'c');
    expect(state?.interactionCount).toBe(1);
    expect(state?.history.map((h) => ('message' in h ? h.message : h.response))).toEqual([
      'second',
      'ok',
    ]);
  });

  it('EventDrivenOrchestrator rejects at once, typed, when a handler ignores the signal', async () => {
    const deaf = deafAgent();
    const bus = new EventDrivenOrchestrator();
    bus.registerHandler('user_message', async (event) => {
      await deaf.agent.process({ message: String(event.data.message) });
    });
    const ac = new AbortController();
    const pending = bus.execute(
      { type: 'user_message', data: { message: 'x' } },
      { signal: ac.signal },
    );
    while (deaf.calls.length === 0) await new Promise((r) => setTimeout(r, 1));
    ac.abort();
    const error = await rejection(pending);
    expect(AbortError.isInstance(error)).toBe(true);
    deaf.release();
  });

  it('withResilience and the policies reject with typed abort errors, never a DOMException', async () => {
    const deaf = deafAgent();
    const robust = withResilience(deaf.agent, compose(retryPolicy({ maxRetries: 2 })));
    const error = await rejection(
      robust.process({ message: 'x', signal: AbortSignal.timeout(20) }),
    );
    expect(AbortError.isInstance(error)).toBe(true);
    expect(error).not.toBeInstanceOf(DOMException);

    // An operation that throws the raw DOMException of its aborted signal.
    const ac = new AbortController();
    const raw = (signal: AbortSignal) =>
      new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    const fromRetry = rejection(retryPolicy({ maxRetries: 3 }).execute(raw, ac.signal));
    const fromFallback = rejection(withFallback([raw, raw], ac.signal));
    ac.abort();
    for (const e of [await fromRetry, await fromFallback]) {
      expect(AbortError.isInstance(e)).toBe(true);
    }
    const timedOut = await rejection(timeoutPolicy(10).execute(() => new Promise(() => {})));
    expect(TimeoutError.isInstance(timedOut)).toBe(true);
    deaf.release();
  });
});
