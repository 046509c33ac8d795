import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryManager, SqliteMemoryManager } from 'arshai';
import { RedisMemoryManager } from 'arshai/redis';
import { afterAll, inject } from 'vitest';
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
