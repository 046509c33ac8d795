import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { checkNotNewer, LazyDatabase, schemaVersion, transaction } from '../storage/sqlite.js';
import { throwIfAborted } from '../utils/abort.js';
import { randomUUID } from '../utils/uuid.js';
import { expiryFor, matchesQuery, newestMatches, resolvePatch } from './memory-query.js';
import type {
  DeleteQuery,
  MemoryCallOptions,
  MemoryEntry,
  MemoryKey,
  MemoryManager,
  MemoryManagerOptions,
  MemoryPatch,
  MemoryType,
  MemoryUpdater,
  RetrieveQuery,
  StoreInput,
} from './memory-types.js';
import {
  checkDelete,
  checkKey,
  checkRetrieve,
  checkStore,
  type ResolvedMemoryOptions,
  resolveOptions,
  toJson,
} from './memory-validation.js';

/** Options of {@link SqliteMemoryManager}. */
export interface SqliteMemoryManagerOptions extends MemoryManagerOptions {
  /**
   * The database file (`':memory:'` for a private in-memory one).
   * @default '.arshai/arshai.db'
   */
  path?: string;
  /** Use a database you opened yourself (e.g. shared with the workflow checkpointer). */
  database?: DatabaseSync;
}

interface Row {
  id: string;
  conversation_id: string;
  type: string;
  content: string;
  metadata: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  seq: number;
}

const SCHEMA_VERSION = 1;

/** Expired rows of other conversations removed by each write. */
const PURGE_PER_WRITE = 100;

/**
 * A `MemoryManager` in one SQLite file on `node:sqlite` (WAL, transactions): the embedded
 * default. Data survives restarts; several processes can share the file. Expired entries
 * leave the disk as writes go (those of the conversation written, and up to 100 others per
 * write), or all at once with `purgeExpired()`.
 *
 * @example
 * ```ts
 * const memory = new SqliteMemoryManager({ path: '.arshai/arshai.db' });
 * await memory.store({ conversationId: 'c1', type: 'long-term', content: { plan: 'pro' } });
 * await memory.close();
 * ```
 */
export class SqliteMemoryManager implements MemoryManager {
  readonly #options: ResolvedMemoryOptions;
  /** The database is opened on first use, not in the constructor. */
  readonly #store: LazyDatabase<ReturnType<typeof prepare>>;

  constructor(options: SqliteMemoryManagerOptions = {}) {
    this.#options = resolveOptions(options);
    this.#store = new LazyDatabase(options, prepare);
  }

  async store<V>(input: StoreInput<V>, options?: MemoryCallOptions): Promise<MemoryEntry<V>> {
    throwIfAborted(options?.signal);
    checkStore(input);
    const content = toJson(input.content, 'content');
    const metadata = toJson(input.metadata ?? {}, 'metadata');
    return this.#store.run('memory.store', ({ db, sql }) => {
      const ns = this.#options.namespace;
      const now = this.#options.now();
      const id = input.id ?? randomUUID();
      const expires = expiryFor(input.ttlMs, input.type, this.#options.ttl, now);
      const row = transaction(db, () => {
        sql.purge.run(ns, input.conversationId, now);
        // Bounded work per write for the rest of the store, so expired rows of conversations
        // nobody writes again leave the disk too.
        sql.purgeSome.run(now, PURGE_PER_WRITE);
        sql.upsert.run(
          ns,
          input.conversationId,
          input.type,
          id,
          content,
          metadata,
          now,
          now,
          expires,
        );
        return sql.get.get(ns, input.conversationId, input.type, id) as unknown as Row;
      });
      return toEntry<V>(row);
    });
  }

  async retrieve<V = unknown>(
    query: RetrieveQuery,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>[]> {
    throwIfAborted(options?.signal);
    checkRetrieve(query);
    return this.#store.run('memory.retrieve', ({ sql }) => {
      const now = this.#options.now();
      const ns = this.#options.namespace;
      const match = (r: Row) => {
        const entry = toEntry<V>(r);
        return matchesQuery(entry, r.content, query) ? entry : undefined;
      };
      if (query.limit !== undefined) {
        // Newest first, in the store: only as many rows as the answer needs are read.
        return newestMatches(query.limit, (before, size) => {
          const rows = (query.type
            ? sql.pageType.all(ns, query.conversationId, query.type, now, before, size)
            : sql.page.all(ns, query.conversationId, now, before, size)) as unknown as Row[];
          return rows.map((r) => ({ seq: r.seq, match: match(r) }));
        });
      }
      const rows = (query.type
        ? sql.listType.all(ns, query.conversationId, query.type, now)
        : sql.list.all(ns, query.conversationId, now)) as unknown as Row[];
      return rows.flatMap((r) => match(r) ?? []);
    });
  }

  async update<V>(
    key: MemoryKey,
    change: MemoryPatch<V> | MemoryUpdater<V>,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>> {
    throwIfAborted(options?.signal);
    checkKey(key);
    // What the updater (the caller's code) throws is the caller's, passed on as it is.
    let own: { error: unknown } | undefined;
    const patchOf = (current: MemoryEntry<V> | undefined) => {
      try {
        return resolvePatch(change, current);
      } catch (error) {
        own = { error };
        throw error;
      }
    };
    try {
      return this.#update(key, patchOf);
    } catch (error) {
      throw own ? own.error : error;
    }
  }

  #update<V>(
    key: MemoryKey,
    patchOf: (current: MemoryEntry<V> | undefined) => MemoryPatch<V>,
  ): MemoryEntry<V> {
    return this.#store.run('memory.update', ({ db, sql }) => {
      const ns = this.#options.namespace;
      // One immediate transaction: the read, the change and the write are atomic, also across
      // processes sharing the file.
      const row = transaction(db, () => {
        const now = this.#options.now();
        const currentRow = sql.get.get(ns, key.conversationId, key.type, key.id) as unknown as
          | Row
          | undefined;
        const current =
          currentRow && !expired(currentRow, now) ? toEntry<V>(currentRow) : undefined;
        const patch = patchOf(current);
        const content = toJson(
          patch.content === undefined ? current?.content : patch.content,
          'content',
        );
        const metadata = toJson({ ...current?.metadata, ...patch.metadata }, 'metadata');
        const expires = expiryFor(undefined, key.type, this.#options.ttl, now);
        if (currentRow && !current) sql.deleteOne.run(ns, key.conversationId, key.type, key.id);
        sql.upsert.run(
          ns,
          key.conversationId,
          key.type,
          key.id,
          content,
          metadata,
          now,
          now,
          expires,
        );
        return sql.get.get(ns, key.conversationId, key.type, key.id) as unknown as Row;
      });
      return toEntry<V>(row);
    });
  }

  async delete(query: DeleteQuery, options?: MemoryCallOptions): Promise<number> {
    throwIfAborted(options?.signal);
    checkDelete(query);
    return this.#store.run('memory.delete', ({ sql }) => {
      const ns = this.#options.namespace;
      const now = this.#options.now();
      const result =
        query.id !== undefined
          ? sql.deleteLive.run(ns, query.conversationId, query.type as MemoryType, query.id, now)
          : query.type
            ? sql.deleteType.run(ns, query.conversationId, query.type, now)
            : sql.deleteConversation.run(ns, query.conversationId, now);
      return Number(result.changes);
    });
  }

  /**
   * Removes every expired entry of the store, all namespaces and conversations (ordinary
   * writes remove up to 100 at a time as they go); returns how many went.
   */
  async purgeExpired(options?: MemoryCallOptions): Promise<number> {
    throwIfAborted(options?.signal);
    return this.#store.run('memory.purgeExpired', ({ sql }) =>
      Number(sql.purgeAll.run(this.#options.now()).changes),
    );
  }

  async close(): Promise<void> {
    this.#store.close();
  }
}

