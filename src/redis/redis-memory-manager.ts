import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ArshaiError } from '../errors/arshai-error.js';
import {
  expiryFor,
  matchesQuery,
  newestMatches,
  type PageRow,
  resolvePatch,
} from '../memory/memory-query.js';
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
import { parseStored } from '../storage/stored-json.js';
import { throwIfAborted } from '../utils/abort.js';
import { assertId } from '../utils/ids.js';
import { createLimiter, type Limiter } from '../utils/limiter.js';
import { keyPrefix, RedisConnection, type RedisConnectionOptions } from './redis-connection.js';

/** Options of {@link RedisMemoryManager}. */
export interface RedisMemoryManagerOptions
  extends Omit<MemoryManagerOptions, 'now'>,
    RedisConnectionOptions {
  /**
   * Prefix of every key this manager writes.
   * @default 'arshai:memory:'
   */
  keyPrefix?: string;
  /**
   * Attempts of an optimistic update that keeps losing to other writers.
   * @default 100
   */
  maxUpdateAttempts?: number;
}

/** The store could not complete an atomic update (too much contention). */
export class MemoryConflictError extends ArshaiError {
  static override readonly code: string = 'MemoryConflictError';

  constructor(key: string, attempts: number) {
    super(`Update of ${key} lost to concurrent writers ${attempts} times`, { retryable: true });
  }
}

// Keeps an index key alive as long as its longest-lived entry (-1: an entry never expires).
const EXTEND_INDEX = `
local ttl = tonumber(ARGV[1])
if ttl < 0 then redis.call('PERSIST', KEYS[1]) return 1 end
local current = redis.call('PTTL', KEYS[1])
if current == -2 or (current >= 0 and current < ttl) then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

// The next entry number. Its key has an empty conversation id ("<ns>::seq"), which no valid
// id can produce; a counter left at the layout before 0.2 ("<ns>:__seq") is carried over.
const NEXT_SEQ = `
if redis.call('EXISTS', KEYS[1]) == 0 and redis.call('TYPE', KEYS[2]).ok == 'string' then
  redis.call('SET', KEYS[1], redis.call('GET', KEYS[2]))
