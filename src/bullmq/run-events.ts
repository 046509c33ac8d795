import type { Redis } from 'ioredis';
import type { RedisConnection } from '../redis/redis-connection.js';
import { abortErrorFrom, raceAbort } from '../utils/abort.js';
import type { Logger } from '../utils/logger.js';
import {
  eventsChannel,
  parseEvent,
  type QueueConnection,
  type QueueEvent,
  redisClient,
} from './step-jobs.js';

/** A wait for news of one run: `next` resolves on an event, or after `ms` at the latest. */
export interface RunWatch {
  next(ms: number, signal: AbortSignal): Promise<'event' | 'timeout'>;
  close(): void;
}

interface Watcher {
  pending: boolean;
  wake?: () => void;
}

/**
 * The queue family's pub/sub channel: workers announce stopped runs (so `result` answers at
 * once) and producers announce cancels (so the in-flight node's signal aborts). It only
 * speeds things up: every decision is made on the checkpoint store, and a message lost while
 * Redis was away costs at most one poll.
 */
export class RunEvents {
  readonly #connection: QueueConnection;
  readonly #channel: string;
  readonly #logger: Logger;
  readonly #publisher: RedisConnection;
  readonly #watchers = new Map<string, Set<Watcher>>();
  readonly #cancelListeners = new Set<(runId: string) => void>();
  #subscriber: Redis | undefined;
  #subscribed: Promise<unknown> | undefined;

  constructor(
    connection: QueueConnection,
    prefix: string,
    name: string,
    logger: Logger,
    publisher: RedisConnection,
  ) {
    this.#connection = connection;
    this.#channel = eventsChannel(prefix, name);
    this.#logger = logger;
    this.#publisher = publisher;
  }

  /** Resolves once subscribed (retried on the next call when Redis was away). */
  async ready(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#subscriber) {
      const subscriber = redisClient(this.#connection, 'subscriber', this.#logger);
      subscriber.on('message', (_channel: string, message: string) => this.#deliver(message));
      this.#subscriber = subscriber;
    }
    const subscriber = this.#subscriber;
    this.#subscribed ??= subscriber.subscribe(this.#channel).catch((error: unknown) => {
      this.#subscribed = undefined;
      throw error;
    });
    const subscribed = this.#subscribed;
    await (signal ? raceAbort(subscribed, signal) : subscribed);
  }

  /** Watches one run's `stopped` events (start watching before reading its state). */
  watch(runId: string): RunWatch {
    const watcher: Watcher = { pending: false };
    const set = this.#watchers.get(runId) ?? new Set<Watcher>();
    set.add(watcher);
    this.#watchers.set(runId, set);
    return {
      next: (ms, signal) =>
        new Promise((resolve, reject) => {
          if (watcher.pending) {
            watcher.pending = false;
            resolve('event');
            return;
          }
          if (signal.aborted) {
            reject(abortErrorFrom(signal));
            return;
          }
          const done = (outcome: 'event' | 'timeout') => {
            clearTimeout(timer);
            signal.removeEventListener('abort', stop);
            watcher.wake = undefined;
            watcher.pending = false;
            resolve(outcome);
          };
          const stop = () => {
            clearTimeout(timer);
            watcher.wake = undefined;
            reject(abortErrorFrom(signal));
          };
          const timer = setTimeout(() => done('timeout'), ms);
          watcher.wake = () => done('event');
          signal.addEventListener('abort', stop, { once: true });
        }),
      close: () => {
        set.delete(watcher);
        if (set.size === 0 && this.#watchers.get(runId) === set) this.#watchers.delete(runId);
      },
    };
  }

  /** Calls `listener` with the run id of every cancel announced. */
  onCancel(listener: (runId: string) => void): void {
    this.#cancelListeners.add(listener);
  }

  async publish(event: QueueEvent, signal: AbortSignal | undefined): Promise<void> {
    await this.#publisher.run(
      'events.publish',
      (redis) => redis.publish(this.#channel, JSON.stringify(event)),
      signal,
    );
  }

  async close(): Promise<void> {
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    this.#subscribed = undefined;
    subscriber?.disconnect();
  }

  #deliver(message: string): void {
    const event = parseEvent(message);
    if (!event) return;
    if (event.type === 'cancel') {
      for (const listener of this.#cancelListeners) listener(event.runId);
      return;
    }
    for (const watcher of this.#watchers.get(event.runId) ?? []) {
      if (watcher.wake) watcher.wake();
      else watcher.pending = true;
    }
  }
}
