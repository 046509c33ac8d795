import { inspect } from 'node:util';
import { StoreError } from 'arshai';
import { RedisCheckpointer, RedisMemoryManager } from 'arshai/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisProcess, startRedis } from '../setup/redis-process.js';

const printed = (value: unknown) =>
  `${inspect(value, { depth: 20, showHidden: true })}\n${JSON.stringify(value)}`;

describe('Redis errors carry no password and no command arguments', () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedis(['--requirepass', 'REDISPASS-CANARY-77']);
  });
  afterAll(async () => redis.dispose());

  it('a rejected password appears nowhere in the error', async () => {
    const url = `redis://:WRONG-PASSWORD-CANARY@127.0.0.1:${redis.port}`;
    const logged: unknown[] = [];
    const logger = {
      debug: (...a: unknown[]) => logged.push(a),
      info: (...a: unknown[]) => logged.push(a),
      warn: (...a: unknown[]) => logged.push(a),
      error: (...a: unknown[]) => logged.push(a),
    };
    const memory = new RedisMemoryManager({ url, timeoutMs: 1_000, logger });
    const error = await memory.retrieve({ conversationId: 'c' }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect(printed(error)).not.toContain('WRONG-PASSWORD-CANARY');
    // ioredis's own error event carries the AUTH arguments; the logger gets name and code only.
    expect(logged.length).toBeGreaterThan(0);
    expect(printed(logged)).not.toContain('WRONG-PASSWORD-CANARY');
    await memory.close();
  });

  it('an out-of-memory write does not put the checkpoint (the run’s input) into the cause', async () => {
    const admin = new Redis(`redis://:REDISPASS-CANARY-77@127.0.0.1:${redis.port}`);
    await admin.config('SET', 'maxmemory', '1mb');
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    const checkpoints = new RedisCheckpointer({
      url: `redis://:REDISPASS-CANARY-77@127.0.0.1:${redis.port}`,
      keyPrefix: 'oom:',
    });
    const big = 'INPUT-CANARY-'.repeat(200_000);
    const error = await checkpoints
      .put({
        runId: 'r1',
        workflow: 'w',
        step: 0,
        version: 0,
        status: 'running',
        state: {
          userContext: { userId: 'u', lastActive: 't', interactionCount: 1 },
          currentStep: '',
          stepCount: 0,
          processingPath: [],
          agentData: {},
          workingMemories: {},
          errors: [],
          input: big,
        },
        next: ['a'],
        ran: [],
        createdAt: 't',
      })
      .catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/OOM|memory/i);
    expect(printed(error)).not.toContain('INPUT-CANARY');
    expect(printed(error)).not.toContain('REDISPASS-CANARY-77');
    await admin.config('SET', 'maxmemory', '0');
    await Promise.all([checkpoints.close(), admin.quit()]);
  });
});
