import { StoreError } from 'arshai';
import { RedisMemoryManager } from 'arshai/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';

const url = inject('redisUrl');
const raw = new Redis(url);
afterAll(async () => {
  await raw.quit();
});

describe('Redis memory keys', () => {
  it('carries a counter of the earlier layout over, so old conversations keep their order', async () => {
    const prefix = `legacy-${process.pid}-${Date.now()}:`;
    // An entry written by the earlier layout, with the counter at "<ns>:__seq".
    await raw.set(`${prefix}default:__seq`, '500');
    await raw.hset(`${prefix}default:c1:working:old`, {
      content: '"old"',
      metadata: '{}',
      createdAt: 1,
      updatedAt: 1,
      expiresAt: '',
      seq: 500,
    });
    await raw.zadd(`${prefix}default:c1`, 500, 'working:old');
    const memory = new RedisMemoryManager({ url, keyPrefix: prefix });
    await memory.store({ conversationId: 'c1', type: 'working', id: 'new', content: 'new' });
    expect((await memory.retrieve({ conversationId: 'c1' })).map((e) => e.id)).toEqual([
      'old',
      'new',
    ]);
    expect(await raw.get(`${prefix}default::seq`)).toBe('501');
    await memory.close();
  });

  it('a Redis reply error is a typed, non-retryable StoreError', async () => {
    const prefix = `foreign-${process.pid}-${Date.now()}:`;
    await raw.set(`${prefix}default:taken`, 'someone else wrote a string here');
    const memory = new RedisMemoryManager({ url, keyPrefix: prefix });
    const error = await memory.retrieve({ conversationId: 'taken' }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ store: 'redis', operation: 'memory.retrieve', retryable: false });
    expect((error as Error).message).toContain('WRONGTYPE');
    await memory.close();
  });
});