end
return redis.call('INCR', KEYS[1])`;

/**
 * A `MemoryManager` on Redis (`ioredis`): one hash per entry with `PEXPIRE` TTLs, a sorted-set
 * index per conversation, `MULTI` writes, and `WATCH`-guarded atomic updates on a dedicated
 * connection (safe across processes).
 *
 * Keys: `<prefix><namespace>:<conversationId>` (index) and `...:<conversationId>:<type>:<id>`
 * (entries); the prefix always ends with `:` (one is added when missing: `tenant` and
 * `tenant2` stay apart), ids never contain `:`, and internal keys use an empty conversation
 * id, so no id can name another key. While Redis is unreachable each call fails within its signal or
 * `timeoutMs` (default 5 s) with a retryable `StoreError`, nothing is queued for later, and
 * calls work again when Redis is back. Redis errors go to `logger`, never to the console.
 *
 * @example
 * ```ts no-run
 * const memory = new RedisMemoryManager({ url: 'redis://127.0.0.1:6379', keyPrefix: 'myapp:' });
 * await memory.store({ conversationId: 'c1', type: 'short-term', content: 'hello' });
 * await memory.close();
 * ```
 */
export class RedisMemoryManager implements MemoryManager {
  readonly #options: ResolvedMemoryOptions;
  readonly #prefix: string;
  readonly #maxAttempts: number;
  readonly #serial: Limiter = createLimiter(1);
  readonly #conn: RedisConnection;
  #tx: RedisConnection | undefined;

  constructor(options: RedisMemoryManagerOptions = {}) {
    this.#options = resolveOptions(options);
    this.#prefix = keyPrefix(options.keyPrefix ?? 'arshai:memory:');
    this.#maxAttempts = options.maxUpdateAttempts ?? 100;
    this.#conn = new RedisConnection(options, 'memory');
  }

  /** Increments and returns the namespace's entry counter. */
  #nextSeq(redis: Redis): Promise<number> {
    const base = `${this.#prefix}${this.#options.namespace}`;
    return redis.eval(NEXT_SEQ, 2, `${base}::seq`, `${base}:__seq`) as Promise<number>;
  }

  #entryKey(conversationId: string, type: string, id: string): string {
    return `${this.#prefix}${this.#options.namespace}:${conversationId}:${type}:${id}`;
  }

  #indexKey(conversationId: string): string {
    return `${this.#prefix}${this.#options.namespace}:${conversationId}`;
  }

  async store<V>(input: StoreInput<V>, options?: MemoryCallOptions): Promise<MemoryEntry<V>> {
    checkStore(input);
    const content = toJson(input.content, 'content');
    const metadata = toJson(input.metadata ?? {}, 'metadata');
    return this.#conn.run(
      'memory.store',
      (redis) => this.#store(redis, input, content, metadata),
      options?.signal,
    );
  }

  async #store<V>(
    redis: Redis,
    input: StoreInput<V>,
    content: string,
    metadata: string,
  ): Promise<MemoryEntry<V>> {
    const now = Date.now();
    const id = input.id ?? randomUUID();
    const key = this.#entryKey(input.conversationId, input.type, id);
    const index = this.#indexKey(input.conversationId);
    const expires = expiryFor(input.ttlMs, input.type, this.#options.ttl, now);
    const seq = await this.#nextSeq(redis);
    const multi = redis
      .multi()
      .hset(key, { content, metadata, updatedAt: now, expiresAt: expires ?? '' })
      .hsetnx(key, 'createdAt', now)
      .hsetnx(key, 'seq', seq);
    expireEntry(multi, key, expires, now);
    multi.zadd(index, 'NX', seq, `${input.type}:${id}`);
    multi.eval(EXTEND_INDEX, 1, index, expires === null ? -1 : expires - now);
    multi.hgetall(key);
    const results = await exec(multi);
    return toEntry<V>(
      input.conversationId,
      input.type,
      id,
      results.at(-1) as Record<string, string>,
    );
  }

  async retrieve<V = unknown>(
    query: RetrieveQuery,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>[]> {
    checkRetrieve(query);
    return this.#conn.run(
      'memory.retrieve',
      (redis) => this.#retrieve<V>(redis, query),
      options?.signal,
    );
  }

  async #retrieve<V>(redis: Redis, query: RetrieveQuery): Promise<MemoryEntry<V>[]> {
    const index = this.#indexKey(query.conversationId);
    if (query.limit === undefined) {
      const members = await redis.zrange(index, '0', '-1', 'WITHSCORES');
      const rows = await this.#read<V>(redis, query, pairs(members));
      return rows.flatMap((r) => r.match ?? []);
    }
    // Newest first, by the index's scores (the entries' seq): only the pages the answer needs.
    return newestMatches(query.limit, async (before, size) => {
      const members = await redis.zrevrangebyscore(
        index,
        `(${before}`,
        '-inf',
        'WITHSCORES',
        'LIMIT',
        0,
        size,
      );
      return this.#read<V>(redis, query, pairs(members));
    });
  }

  /** The entries of index members (type and id, with their seq), matched against `query`. */
  async #read<V>(
    redis: Redis,
    query: RetrieveQuery,
    members: Array<[string, number]>,
  ): Promise<Array<PageRow<MemoryEntry<V>>>> {
    // Only entries of the type asked for are read.
    const wanted = members.filter(([m]) => !query.type || m.startsWith(`${query.type}:`));
    const pipeline = redis.pipeline();
    for (const [m] of wanted)
      pipeline.hgetall(this.#entryKey(query.conversationId, ...splitMember(m)));
    const hashes = wanted.length ? await exec(pipeline) : [];
    const byMember = new Map(wanted.map(([m], i) => [m, hashes[i] as Record<string, string>]));
    const gone: string[] = [];
    const rows = members.map(([member, seq]): PageRow<MemoryEntry<V>> => {
      if (!byMember.has(member)) return { seq, match: undefined };
      const hash = byMember.get(member);
      const [type, id] = splitMember(member);
      if (!hash?.content) {
        gone.push(member);
        return { seq, match: undefined };
      }
      const entry = toEntry<V>(query.conversationId, type, id, hash);
      return { seq, match: matchesQuery(entry, hash.content, query) ? entry : undefined };
    });
    if (gone.length) await redis.zrem(this.#indexKey(query.conversationId), ...gone); // expired entries leave the index
    return rows;
  }

  async update<V>(
    key: MemoryKey,
    change: MemoryPatch<V> | MemoryUpdater<V>,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>> {
    checkKey(key);
    const signal = options?.signal;
    // WATCH is per connection: transactions run one at a time on a dedicated connection, and
    // WATCH makes them safe against writers in other processes.
    return this.#serial(() => {
      this.#tx ??= this.#conn.duplicate('memory-updates');
      return this.#tx.run('memory.update', (tx) => this.#update(tx, key, change, signal), signal);
    }, signal);
  }

  async #update<V>(
    tx: Redis,
    key: MemoryKey,
    change: MemoryPatch<V> | MemoryUpdater<V>,
    signal: AbortSignal | undefined,
  ): Promise<MemoryEntry<V>> {
    const k = this.#entryKey(key.conversationId, key.type, key.id);
    const index = this.#indexKey(key.conversationId);
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      throwIfAborted(signal);
      await tx.watch(k);
      const hash = await tx.hgetall(k);
      const current = hash.content
        ? toEntry<V>(key.conversationId, key.type, key.id, hash)
        : undefined;
      let patch: MemoryPatch<V>;
      try {
        patch = resolvePatch(change, current);
      } catch (error) {
        await tx.unwatch();
        throw error;
      }
      const content = toJson(
        patch.content === undefined ? current?.content : patch.content,
        'content',
      );
      const metadata = toJson({ ...current?.metadata, ...patch.metadata }, 'metadata');
      const now = Date.now();
      const expires = expiryFor(undefined, key.type, this.#options.ttl, now);
      const seq = current ? Number(hash.seq) : await this.#nextSeq(tx);
      const multi = tx.multi().hset(k, {
        content,
        metadata,
        updatedAt: now,
        expiresAt: expires ?? '',
        createdAt: current?.createdAt ?? now,
        seq,
      });
      expireEntry(multi, k, expires, now);
      multi.zadd(index, 'NX', seq, `${key.type}:${key.id}`);
      multi.eval(EXTEND_INDEX, 1, index, expires === null ? -1 : expires - now);
      multi.hgetall(k);
      const results = await multi.exec();
      if (results === null) continue; // another writer changed the entry: try again
      return toEntry<V>(
        key.conversationId,
        key.type,
        key.id,
        checkResults(results).at(-1) as Record<string, string>,
      );
    }
    throw new MemoryConflictError(k, this.#maxAttempts);
  }

  async delete(query: DeleteQuery, options?: MemoryCallOptions): Promise<number> {
    checkDelete(query);
    return this.#conn.run('memory.delete', (redis) => this.#delete(redis, query), options?.signal);
  }

  async #delete(redis: Redis, query: DeleteQuery): Promise<number> {
    const index = this.#indexKey(query.conversationId);
    const members =
      query.id !== undefined
        ? [`${query.type}:${query.id}`]
        : (await redis.zrange(index, '0', '-1')).filter(
            (m) => !query.type || m.startsWith(`${query.type}:`),
          );
    if (members.length === 0) return 0;
    const multi = redis.multi();
    for (const m of members) multi.del(this.#entryKey(query.conversationId, ...splitMember(m)));
    multi.zrem(index, ...members);
    const results = await exec(multi);
    return results.slice(0, members.length).reduce<number>((n, r) => n + Number(r), 0);
  }

  /** Closes the connections this manager opened; settles also while Redis is unreachable. */
  async close(): Promise<void> {
    const tx = this.#tx;
    this.#tx = undefined;
    await Promise.all([tx?.close(), this.#conn.close()]);
  }
}

type Batch = ReturnType<Redis['multi']>;

function expireEntry(multi: Batch, key: string, expires: number | null, now: number): void {
  if (expires === null) multi.persist(key);
  else multi.pexpire(key, Math.max(1, expires - now));
}

async function exec(batch: Batch | ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = await batch.exec();
  if (results === null) throw new MemoryConflictError('batch', 1);
  return checkResults(results);
}

function checkResults(results: Array<[Error | null, unknown]>): unknown[] {
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function splitMember(member: string): [MemoryType, string] {
  const at = member.indexOf(':');
  const type = member.slice(0, at) as MemoryType;
  const id = member.slice(at + 1);
  assertId(id, 'id');
  return [type, id];
}

function toEntry<V>(
  conversationId: string,
  type: MemoryType,
  id: string,
  hash: Record<string, string>,
): MemoryEntry<V> {
  return {
    id,
    conversationId,
    type,
    content: parseStored<V>(hash.content ?? 'null', 'redis', 'memory.read'),
    metadata: parseStored<Record<string, unknown>>(hash.metadata ?? '{}', 'redis', 'memory.read'),
    createdAt: Number(hash.createdAt),
    updatedAt: Number(hash.updatedAt),
    expiresAt: hash.expiresAt ? Number(hash.expiresAt) : null,
  };
}

/** `[member, score, member, score, …]` as pairs. */
function pairs(flat: string[]): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, Number(flat[i + 1])]);
  return out;
}
