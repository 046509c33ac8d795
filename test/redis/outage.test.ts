import {
  AbortError,
  CheckpointError,
  END,
  type Logger,
  StoreError,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { RedisCheckpointer, RedisMemoryManager } from 'arshai/redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, type RedisProcess, startRedis } from '../setup/redis-process.js';

function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
}

async function until<T>(attempt: () => Promise<T>, tries = 100): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      return await attempt();
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw last;
}

const expectOutage = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(StoreError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ store: 'redis', retryable: true });
  return error as StoreError;
};

describe('Redis outages', () => {
  let redis: RedisProcess;
  const consoleCalls: unknown[][] = [];
  beforeAll(async () => {
    redis = await startRedis();
    for (const method of ['error', 'warn', 'log'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleCalls.push(args);
      });
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await redis.dispose();
  });

  it('calls fail fast and typed while Redis is down, nothing runs later, and they work again when it is back', async () => {
    const { logger, lines } = recordingLogger();
    const memory = new RedisMemoryManager({ url: redis.url, timeoutMs: 500, logger });
    const checkpoints = new RedisCheckpointer({ url: redis.url, timeoutMs: 500, logger });
    const c = 'outage-conversation';
    await memory.store({ conversationId: c, type: 'long-term', id: 'before', content: 1 });

    await redis.stop();
    const key = { conversationId: c, type: 'long-term' as const, id: 'before' };
    await expectOutage(
      memory.store({ conversationId: c, type: 'long-term', id: 'ghost', content: 2 }),
    );
    await expectOutage(memory.retrieve({ conversationId: c }));
    await expectOutage(memory.update(key, { content: 3 }));
    await expectOutage(memory.delete({ conversationId: c }));
    await expectOutage(checkpoints.listRuns());
    await expectOutage(checkpoints.getLatest('run-x'));

    // With the caller's own signal, the caller's abort wins.
    const aborted = await memory
      .retrieve({ conversationId: c }, { signal: AbortSignal.timeout(10) })
      .catch((e: unknown) => e);
    expect(AbortError.isInstance(aborted) || StoreError.isInstance(aborted)).toBe(true);

    // A workflow over the checkpointer stops with a typed, retryable checkpoint error.
    const workflow = new WorkflowGraph()
      .addNode('a', () => ({ agentData: { a: 1 } }))
      .addEdge('a', END)
      .setEntryPoint('a')
      .compile();
    const runner = new WorkflowRunner(workflow, { checkpointer: checkpoints });
    const failed = await runner
      .executeWorkflow({ userId: 'u', timeoutMs: 2_000 })
      .catch((e: unknown) => e);
    expect(CheckpointError.isInstance(failed)).toBe(true);
    expect((failed as CheckpointError).retryable).toBe(true);

    // Errors went to the injected logger, without the URL; nothing reached the console.
    expect(lines.some((l) => l.message === 'arshai: redis connection error')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(String(redis.port));
    expect(consoleCalls).toEqual([]);

    await redis.start();
    await until(() =>
      memory.store({ conversationId: c, type: 'long-term', id: 'after', content: 4 }),
    );
    expect((await memory.retrieve({ conversationId: c })).map((e) => e.id)).toEqual(['after']);
    expect((await memory.update(key, { content: 5 })).content).toBe(5);
    const done = await until(() => runner.executeWorkflow({ userId: 'u' }));
    expect(done.status).toBe('completed');
    expect((await checkpoints.getLatest(done.runId))?.status).toBe('completed');
    await memory.close();
    await checkpoints.close();
    expect(consoleCalls).toEqual([]);
  });

  it('close() settles while Redis is unreachable, and a server that never answers fails typed', async () => {
    const port = await freePort(); // nothing listens there
    const { logger } = recordingLogger();
    const memory = new RedisMemoryManager({
      url: `redis://127.0.0.1:${port}`,
      timeoutMs: 300,
      logger,
    });
    const checkpoints = new RedisCheckpointer({
      url: `redis://127.0.0.1:${port}`,
      timeoutMs: 300,
      logger,
    });
    await expectOutage(memory.store({ conversationId: 'c', type: 'working', content: 'x' }));
    await expectOutage(
      memory.update({ conversationId: 'c', type: 'working', id: 'i' }, { content: 1 }),
    );
    await expectOutage(checkpoints.history('r'));
    await Promise.all([memory.close(), checkpoints.close()]);
    expect(consoleCalls).toEqual([]);
  });
});
