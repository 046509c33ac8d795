import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryManager, SqliteMemoryManager } from 'arshai';
import { PostgresMemoryManager } from 'arshai/postgres';
import { RedisMemoryManager } from 'arshai/redis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { memoryConformance } from './conformance.js';

// A shared fake clock for the backends that take one.
let clock = 1_700_000_000_000;
const now = () => clock;
const advanceClock = async (ms: number) => {
  clock += ms;
};
const ttl = (ms?: number) =>
  ms === undefined ? {} : { ttlMs: { 'short-term': ms, working: ms, 'long-term': ms } };

memoryConformance('InMemoryManager', {
  create: ({ namespace, ttlMs }) =>
    new InMemoryManager({ now, ...(namespace ? { namespace } : {}), ...ttl(ttlMs) }),
  advance: advanceClock,
});

const dir = mkdtempSync(join(tmpdir(), 'arshai-memory-'));
const file = join(dir, 'memory.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

memoryConformance('SqliteMemoryManager', {
  create: ({ namespace, ttlMs }) =>
    new SqliteMemoryManager({
      path: file,
      now,
      ...(namespace ? { namespace } : {}),
      ...ttl(ttlMs),
    }),
  reopen: ({ namespace }) =>
    new SqliteMemoryManager({ path: file, now, ...(namespace ? { namespace } : {}) }),
  advance: advanceClock,
});

const url = inject('redisUrl');
memoryConformance('RedisMemoryManager', {
  create: ({ namespace, ttlMs }) =>
    new RedisMemoryManager({
      url,
      keyPrefix: 'test:memory:',
      ...(namespace ? { namespace } : {}),
      ...ttl(ttlMs),
    }),
  reopen: ({ namespace }) =>
    new RedisMemoryManager({ url, keyPrefix: 'test:memory:', ...(namespace ? { namespace } : {}) }),
  advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

const postgresUrl = inject('postgresUrl');
const pgPrefix = `mem${process.pid}_`;
memoryConformance('PostgresMemoryManager', {
  create: ({ namespace, ttlMs }) =>
    new PostgresMemoryManager({
      connectionString: postgresUrl,
      tablePrefix: pgPrefix,
      now,
      ...(namespace ? { namespace } : {}),
      ...ttl(ttlMs),
    }),
  reopen: ({ namespace }) =>
    new PostgresMemoryManager({
      connectionString: postgresUrl,
      tablePrefix: pgPrefix,
      now,
      ...(namespace ? { namespace } : {}),
    }),
  advance: advanceClock,
});

describe('SqliteMemoryManager expiry on disk', () => {
  it('expired rows of conversations nobody writes again leave the disk as writes go, and all with purgeExpired()', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const path = join(dir, 'expiry.db');
    let t = 1_700_000_000_000;
    const memory = new SqliteMemoryManager({ path, now: () => t, ttlMs: { 'short-term': 1_000 } });
    for (let i = 0; i < 250; i++) {
      await memory.store({ conversationId: `idle-${i}`, type: 'short-term', content: i });
    }
    const rows = () => {
      const db = new DatabaseSync(path);
      const n = (db.prepare('SELECT COUNT(*) AS n FROM arshai_memory').get() as { n: number }).n;
      db.close();
      return n;
    };
    expect(rows()).toBe(250);
    t += 10_000; // all 250 have expired
    await memory.store({ conversationId: 'busy', type: 'long-term', content: 'x' });
    expect(rows()).toBe(151); // 100 expired rows went with this write; the new one stays
    expect(await memory.purgeExpired()).toBe(150);
    expect(rows()).toBe(1);
    await memory.close();
  });
});

describe('InMemoryManager index', () => {
  it('reads only what is stored after LRU eviction, re-stores, deletions and many churned entries', async () => {
    const memory = new InMemoryManager({ maxEntries: 50 });
    const c = { conversationId: 'churn', type: 'short-term' as const };
    for (let i = 0; i < 400; i++) await memory.store({ ...c, id: `e${i % 120}`, content: i });
    // 120 ids written in turn; the 50 most recently written survive, each with its last value.
    const all = await memory.retrieve<number>({ conversationId: 'churn' });
    expect(all.map((e) => e.content)).toEqual(Array.from({ length: 50 }, (_, k) => 350 + k));
    expect(
      (await memory.retrieve<number>({ conversationId: 'churn', limit: 3 })).map((e) => e.content),
    ).toEqual([397, 398, 399]);
    await memory.delete({ ...c, id: 'e39' }); // 399 % 120
    expect(
      (await memory.retrieve<number>({ conversationId: 'churn', limit: 2 })).map((e) => e.content),
    ).toEqual([397, 398]);
    expect(await memory.delete({ conversationId: 'churn' })).toBe(49);
    expect(await memory.retrieve({ conversationId: 'churn' })).toEqual([]);
    await memory.store({ ...c, id: 'e1', content: 'again' });
    expect((await memory.retrieve({ conversationId: 'churn' })).map((e) => e.content)).toEqual([
      'again',
    ]);
  });
});
