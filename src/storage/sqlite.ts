import type { DatabaseSync } from 'node:sqlite';
import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { StoreError } from '../errors/store-error.js';

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
  checkSqliteNode();
  if (path !== ':memory:') createPrivately(path);
  // Loaded on first use, not on import: importing arshai never touches node:sqlite.
  const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const db = new sqlite.DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${Math.floor(options.busyTimeoutMs ?? 5000)}`);
  // WAL is set once, by the first writer; a store opened read-only keeps its mode.
  const mode = (db.prepare('PRAGMA journal_mode').get() as { journal_mode?: string } | undefined)
    ?.journal_mode;
  if (path !== ':memory:' && mode !== 'wal') {
    try {
      db.exec('PRAGMA journal_mode = WAL');
    } catch (error) {
      if (primaryCode(error) !== SQLITE_READONLY) throw error;
    }
  }
  db.exec('PRAGMA synchronous = NORMAL');
  return db;
}

/** The first Node.js releases whose `node:sqlite` the SQLite stores work on. */
export const SQLITE_NODE_MINIMUM = '22.20.0 (on the 22 line) or 24.0.0';

/**
 * Refuses a Node.js whose `node:sqlite` the stores cannot use (before 22.20 statements with
 * numbered parameters fail with "column index out of range"; before 22.13 or on 20 there is
 * no `DatabaseSync`; 23 is past its end of life): a typed error saying which Node is needed.
 */
export function checkSqliteNode(version: string = process.versions.node): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if ((major === 22 && minor >= 20) || major >= 24) return;
  throw new StoreError(
    `The SQLite store needs Node.js ${SQLITE_NODE_MINIMUM} or newer (node:sqlite); this is Node.js ${version}`,
    { store: 'sqlite', operation: 'open', retryable: false },
  );
}

/**
 * A new store is private: its folder is created 0700 and the file 0600 before SQLite opens it
 * (SQLite then creates the `-wal` and `-shm` files with the file's mode). Existing folders and
 * files keep their modes.
 */
function createPrivately(path: string): void {
  // Node modules load on use: the root entry imports none (it also runs in browsers).
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const { dirname } = process.getBuiltinModule('node:path') as typeof import('node:path');
  fs.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(path)) fs.closeSync(fs.openSync(path, 'a', 0o600));
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

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;
const SQLITE_READONLY_DIRECTORY = 1544;

/** The primary result code of a `node:sqlite` error (its extended code's low byte). */
function primaryCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

/**
 * A failure of a SQLite store as a typed `StoreError` naming the store and what was being
 * done, with the original error as its cause: a read-only file or folder, a full disk
 * (retryable), a lock held too long (retryable), a damaged file or damaged stored JSON.
 * arshai's own typed errors (a conflict, bad input) pass through unchanged.
 */
export function sqliteFailure(store: string, operation: string, error: unknown): unknown {
  if (ArshaiError.isInstance(error)) return error;
  const code = primaryCode(error);
  const extended = (error as { errcode?: unknown } | null)?.errcode;
  const reason = error instanceof Error ? error.message : String(error);
  const fail = (message: string, retryable: boolean) =>
    new StoreError(`The SQLite store ${store}: ${message}`, {
      store: 'sqlite',
      operation,
      retryable,
      cause: error,
    });
  if (error instanceof SyntaxError)
    return fail(`is damaged: ${operation} read stored data that is not valid JSON`, false);
  if (extended === SQLITE_READONLY_DIRECTORY)
    return fail(
      `is in a read-only folder: ${operation} needs to create its -shm file next to it (make the folder writable)`,
      false,
    );
  switch (code) {
    case SQLITE_READONLY:
      return fail(`is read-only: ${operation} needs to write to it`, false);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return fail(`is damaged (${reason}): ${operation} failed`, false);
    case SQLITE_CANTOPEN:
      return fail(`cannot be opened (${reason}): may this user read it and its folder?`, false);
    case SQLITE_FULL:
      return fail(`${operation} failed: the database or disk is full`, true);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return fail(`${operation} failed: another connection holds the lock (${reason})`, true);
    case SQLITE_IOERR:
      return fail(`${operation} failed: disk I/O error (${reason})`, true);
    default:
      return fail(`${operation} failed: ${reason}`, false);
  }
}

/**
 * The schema version of `component`, read without writing (undefined for a new database):
 * a store already at the current version opens without a single write, so read-only stores
 * can be read.
 */
export function schemaVersion(db: DatabaseSync, component: string): number | undefined {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'arshai_schema'")
    .get();
  if (!table) return undefined;
  const row = db.prepare('SELECT version FROM arshai_schema WHERE component = ?').get(component) as
    | { version: number }
    | undefined;
  return row?.version;
}

/** Refuses a store written by a newer arshai (its schema is unknown here); nothing is changed. */
export function checkNotNewer(component: string, version: number | undefined, known: number): void {
  if (version !== undefined && version > known) {
    throw new InvalidInputError(
      'schema',
      `the SQLite store's ${component} tables are at version ${version}; this arshai knows up to ${known}: upgrade arshai`,
    );
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

  /**
   * Runs `fn` over the open database; any failure (opening included) is a typed error from
   * {@link sqliteFailure} naming this store and `operation`.
   */
  run<R>(operation: string, fn: (open: { db: DatabaseSync; sql: T }) => R): R {
    const store = this.#given ? locationOf(this.#given) : this.#path;
    try {
      const result = fn(this.open());
      // Work that goes on asynchronously (pages of a read) fails typed too.
      if (result instanceof Promise)
        return result.catch((error: unknown) => {
          throw sqliteFailure(store, operation, error);
        }) as R;
      return result;
    } catch (error) {
      throw sqliteFailure(store, operation, error);
    }
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

/** Where a database given to a store lives (its file), for error messages. */
function locationOf(db: DatabaseSync): string {
  try {
    const location = (db as { location?: () => string | null }).location?.();
    return location || 'in memory';
  } catch {
    return 'passed in';
  }
}
