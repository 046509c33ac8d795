export {
  ConversationHistory,
  type ConversationHistoryCallOptions,
  type ConversationHistoryOptions,
} from './conversation-history.js';
export { InMemoryManager, type InMemoryManagerOptions } from './in-memory-manager.js';
export {
  DEFAULT_MEMORY_TTL,
  type DeleteQuery,
  type MemoryCallOptions,
  type MemoryEntry,
  type MemoryKey,
  type MemoryManager,
  type MemoryManagerOptions,
  type MemoryPatch,
  type MemoryTtl,
  type MemoryType,
  type MemoryUpdater,
  type RetrieveQuery,
  type StoreInput,
} from './memory-types.js';
export { SqliteMemoryManager, type SqliteMemoryManagerOptions } from './sqlite-memory-manager.js';
