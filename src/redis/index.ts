export {
  RedisCheckpointer,
  type RedisCheckpointerOptions,
} from './redis-checkpointer.js';
export {
  MemoryConflictError,
  RedisMemoryManager,
  type RedisMemoryManagerOptions,
} from './redis-memory-manager.js';
