import { InvalidInputError } from '../errors/invalid-input-error.js';
import { assertId } from '../utils/ids.js';

import {
  DEFAULT_MEMORY_TTL,
  type DeleteQuery,
  MEMORY_TYPES,
  type MemoryKey,
  type MemoryManagerOptions,
  type MemoryTtl,
  type MemoryType,
  type RetrieveQuery,
  type StoreInput,
} from './memory-types.js';

export function assertType(value: unknown, field = 'type'): asserts value is MemoryType {
  if (!MEMORY_TYPES.includes(value as MemoryType)) {
    throw new InvalidInputError(field, `must be one of ${MEMORY_TYPES.join(', ')}`);
  }
}

export function checkStore(input: StoreInput<unknown>): void {
  assertId(input?.conversationId, 'conversationId');
  assertType(input.type);
  if (input.id !== undefined) assertId(input.id, 'id');
  if (input.content === undefined) throw new InvalidInputError('content', 'is required');
  if (input.ttlMs !== undefined && input.ttlMs !== null && !(input.ttlMs > 0)) {
    throw new InvalidInputError('ttlMs', 'must be a positive number of milliseconds or null');
  }
}

export function checkKey(key: MemoryKey): void {
  assertId(key?.conversationId, 'conversationId');
  assertType(key.type);
  assertId(key.id, 'id');
}

export function checkRetrieve(query: RetrieveQuery): void {
  assertId(query?.conversationId, 'conversationId');
  if (query.type !== undefined) assertType(query.type);
  if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 0)) {
    throw new InvalidInputError('limit', 'must be a non-negative integer');
  }
}

export function checkDelete(query: DeleteQuery): void {
  assertId(query?.conversationId, 'conversationId');
  if (query.type !== undefined) assertType(query.type);
  if (query.id !== undefined) {
    if (query.type === undefined) throw new InvalidInputError('type', 'is required with id');
    assertId(query.id, 'id');
  }
}

/** Resolved options shared by the backends. */
export interface ResolvedMemoryOptions {
  namespace: string;
  ttl: MemoryTtl;
  now: () => number;
}

export function resolveOptions(options: MemoryManagerOptions = {}): ResolvedMemoryOptions {
  const namespace = options.namespace ?? 'default';
  assertId(namespace, 'namespace');
  return {
    namespace,
    ttl: { ...DEFAULT_MEMORY_TTL, ...options.ttlMs },
    now: options.now ?? Date.now,
  };
}

/** Serialises content to JSON, rejecting what JSON cannot hold. */
export function toJson(value: unknown, field: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidInputError(field, 'must be JSON-serialisable', { cause: error });
  }
  if (text === undefined) throw new InvalidInputError(field, 'must be JSON-serialisable');
  return text;
}
