import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { Logger } from '../utils/logger.js';
import { Redis, type RedisOptions } from './bullmq-sdk.js';

/** Where Redis is: a URL (`redis://host:6379/0`, `rediss://` for TLS) or ioredis options. */
export type QueueConnection = string | RedisOptions;

/** What a step's job carries: which run, and which of its checkpoints it continues from. */
export interface StepJobData {
  runId: string;
  /** The checkpoint step the job runs from. */
  step: number;
  /** The resumes of that step (a resumed step gets a job of its own). */
  resumes: number;
  workflow: string;
}

/** Options both sides share. */
export interface QueueSideOptions {
  connection: QueueConnection;
  /** The queue family's name: each workflow has its queue `<name>.<workflow>`. @default 'arshai' */
  name?: string;
  /** BullMQ's key prefix in Redis. @default 'bull' */
  prefix?: string;
  /** Receives connection errors and dropped steps (never prompts or state). @default silent */
  logger?: Logger;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The family name and prefix, checked. */
export function queueNames(options: QueueSideOptions): { name: string; prefix: string } {
  const name = options.name ?? 'arshai';
  const prefix = options.prefix ?? 'bull';
  if (!NAME.test(name)) throw new InvalidInputError('name', 'must be 1-64 letters, digits, _ or -');
  if (!NAME.test(prefix))
    throw new InvalidInputError('prefix', 'must be 1-64 letters, digits, _ or -');
  if (options.connection === undefined || options.connection === null)
    throw new InvalidInputError('connection', 'a Redis URL or ioredis options are required');
  return { name, prefix };
}

/** The BullMQ queue of one workflow: `<name>.<workflow>` (no `.` in either part). */
export function workflowQueueName(name: string, workflow: string): string {
  return `${name}.${workflow}`;
}

/**
 * A step's job id: `<runId>:<step>:<resumes>`, the same for every enqueue of one step, so a
 * duplicate is harmless. (BullMQ refuses ids with a single `:`; run ids have none.)
 */
export function stepJobId(data: Pick<StepJobData, 'runId' | 'step' | 'resumes'>): string {
  return `${data.runId}:${data.step}:${data.resumes}`;
}

/** The pub/sub channel of a queue family: stopped runs and cancels. */
export function eventsChannel(prefix: string, name: string): string {
  return `${prefix}:${name}:arshai-events`;
}

/** A message on the events channel. */
export type QueueEvent = { type: 'stopped'; runId: string } | { type: 'cancel'; runId: string };

/** Parses a channel message; anything else is ignored. */
export function parseEvent(message: string): QueueEvent | undefined {
  try {
    const event = JSON.parse(message) as QueueEvent;
    return typeof event?.runId === 'string' && (event.type === 'stopped' || event.type === 'cancel')
      ? event
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An ioredis client for one purpose. `producer`: fails fast while Redis is down (nothing is
 * queued to run later, unseen). `worker`: what BullMQ's blocking reads need (it retries by
 * itself). Connection errors go to the logger, never to the console.
 */
export function redisClient(
  connection: QueueConnection,
  purpose: 'producer' | 'worker' | 'subscriber',
  logger: Logger,
): Redis {
  const own: RedisOptions =
    purpose === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true }
      : purpose === 'worker'
        ? { maxRetriesPerRequest: null }
        : { lazyConnect: true };
  const retry: RedisOptions = { retryStrategy: (n) => Math.min(n * 100, 2000) };
  const client =
    typeof connection === 'string'
      ? new Redis(connection, { ...retry, ...own })
      : new Redis({ ...retry, ...connection, ...own });
  client.on('error', (error: unknown) => {
    logger.warn('arshai: redis connection error', {
      connection: `bullmq-${purpose}`,
      error: (error as Error)?.name,
      code: (error as { code?: unknown })?.code,
    });
  });
  return client;
}
