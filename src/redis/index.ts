export {
  MemoryConflictError,
  RedisMemoryManager,
  type RedisMemoryManagerOptions,
} from '../memory/redis-memory-manager.js';
