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
  execFileSync('bash', [join(import.meta.dirname, '../../scripts/ensure-redis.sh')], {
    stdio: 'inherit',
  });
  redis = await startRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.dispose();
}
