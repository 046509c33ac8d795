/** The kinds of memory a conversation has. */
export type MemoryType = 'short-term' | 'long-term' | 'working';

/** The memory types, for validation and iteration. */
export const MEMORY_TYPES: readonly MemoryType[] = ['short-term', 'long-term', 'working'];

/** One stored memory. */
export interface MemoryEntry<V = unknown> {
  id: string;
  conversationId: string;
  type: MemoryType;
  content: V;
  metadata: Record<string, unknown>;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  /** When the entry expires (epoch ms), or `null` for never. */
  expiresAt: number | null;
}

/** What `store` takes. */
export interface StoreInput<V = unknown> {
  conversationId: string;
  type: MemoryType;
  /** Any JSON-serialisable value. */
  content: V;
  metadata?: Record<string, unknown>;
  /** Your id; a random one otherwise. Storing an existing id replaces that entry. */
  id?: string;
  /** Overrides the manager's TTL for this type; `null` never expires. */
  ttlMs?: number | null;
}

/** What `retrieve` takes. */
export interface RetrieveQuery {
  conversationId: string;
  /** Only this type; all types otherwise. */
  type?: MemoryType;
  /** Case-insensitive substring that the entry's content (as JSON text) must contain. */
  query?: string;
  /** Metadata fields that must equal these values. */
  filters?: Record<string, unknown>;
  /** Keep only the newest `limit` matches (results stay oldest first). */
  limit?: number;
}

/** Identifies one entry. */
export interface MemoryKey {
  conversationId: string;
  type: MemoryType;
  id: string;
}

/** What `delete` takes: one entry (`id`), one type, or the whole conversation. */
export interface DeleteQuery {
  conversationId: string;
  type?: MemoryType;
  id?: string;
}

/** A change to an entry: new content and/or metadata (merged). */
export interface MemoryPatch<V = unknown> {
  content?: V;
  metadata?: Record<string, unknown>;
}

/**
 * A read-modify-write update: receives the current entry (or `undefined` when there is none)
 * and returns the new content. Runs atomically: concurrent updates never lose each other.
 */
export type MemoryUpdater<V = unknown> = (current: MemoryEntry<V> | undefined) => MemoryPatch<V>;

/** Per-call options. */
export interface MemoryCallOptions {
  signal?: AbortSignal | undefined;
}

/**
 * Where agents and orchestrators keep memory, keyed by conversation and memory type.
 * Backends: `InMemoryManager`, `SqliteMemoryManager` (the embedded default) and
 * `RedisMemoryManager`; all pass one conformance suite.
 *
 * Semantics shared by every backend:
 * - `retrieve` returns entries oldest first; `limit` keeps the newest N matches.
 * - TTL is sliding: `store` and `update` (re)start an entry's time to live; reads do not.
 * - `update` is atomic; with an updater function it is a read-modify-write that creates the
 *   entry when missing.
 * - Ids (`conversationId`, `id`, namespace) are validated: 1-128 characters of letters,
 *   digits and `_ - . @ + =`, no `..`. Bad input is an `InvalidInputError`; nothing is touched.
 *
 * @example
 * ```ts
 * const memory: MemoryManager = new InMemoryManager();
 * await memory.store({ conversationId: 'c1', type: 'long-term', content: 'Prefers email' });
 * const entries = await memory.retrieve({ conversationId: 'c1', query: 'email' });
 * ```
 */
export interface MemoryManager {
  store<V>(input: StoreInput<V>, options?: MemoryCallOptions): Promise<MemoryEntry<V>>;
  retrieve<V = unknown>(
    query: RetrieveQuery,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>[]>;
  update<V>(
    key: MemoryKey,
    change: MemoryPatch<V> | MemoryUpdater<V>,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>>;
  /** Deletes what `query` names; returns how many entries went. */
  delete(query: DeleteQuery, options?: MemoryCallOptions): Promise<number>;
  /** Releases connections or files. */
  close(): Promise<void>;
}

/** TTL per memory type in milliseconds; `null` never expires. */
export type MemoryTtl = Record<MemoryType, number | null>;

/** Default TTLs: short-term 24 h, working 7 days, long-term never. */
export const DEFAULT_MEMORY_TTL: MemoryTtl = {
  'short-term': 24 * 60 * 60 * 1000,
  working: 7 * 24 * 60 * 60 * 1000,
  'long-term': null,
};

/** Options every memory manager takes. */
export interface MemoryManagerOptions {
  /**
   * Separates tenants sharing one store.
   * @default 'default'
   */
  namespace?: string;
  /**
   * Time to live per memory type.
   * @default DEFAULT_MEMORY_TTL
   */
  ttlMs?: Partial<MemoryTtl>;
  /** Clock (epoch ms), for tests. @default Date.now */
  now?: () => number;
}
