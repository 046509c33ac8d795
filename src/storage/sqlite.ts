import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
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
  if (path !== ':memory:') createPrivately(path);
  // Loaded on first use, not on import: importing arshai never touches node:sqlite.
  const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const db = new sqlite.DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${Math.floor(options.busyTimeoutMs ?? 5000)}`);
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  return db;
}

/**
 * A new store is private: its folder is created 0700 and the file 0600 before SQLite opens it
 * (SQLite then creates the `-wal` and `-shm` files with the file's mode). Existing folders and
 * files keep their modes.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
}

/** Runs `fn` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back if it throws. */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    // SQLite may have rolled back by itself (a full disk, say): the failure to report is the
    // original one, never "cannot rollback - no transaction is active".
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * A database opened on first use (never in a constructor), with its statements prepared once;
 * the one lazy-open of every SQLite store. A database you pass in is used as it is and never
 * closed by `close()`.
 *
 * @example
 * ```ts
 * const store = new LazyDatabase({ path: '.arshai/arshai.db' }, (db) => ({ get: db.prepare('SELECT 1') }));
 * const { sql } = store.open();
 * ```
 */
export class LazyDatabase<T> {
  readonly #path: string;
  readonly #given: DatabaseSync | undefined;
  readonly #prepare: (db: DatabaseSync) => T;
  #open: { db: DatabaseSync; sql: T } | undefined;

  constructor(
    source: { path?: string; database?: DatabaseSync },
    prepare: (db: DatabaseSync) => T,
  ) {
    this.#path = source.path ?? DEFAULT_SQLITE_PATH;
    this.#given = source.database;
    this.#prepare = prepare;
  }

  /** The database and its prepared statements, opening and preparing them the first time. */
  open(): { db: DatabaseSync; sql: T } {
    if (!this.#open) {
      const db = this.#given ?? openSqlite(this.#path);
      this.#open = { db, sql: this.#prepare(db) };
    }
    return this.#open;
  }

  /** Closes a database this object opened; the next `open()` opens it again. */
  close(): void {
    if (this.#open && !this.#given) this.#open.db.close();
    this.#open = undefined;
  }
}