function prepare(db: DatabaseSync) {
  const version = schemaVersion(db, 'memory');
  checkNotNewer('memory', version, SCHEMA_VERSION);
  // A current store is opened without a write (a read-only one can be read).
  if (version !== SCHEMA_VERSION) create(db);
  return statements(db);
}

function create(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS arshai_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS arshai_memory (
      namespace TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      type TEXT NOT NULL,
      id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      content TEXT NOT NULL,
      metadata TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      expires_at INTEGER,
      PRIMARY KEY (namespace, conversation_id, type, id)
    );
    CREATE INDEX IF NOT EXISTS arshai_memory_by_seq ON arshai_memory (namespace, conversation_id, seq);
    CREATE INDEX IF NOT EXISTS arshai_memory_by_expiry ON arshai_memory (expires_at) WHERE expires_at IS NOT NULL;
    INSERT OR IGNORE INTO arshai_schema (component, version) VALUES ('memory', ${SCHEMA_VERSION});
  `);
}

function statements(db: DatabaseSync) {
  const live = '(expires_at IS NULL OR expires_at > ?)';
  const s = (text: string): StatementSync => db.prepare(text);
  return {
    upsert: s(`INSERT INTO arshai_memory
        (namespace, conversation_id, type, id, seq, content, metadata, created_at, updated_at, expires_at)
        VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM arshai_memory
          WHERE namespace = ?1 AND conversation_id = ?2), ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT (namespace, conversation_id, type, id) DO UPDATE SET
          content = excluded.content, metadata = excluded.metadata,
          updated_at = excluded.updated_at, expires_at = excluded.expires_at`),
    get: s(
      'SELECT * FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND type = ? AND id = ?',
    ),
    list: s(
      `SELECT * FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND ${live} ORDER BY seq`,
    ),
    listType: s(
      `SELECT * FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND type = ? AND ${live} ORDER BY seq`,
    ),
    page: s(
      `SELECT * FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND ${live} AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
    pageType: s(
      `SELECT * FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND type = ? AND ${live} AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
    purgeSome: s(
      'DELETE FROM arshai_memory WHERE rowid IN (SELECT rowid FROM arshai_memory WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)',
    ),
    purgeAll: s('DELETE FROM arshai_memory WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    purge: s(
      'DELETE FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND expires_at IS NOT NULL AND expires_at <= ?',
    ),
    deleteOne: s(
      'DELETE FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND type = ? AND id = ?',
    ),
    deleteLive: s(
      `DELETE FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND type = ? AND id = ? AND ${live}`,
    ),
    deleteType: s(
      `DELETE FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND type = ? AND ${live}`,
    ),
    deleteConversation: s(
      `DELETE FROM arshai_memory WHERE namespace = ? AND conversation_id = ? AND ${live}`,
    ),
  };
}

function expired(row: Row, now: number): boolean {
  return row.expires_at !== null && row.expires_at <= now;
}

function toEntry<V>(row: Row): MemoryEntry<V> {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    type: row.type as MemoryType,
    content: JSON.parse(row.content) as V,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}
