import { resolve } from 'node:path';
import { DEFAULT_SQLITE_PATH } from '../storage/sqlite.js';
import type { Checkpointer } from '../workflows/checkpointer.js';
import { SqliteCheckpointer } from '../workflows/sqlite-checkpointer.js';
import { openPostgresStores } from './postgres-stores.js';
import { openRedisStores } from './redis-stores.js';
import { openStore } from './store.js';
import { UsageError } from './usage-error.js';

/** Where runs are kept, for the commands that read or continue them. */
export interface RunStore {
  checkpointer: Checkpointer;
  /** The file path, or the URL without its password, for messages. */
  label: string;
  close(): Promise<void>;
}

/** The runs of `--postgres <url>`, `--redis <url>` or the SQLite `--store` (which must exist). */
export async function openRunStore(
  values: Record<string, string | boolean | undefined>,
  cwd: string,
): Promise<RunStore> {
  if (typeof values.postgres === 'string') {
    // With --redis too, the queue is on Redis and the runs are in Postgres.
    if (values.store !== undefined)
      throw new UsageError('--postgres and --store exclude each other');
    const stores = await openPostgresStores(values.postgres);
    return { checkpointer: stores.checkpointer, label: stores.label, close: stores.close };
  }
  if (typeof values.redis === 'string') {
    if (values.store !== undefined) throw new UsageError('--store and --redis exclude each other');
    const stores = await openRedisStores(values.redis);
    return { checkpointer: stores.checkpointer, label: stores.label, close: stores.close };
  }
  const path = resolve(cwd, String(values.store ?? DEFAULT_SQLITE_PATH));
  const db = openStore(path, true);
  return {
    checkpointer: new SqliteCheckpointer({ database: db }),
    label: path,
    close: async () => db.close(),
  };
}
