import { Redis } from 'ioredis';
import { expect, inject, it } from 'vitest';

it('a real redis-server is running for the tests', async () => {
  const client = new Redis(inject('redisUrl'), { lazyConnect: true });
  await client.connect();
  await client.set('arshai:setup', 'ok');
  expect(await client.get('arshai:setup')).toBe('ok');
  await client.quit();
});
