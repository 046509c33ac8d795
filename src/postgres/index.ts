export { PostgresCheckpointer } from './postgres-checkpointer.js';
export type {
  PgClientLike,
  PgPoolLike,
  PostgresConnectionOptions,
  PostgresTarget,
} from './postgres-connection.js';
export {
  PostgresMemoryManager,
  type PostgresMemoryManagerOptions,
} from './postgres-memory-manager.js';
