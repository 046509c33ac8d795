import { MissingPackageError } from '../errors/missing-package-error.js';
import type { MemoryManager } from '../memory/memory-types.js';
import type { Checkpointer } from '../workflows/checkpointer.js';
import { urlLabel } from './url-label.js';
import { UsageError } from './usage-error.js';

/** The Redis side of the CLI: runs and memory in one Redis, under `arshai:`. */
export interface RedisStores {
  checkpointer: Checkpointer;
  memory: MemoryManager;
  /** The URL without its password, for messages. */
  label: string;
  close(): Promise<void>;
}

/** A Redis URL without its password, or a usage error naming what is wrong with it. */
export function redisLabel(url: string): string {
  return urlLabel(url, '--redis', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379');
}

/** Loads an optional peer, or says how to install it. */
export async function loadPeer<T>(
  load: () => Promise<T>,
  packages: string,
  flag = '--redis',
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string })?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || MissingPackageError.isInstance(error))
      throw new UsageError(`${flag} needs ${packages}: npm install ${packages}`);
    throw error;
  }
}

/** Opens the checkpointer and memory of the showcase in Redis (connections open on use). */
export async function openRedisStores(url: string): Promise<RedisStores> {
  const label = redisLabel(url);
  const redis = await loadPeer(() => import('../redis/index.js'), 'ioredis');
  const checkpointer = new redis.RedisCheckpointer({ url, keyPrefix: 'arshai:checkpoints:' });
  const memory = new redis.RedisMemoryManager({ url, keyPrefix: 'arshai:memory:' });
  return {
    checkpointer,
    memory,
    label,
    close: async () => {
      await Promise.allSettled([checkpointer.close(), memory.close()]);
    },
  };
}
