import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';

/** The embedded store's default location, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = '.arshai/arshai.db';

/** Options of {@link openSqlite}. */
export interface OpenSqliteOptions {
  /**
   * How long a writer waits for another connection's lock.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating it and its folder if needed) a SQLite database on `node:sqlite` in WAL
 * mode. `':memory:'` opens a private in-memory database.
 *
 * @example
 * ```ts
 * const db = openSqlite('.arshai/arshai.db');
 * ```
 */
export function openSqlite(path: string, options: OpenSqliteOptions = {}): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // Loaded on first use, not on import: importing arshai never touches node:sqlite.
  const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const db = new sqlite.DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${Math.floor(options.busyTimeoutMs ?? 5000)}`);
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  return db;
}

/** Runs `fn` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back if it throws. */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
