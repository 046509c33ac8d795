import { InvalidInputError } from '../errors/invalid-input-error.js';
import type {
  MemoryEntry,
  MemoryPatch,
  MemoryTtl,
  MemoryType,
  MemoryUpdater,
  RetrieveQuery,
} from './memory-types.js';

/** True when an entry passes `query.query` and `query.filters` (type and expiry checked by the backend). */
export function matchesQuery(
  entry: MemoryEntry,
  contentJson: string,
  query: RetrieveQuery,
): boolean {
  if (query.query && !contentJson.toLowerCase().includes(query.query.toLowerCase())) return false;
  if (query.filters) {
    for (const [key, value] of Object.entries(query.filters)) {
      // Own keys only: a filter named like `__proto__` or `constructor` matches stored data,
      // never what every object inherits.
      const stored = Object.hasOwn(entry.metadata, key) ? entry.metadata[key] : undefined;
      if (!sameValue(stored, value)) return false;
    }
  }
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

/** One row of a newest-first page: its sequence number, and its entry when it matches. */
export interface PageRow<T> {
  seq: number;
  match: T | undefined;
}

/**
 * The newest `limit` matches (oldest first), reading the store newest first, page by page,
 * only until enough matched: a read costs what it returns, not the conversation's length.
 * `page(before, size)` gives up to `size` rows with `seq < before`, newest first.
 */
export async function newestMatches<T>(
  limit: number,
  page: (before: number, size: number) => Promise<PageRow<T>[]> | PageRow<T>[],
): Promise<T[]> {
  const found: T[] = [];
  let before = Number.MAX_SAFE_INTEGER;
  let size = Math.max(limit, 1);
  while (found.length < limit) {
    const rows = await page(before, size);
    for (const row of rows) {
      if (row.match !== undefined) found.push(row.match);
      if (found.length === limit) break;
    }
    if (rows.length < size) break;
    before = (rows.at(-1) as PageRow<T>).seq;
    size = Math.min(size * 2, 1000);
  }
  return found.reverse();
}

/** When an entry written now expires. */
export function expiryFor(
  ttlMs: number | null | undefined,
  type: MemoryType,
  ttl: MemoryTtl,
  now: number,
): number | null {
  const ms = ttlMs === undefined ? ttl[type] : ttlMs;
  return ms === null ? null : now + ms;
}

/** The patch an update applies: a plain patch, or the updater's answer for `current`. */
export function resolvePatch<V>(
  change: MemoryPatch<V> | MemoryUpdater<V>,
  current: MemoryEntry<V> | undefined,
): MemoryPatch<V> {
  const patch = typeof change === 'function' ? change(current) : change;
  if (typeof patch !== 'object' || patch === null) {
    throw new InvalidInputError(
      'change',
      'must be a patch { content?, metadata? } or a function returning one',
    );
  }
  if (!current && patch.content === undefined) {
    throw new InvalidInputError(
      'change',
      'the entry does not exist: the update must provide content',
    );
  }
  return patch;
}
