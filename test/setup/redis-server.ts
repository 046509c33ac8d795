/**
 * Vitest global setup: installs redis-server if missing, starts a private one on a free
 * loopback port, and provides its URL to tests as `inject('redisUrl')`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type RedisProcess, startRedis } from './redis-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let redis: RedisProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  try {
    execFileSync('bash', [join(import.meta.dirname, '../../scripts/ensure-redis.sh')], {
      stdio: 'inherit',
    });
  } catch {
    // The script has said what failed and what to do; this says which step stopped the run.
    throw new Error(
      'The tests need redis-server, and scripts/ensure-redis.sh could not install it (its message is above).',
    );
  }
  redis = await startRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.dispose();
}
