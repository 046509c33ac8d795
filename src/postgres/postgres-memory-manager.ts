import { randomUUID } from 'node:crypto';
import { expiryFor, matchesQuery, newestMatches, resolvePatch } from '../memory/memory-query.js';
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
} from '../memory/memory-types.js';
import {
  checkDelete,
  checkKey,
  checkRetrieve,
  checkStore,
  type ResolvedMemoryOptions,
  resolveOptions,
  toJson,
} from '../memory/memory-validation.js';
import {
  inTransaction,
  migrate,
  type PgClientLike,
  type PgPoolLike,
  PostgresConnection,
  type PostgresConnectionOptions,
  unstorable,
} from './postgres-connection.js';

/** Options of {@link PostgresMemoryManager}. */
export interface PostgresMemoryManagerOptions
  extends MemoryManagerOptions,
    PostgresConnectionOptions {}

interface Row {
  id: string;
  conversation_id: string;
  type: string;
  content: unknown;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  seq: string;
}

/** Expired rows of other conversations removed by each write. */
const PURGE_PER_WRITE = 100;

/**
 * A `MemoryManager` in PostgreSQL (over `pg`, an optional peer): one row per entry, content
 * and metadata as `jsonb`, writes in transactions; `update` holds a lock on its key, so
 * read-change-write is atomic across processes. Expired entries leave the table as writes go
 * (up to 100 others per write) or all at once with `purgeExpired()`. Takes a `pg.Pool`, a
 * connection string, or options.
 *
 * @example
 * ```ts no-run
 * const memory = new PostgresMemoryManager({ connectionString: process.env.DATABASE_URL });
 * await memory.store({ conversationId: 'c1', type: 'long-term', content: { plan: 'pro' } });
 * await memory.close();
 * ```
 */
export class PostgresMemoryManager implements MemoryManager {
  readonly #options: ResolvedMemoryOptions;
  readonly #db: PostgresConnection;
  readonly #t: string;

  constructor(target: PostgresMemoryManagerOptions | PgPoolLike | string) {
    const options = typeof target === 'string' || 'connect' in target ? {} : target;
    this.#options = resolveOptions(options);
    this.#db = new PostgresConnection(target, (client) => this.#prepare(client));
    this.#t = this.#db.table('memory');
  }

