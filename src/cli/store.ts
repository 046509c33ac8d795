import { existsSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from '../storage/sqlite.js';
import { UsageError } from './usage-error.js';

/**
 * Opens the store (one SQLite file for runs and memory). A file that is not a SQLite
 * database is reported, never overwritten. `mustExist` refuses to create a new file.
 */
export function openStore(path: string, mustExist: boolean): DatabaseSync {
  if (mustExist && !existsSync(path)) {
    throw new UsageError(`no store at ${path} (run "npx arshai demo" first, or pass --store)`);
  }
  let db: DatabaseSync | undefined;
  try {
    db = openSqlite(path);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db?.close();
    throw new UsageError(
      `the store at ${path} is not usable (${(error as Error).message}); it was left untouched`,
    );
  }
}
