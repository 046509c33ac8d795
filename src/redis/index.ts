export {
  MemoryConflictError,
  RedisMemoryManager,
  type RedisMemoryManagerOptions,
} from '../memory/redis-memory-manager.js';
export {
  RedisCheckpointer,
  type RedisCheckpointerOptions,
} from '../workflows/redis-checkpointer.js';
