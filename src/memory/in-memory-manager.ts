import { InvalidInputError } from '../errors/invalid-input-error.js';
import { throwIfAborted } from '../utils/abort.js';
import { randomUUID } from '../utils/uuid.js';
import { expiryFor, matchesQuery, resolvePatch } from './memory-query.js';
import type {
  DeleteQuery,
  MemoryCallOptions,
  MemoryEntry,
  MemoryKey,
  MemoryManager,
  MemoryManagerOptions,
  MemoryPatch,
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

/** Options of {@link InMemoryManager}. */
export interface InMemoryManagerOptions extends MemoryManagerOptions {
  /**
   * Most entries kept; past it the least recently used are evicted.
   * @default 10000
   */
  maxEntries?: number;
}

interface Row {
  entry: MemoryEntry;
  json: string;
  seq: number;
}

/** An entry's place in its conversation; stale once the entry is gone (or stored anew). */
interface Slot {
  key: string;
  seq: number;
}

interface ConversationIndex {
  slots: Slot[];
  /** Entries of the conversation in the store. */
  live: number;
}

/**
 * A `MemoryManager` in process memory: TTL and a size bound with LRU eviction. Nothing
 * survives a restart; use `SqliteMemoryManager` for that.
 *
 * @example
 * ```ts
 * const memory = new InMemoryManager({ maxEntries: 1000 });
 * await memory.store({ conversationId: 'c1', type: 'working', id: 'summary', content: 'Likes tea' });
 * ```
 */
export class InMemoryManager implements MemoryManager {
  readonly #options: ResolvedMemoryOptions;
  readonly #max: number;
  /** Insertion/access order is the LRU order. */
  readonly #rows = new Map<string, Row>();
  /** Each conversation's rows in `seq` order: what a read walks, newest first. */
  readonly #conversations = new Map<string, ConversationIndex>();
  #seq = 0;

  constructor(options: InMemoryManagerOptions = {}) {
    this.#options = resolveOptions(options);
    this.#max = options.maxEntries ?? 10_000;
    if (!Number.isInteger(this.#max) || this.#max < 1) {
      throw new InvalidInputError('maxEntries', 'must be a positive integer');
    }
  }

  async store<V>(input: StoreInput<V>, options?: MemoryCallOptions): Promise<MemoryEntry<V>> {
    throwIfAborted(options?.signal);
    checkStore(input);
    const json = toJson(input.content, 'content');
    const metadata = input.metadata ?? {};
    toJson(metadata, 'metadata');
    const now = this.#options.now();
    const id = input.id ?? randomUUID();
    const key = this.#key(input.conversationId, input.type, id);
    const previous = this.#live(key, now);
    const entry: MemoryEntry<V> = {
      id,
      conversationId: input.conversationId,
      type: input.type,
      content: structuredClone(input.content),
      metadata: structuredClone(metadata),
      createdAt: previous?.entry.createdAt ?? now,
      updatedAt: now,
      expiresAt: expiryFor(input.ttlMs, input.type, this.#options.ttl, now),
    };
    this.#put(key, { entry, json, seq: previous?.seq ?? ++this.#seq });
    return structuredClone(entry);
  }

  async retrieve<V = unknown>(
    query: RetrieveQuery,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>[]> {
    throwIfAborted(options?.signal);
    checkRetrieve(query);
    const now = this.#options.now();
    const index = this.#conversations.get(this.#conversation(query.conversationId));
    const matches = (row: Row) =>
      (!query.type || row.entry.type === query.type) &&
      !isExpired(row, now) &&
      matchesQuery(row.entry, row.json, query);
    const found: Row[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    // Newest first, only until enough matched.
    const slots = index?.slots ?? [];
    for (let i = slots.length - 1; i >= 0 && found.length < limit; i--) {
      const slot = slots[i] as Slot;
      const row = this.#rows.get(slot.key);
      if (row?.seq === slot.seq && matches(row)) found.push(row);
    }
    found.reverse();
    return found.map((r) => structuredClone(r.entry) as MemoryEntry<V>);
  }

  async update<V>(
    key: MemoryKey,
    change: MemoryPatch<V> | MemoryUpdater<V>,
    options?: MemoryCallOptions,
  ): Promise<MemoryEntry<V>> {
    throwIfAborted(options?.signal);
    checkKey(key);
    const now = this.#options.now();
    const k = this.#key(key.conversationId, key.type, key.id);
    const current = this.#live(k, now);
    const snapshot = current ? (structuredClone(current.entry) as MemoryEntry<V>) : undefined;
    const patch = resolvePatch(change, snapshot);
    const content = patch.content === undefined ? current?.entry.content : patch.content;
    const metadata = { ...current?.entry.metadata, ...patch.metadata };
    const json = toJson(content, 'content');
    toJson(metadata, 'metadata');
    const entry: MemoryEntry<V> = {
      id: key.id,
      conversationId: key.conversationId,
      type: key.type,
      content: structuredClone(content) as V,
      metadata: structuredClone(metadata),
      createdAt: current?.entry.createdAt ?? now,
      updatedAt: now,
      expiresAt: expiryFor(undefined, key.type, this.#options.ttl, now),
    };
    this.#put(k, { entry, json, seq: current?.seq ?? ++this.#seq });
    return structuredClone(entry);
  }

  async delete(query: DeleteQuery, options?: MemoryCallOptions): Promise<number> {
    throwIfAborted(options?.signal);
    checkDelete(query);
    const now = this.#options.now();
    if (query.id !== undefined && query.type !== undefined) {
      const key = this.#key(query.conversationId, query.type, query.id);
      const live = this.#live(key, now);
      this.#remove(key);
      return live ? 1 : 0;
    }
    const index = this.#conversations.get(this.#conversation(query.conversationId));
    let count = 0;
    for (const { key, seq } of [...(index?.slots ?? [])]) {
      const row = this.#rows.get(key);
      if (row?.seq !== seq || (query.type && row.entry.type !== query.type)) continue;
      this.#remove(key);
      if (!isExpired(row, now)) count++;
    }
    return count;
  }

  async close(): Promise<void> {}

  #conversation(conversationId: string): string {
    return `${this.#options.namespace}\u0000${conversationId}`;
  }

  #key(conversationId: string, type: string, id: string): string {
    return `${this.#conversation(conversationId)}\u0000${type}\u0000${id}`;
  }

  #live(key: string, now: number): Row | undefined {
    const row = this.#rows.get(key);
    if (row && isExpired(row, now)) {
      this.#remove(key);
      return undefined;
    }
    return row;
  }

  #put(key: string, row: Row): void {
    const replaced = this.#rows.get(key)?.seq === row.seq;
    this.#rows.delete(key); // re-insert: most recently used
    this.#rows.set(key, row);
    const conversation = this.#conversation(row.entry.conversationId);
    let index = this.#conversations.get(conversation);
    if (!index) {
      index = { slots: [], live: 0 };
      this.#conversations.set(conversation, index);
    }
    // A new entry gets a slot; an entry written again keeps its own (its seq).
    if (!replaced) {
      index.slots.push({ key, seq: row.seq });
      index.live++;
    }
    while (this.#rows.size > this.#max) this.#remove(this.#rows.keys().next().value as string);
  }

  #remove(key: string): void {
    const row = this.#rows.get(key);
    if (!row) return;
    this.#rows.delete(key);
    const conversation = this.#conversation(row.entry.conversationId);
    const index = this.#conversations.get(conversation);
    if (!index) return;
    index.live--;
    if (index.live === 0) this.#conversations.delete(conversation);
    // Slots of removed entries are skipped by reads; dropped once they outnumber the live.
    else if (index.slots.length > 2 * index.live + 64)
      index.slots = index.slots.filter((s) => this.#rows.get(s.key)?.seq === s.seq);
  }
}

function isExpired(row: Row, now: number): boolean {
  return row.entry.expiresAt !== null && row.entry.expiresAt <= now;
}
