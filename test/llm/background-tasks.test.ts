import { AbortError, BackgroundTasks, tool } from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const forever = () => {
  const seen: AbortSignal[] = [];
  const task = tool({
    description: 'Runs until its signal aborts',
    parameters: z.object({}),
    execute: (_args, { signal }) => {
      seen.push(signal);
      return new Promise<string>(() => {}); // ignores the signal on purpose
    },
  });
  return { task, seen };
};

describe('background tasks', () => {
  it('a task without timeoutMs gets a signal that close() fires; close settles and refuses new tasks', async () => {
    const { task, seen } = forever();
    const llm = new ScriptedLLMClient([
      { toolCalls: [{ id: 'bg1', name: 'task', args: {} }] },
      { text: 'started' },
      { toolCalls: [{ id: 'bg2', name: 'task', args: {} }] },
      { text: 'again' },
    ]);
    await llm.chat({ systemPrompt: 's', userMessage: 'go', backgroundTasks: { task } });
    expect((await llm.waitForBackgroundTasks(5)).pending).toBe(1);
    expect(seen[0]?.aborted).toBe(false);

    const closed = await llm.close();
    expect(seen[0]?.aborted).toBe(true);
    expect(AbortError.isInstance(seen[0]?.reason)).toBe(true);
    expect(closed.pending).toBe(0);
    expect(closed.settled.map((r) => [r.toolCallId, r.status])).toEqual([['bg1', 'rejected']]);
    expect(AbortError.isInstance(closed.settled[0]?.error)).toBe(true);

    // After close, a background call is reported as rejected instead of starting.
    await llm.chat({ systemPrompt: 's', userMessage: 'go', backgroundTasks: { task } });
    expect(seen).toHaveLength(1);
    const after = await llm.waitForBackgroundTasks();
    expect(after.settled.map((r) => [r.toolCallId, r.status])).toEqual([['bg2', 'rejected']]);
  });

  it('close() settles a task that ignores its aborted signal at once', async () => {
    const tasks = new BackgroundTasks();
    const { task } = forever();
    tasks.start('task', { id: 'c1', name: 'task', arguments: '{}' }, task, {});
    const summary = await tasks.close(AbortSignal.timeout(20));
    expect(summary.pending).toBe(0);
    expect(summary.settled[0]?.status).toBe('rejected');
  });

  it('keeps at most maxSettled reports when nobody waits, counting the dropped ones', async () => {
    const tasks = new BackgroundTasks({ maxSettled: 3 });
    const quick = tool({
      description: 'Returns its n',
      parameters: z.object({ n: z.number() }),
      execute: async ({ n }) => n,
    });
    for (let n = 0; n < 10; n++) {
      tasks.start('quick', { id: `q${n}`, name: 'quick', arguments: '' }, quick, { n });
    }
    const summary = await tasks.wait();
    expect(summary.settled.map((r) => r.output)).toEqual([7, 8, 9]);
    expect(summary.dropped).toBe(7);
    expect(await tasks.wait()).toEqual({ settled: [], pending: 0 });
  });

  it('one BackgroundTasks shared by two clients tracks both', async () => {
    const tasks = new BackgroundTasks();
    const quick = tool({
      description: 'ok',
      parameters: z.object({}),
      execute: async () => 'done',
    });
    const script = () => [{ toolCalls: [{ name: 'quick', args: {} }] }, { text: 'ok' }];
    const a = new ScriptedLLMClient(script(), { backgroundTasks: tasks });
    const b = new ScriptedLLMClient(script(), { backgroundTasks: tasks });
    await a.chat({ systemPrompt: 's', userMessage: 'x', backgroundTasks: { quick } });
    await b.chat({ systemPrompt: 's', userMessage: 'x', backgroundTasks: { quick } });
    expect((await tasks.wait()).settled).toHaveLength(2);
    await expect(tasks.wait(-1)).rejects.toMatchObject({ field: 'timeoutMs' });
  });
});
