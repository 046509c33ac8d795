import type * as BullMQ from 'bullmq';
import type * as IORedis from 'ioredis';
import { importOptional } from '../utils/optional-package.js';

// Loaded when `arshai/bullmq` is imported (top-level await), never by the root entry: a
// missing package is a `MissingPackageError` naming it, with the `npm install` to run.
// ioredis first: a missing ioredis must not read as a broken bullmq.
const ioredis = await importOptional('ioredis', 'arshai/bullmq', () => import('ioredis'));
const bullmq = await importOptional('bullmq', 'arshai/bullmq', () => import('bullmq'));

/** ioredis' client class. */
export const Redis: typeof IORedis.Redis = ioredis.Redis;
export type Redis = IORedis.Redis;
export type RedisOptions = IORedis.RedisOptions;

/** BullMQ's queue class. */
export const Queue: typeof BullMQ.Queue = bullmq.Queue;
export type Queue = BullMQ.Queue;

/** BullMQ's worker class. */
export const Worker: typeof BullMQ.Worker = bullmq.Worker;
export type Worker<D = unknown, R = unknown> = BullMQ.Worker<D, R>;
export type Job<D = unknown, R = unknown> = BullMQ.Job<D, R>;