  async #prepare(client: PgClientLike): Promise<void> {
    const p = this.#db.prefix;
    await migrate(client, this.#db.table('schema'), 'memory', [
      // 1: one row per entry, ordered by seq, with its expiry.
      `
      CREATE TABLE IF NOT EXISTS ${this.#t} (
        namespace TEXT COLLATE "C" NOT NULL,
        conversation_id TEXT COLLATE "C" NOT NULL,
        type TEXT NOT NULL,
        id TEXT COLLATE "C" NOT NULL,
        seq BIGSERIAL,
        content JSONB NOT NULL,
        metadata JSONB NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        expires_at BIGINT,
        PRIMARY KEY (namespace, conversation_id, type, id)
      );
      CREATE INDEX IF NOT EXISTS "${p}memory_by_seq" ON ${this.#t} (namespace, conversation_id, seq);
      CREATE INDEX IF NOT EXISTS "${p}memory_by_expiry" ON ${this.#t} (expires_at)
        WHERE expires_at IS NOT NULL;`,
    ]);
  }

  async store<V>(input: StoreInput<V>, options?: MemoryCallOptions): Promise<MemoryEntry<V>> {
    checkStore(input);
    const content = toJson(input.content, 'content');
    const metadata = toJson(input.metadata ?? {}, 'metadata');
    const ns = this.#options.namespace;
    const now = this.#options.now();
    const id = input.id ?? randomUUID();
    const expires = expiryFor(input.ttlMs, input.type, this.#options.ttl, now);
    const t = this.#t;
    return this.#db.run('memory.store', options?.signal, (client) =>
      inTransaction(client, async () => {
        await client.query(
          `DELETE FROM ${t} WHERE namespace = $1 AND conversation_id = $2 AND expires_at <= $3`,
          [ns, input.conversationId, now],
        );
        // Bounded work per write for the rest, so expired rows nobody writes again go too.
        await client.query(
          `DELETE FROM ${t} WHERE ctid IN (SELECT ctid FROM ${t} WHERE expires_at <= $1 LIMIT $2)`,
          [now, PURGE_PER_WRITE],
        );
        const row = await upsert(client, t, [
          ns,
          input.conversationId,
          input.type,
          id,
          content,
          metadata,
          now,
          expires,
        ]);
        return toEntry<V>(row);
      }),
    );
  }

  async retrieve<V = unknown>(
    query: RetrieveQuery,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>[]> {
    checkRetrieve(query);
    const now = this.#options.now();
    const match = (r: Row) => {
      const entry = toEntry<V>(r);
      return matchesQuery(entry, JSON.stringify(r.content), query) ? entry : undefined;
    };
    const typed = query.type ? 'AND type = $4' : '';
    const params = [
      this.#options.namespace,
      query.conversationId,
      now,
      ...(query.type ? [query.type] : []),
    ];
    const select = `SELECT * FROM ${this.#t} WHERE namespace = $1 AND conversation_id = $2
           AND (expires_at IS NULL OR expires_at > $3) ${typed}`;
    return this.#db.run('memory.retrieve', options?.signal, async (client) => {
      if (query.limit === undefined) {
        const { rows } = await client.query(`${select} ORDER BY seq`, params);
        return (rows as Row[]).flatMap((r) => match(r) ?? []);
      }
      // Newest first, in the store: only as many rows as the answer needs are read.
      const n = params.length;
      return newestMatches(query.limit, async (before, size) => {
        const { rows } = await client.query(
          `${select} AND seq < $${n + 1} ORDER BY seq DESC LIMIT $${n + 2}`,
          [...params, before, size],
        );
        return (rows as Row[]).map((r) => ({ seq: Number(r.seq), match: match(r) }));
      });
    });
  }

  async update<V>(
    key: MemoryKey,
    change: MemoryPatch<V> | MemoryUpdater<V>,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>> {
    checkKey(key);
    const ns = this.#options.namespace;
    const t = this.#t;
    const where = 'namespace = $1 AND conversation_id = $2 AND type = $3 AND id = $4';
    const params = [ns, key.conversationId, key.type, key.id];
    return this.#db.run('memory.update', options?.signal, (client) =>
      inTransaction(client, async () => {
        // One key at a time, also across processes (a missing row cannot be locked itself).
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          JSON.stringify([t, ...params]),
        ]);
        const now = this.#options.now();
        const { rows } = await client.query(`SELECT * FROM ${t} WHERE ${where}`, params);
        const currentRow = rows[0] as Row | undefined;
        const live = currentRow && !expired(currentRow, now);
        const current = live ? toEntry<V>(currentRow) : undefined;
        const patch = resolvePatch(change, current);
        const content = toJson(
          patch.content === undefined ? current?.content : patch.content,
          'content',
        );
        const metadata = toJson({ ...current?.metadata, ...patch.metadata }, 'metadata');
        const expires = expiryFor(undefined, key.type, this.#options.ttl, now);
        if (currentRow && !live) await client.query(`DELETE FROM ${t} WHERE ${where}`, params);
        const row = await upsert(client, t, [...params, content, metadata, now, expires]);
        return toEntry<V>(row);
      }),
    );
  }

  async delete(query: DeleteQuery, options?: MemoryCallOptions): Promise<number> {
    checkDelete(query);
    const now = this.#options.now();
    const params: unknown[] = [this.#options.namespace, query.conversationId, now];
    let which = '';
    if (query.type) {
      params.push(query.type);
      which += ' AND type = $4';
    }
    if (query.id !== undefined) {
      params.push(query.id);
      which += ' AND id = $5';
    }
    return this.#db.run('memory.delete', options?.signal, async (client) => {
      const removed = await client.query(
        `DELETE FROM ${this.#t} WHERE namespace = $1 AND conversation_id = $2
           AND (expires_at IS NULL OR expires_at > $3)${which}`,
        params,
      );
      return removed.rowCount ?? 0;
    });
  }

  /** Removes every expired entry of the table (all namespaces); returns how many went. */
  purgeExpired(options?: MemoryCallOptions): Promise<number> {
    const now = this.#options.now();
    return this.#db.run('memory.purgeExpired', options?.signal, async (client) => {
      const removed = await client.query(`DELETE FROM ${this.#t} WHERE expires_at <= $1`, [now]);
      return removed.rowCount ?? 0;
    });
  }

  /** Closes the pool it opened (a pool you gave stays open). */
  close(): Promise<void> {
    return this.#db.close();
  }
}

/** Inserts an entry or changes a stored one (its place in the conversation stays). */
async function upsert(client: PgClientLike, t: string, values: unknown[]): Promise<Row> {
  try {
    const { rows } = await client.query(
      `INSERT INTO ${t}
         (namespace, conversation_id, type, id, content, metadata, created_at, updated_at, expires_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $7, $8)
       ON CONFLICT (namespace, conversation_id, type, id) DO UPDATE SET
         content = EXCLUDED.content, metadata = EXCLUDED.metadata,
         updated_at = EXCLUDED.updated_at, expires_at = EXCLUDED.expires_at
       RETURNING *`,
      values,
    );
    return rows[0] as Row;
  } catch (error) {
    throw unstorable(error, 'content');
  }
}

function expired(row: Row, now: number): boolean {
  return row.expires_at !== null && Number(row.expires_at) <= now;
}

function toEntry<V>(row: Row): MemoryEntry<V> {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    type: row.type as MemoryType,
    content: row.content as V,
    metadata: row.metadata,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
}
