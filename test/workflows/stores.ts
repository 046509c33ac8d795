// The four checkpointers, for tests that must hold on each: fresh stores per call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpointer, InMemoryCheckpointer, SqliteCheckpointer } from 'arshai';
import { PostgresCheckpointer } from 'arshai/postgres';
import { RedisCheckpointer } from 'arshai/redis';
import { afterAll, inject } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-stores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let made = 0;

/** `[name, make]` pairs for `describe.each`: `make()` opens a fresh store (and its path). */
export const stores: Array<
  [string, () => { checkpointer: Checkpointer; reopen: () => Checkpointer }]
> = [
  [
    'memory',
    () => {
      const checkpointer = new InMemoryCheckpointer();
      return { checkpointer, reopen: () => checkpointer };
    },
  ],
  [
    'sqlite',
    () => {
      const path = join(dir, `s${++made}.db`);
      return {
        checkpointer: new SqliteCheckpointer({ path }),
        reopen: () => new SqliteCheckpointer({ path }),
      };
    },
  ],
  [
    'redis',
    () => {
      const keyPrefix = `test:wf:${process.pid}:${++made}:`;
      const url = inject('redisUrl');
      return {
        checkpointer: new RedisCheckpointer({ url, keyPrefix }),
        reopen: () => new RedisCheckpointer({ url, keyPrefix }),
      };
    },
  ],
  [
    'postgres',
    () => {
      const options = {
        connectionString: inject('postgresUrl'),
        tablePrefix: `wf${process.pid}_${++made}_`,
      };
      return {
        checkpointer: new PostgresCheckpointer(options),
        reopen: () => new PostgresCheckpointer(options),
      };
    },
  ],
];
