import type { Redis, RedisOptions } from 'ioredis';
import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { StoreError } from '../errors/store-error.js';
import { abortErrorFrom, linkedController, raceAbort, throwIfAborted } from '../utils/abort.js';
import { type Logger, silentLogger } from '../utils/logger.js';
import { checkTimeoutMs } from '../utils/option-checks.js';
import { importOptional } from '../utils/optional-package.js';
import { bareError, redactSecrets } from '../utils/redact.js';

/** Connection options shared by the Redis backends. */
export interface RedisConnectionOptions {
  /** A Redis URL (`redis://host:port/db`); the connection opens on first use. */
  url?: string;
  /** Or an `ioredis` client you manage (not closed by `close()`, its options are yours). */
  client?: Redis;
  /**
   * Time limit of each call (waiting for a connection included) when the call's own signal
   * does not end it first. Past it the call fails with a retryable `StoreError`.
   * @default 5000
   */
  timeoutMs?: number | undefined;
  /** Receives connection errors (never the URL or its password). @default silent */
  logger?: Logger;
}

/**
 * A key prefix that ends with `:`, so that prefix + namespace (or run id) can be read back
 * one way only: `tenant` + `2acme` and `tenant2` + `acme` are different keys.
 */
export function keyPrefix(prefix: string): string {
  if (typeof prefix !== 'string') throw new InvalidInputError('keyPrefix', 'must be a string');
  return prefix === '' || prefix.endsWith(':') ? prefix : `${prefix}:`;
}

/** The default time limit of one Redis call. */
export const DEFAULT_REDIS_TIMEOUT_MS = 5000;

/** Redis replies that mean "busy, try again", not "refused". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY)\b/;

/**
 * @internal A lazily opened ioredis connection whose calls fail fast and typed: while Redis
 * is unreachable nothing is queued (so nothing runs later, unseen), each call ends within its
 * signal or `timeoutMs` with a retryable `StoreError`, connection errors go to the logger, and
 * the connection comes back by itself when Redis does.
 */
export class RedisConnection {
  readonly #url: string;
  readonly #given: Redis | undefined;
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  readonly #name: string;
  /** The URL's password: masked in every error. */
  readonly #secrets: string[];
  #client: Redis | undefined;

  constructor(options: RedisConnectionOptions, name: string) {
    checkTimeoutMs(options.timeoutMs, 'timeoutMs');
    this.#url = options.url ?? 'redis://127.0.0.1:6379';
    this.#given = options.client;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    this.#logger = options.logger ?? silentLogger;
    this.#name = name;
    this.#secrets = passwordOf(this.#url);
  }

  /** A second connection of the same kind (for WATCH transactions), always owned. */
  duplicate(name: string): RedisConnection {
    const copy = new RedisConnection(
      { url: this.#url, timeoutMs: this.#timeoutMs, logger: this.#logger },
      name,
    );
    if (this.#given) copy.#client = copy.#watch(this.#given.duplicate());
    return copy;
  }

  /**
   * Runs `work` on a ready connection within the call's time limit. Failures are typed:
   * the caller's abort as `AbortError`, outages and timeouts as retryable `StoreError`,
   * refused commands as non-retryable `StoreError`; arshai errors thrown by `work` as they are.
   */
  async run<T>(
    operation: string,
    work: (redis: Redis) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    throwIfAborted(signal);
    const limit = linkedController(signal, this.#timeoutMs, `Redis ${operation}`);
    try {
      const redis = await this.#redis();
      await ready(redis, limit.signal);
      return await raceAbort(work(redis), limit.signal);
    } catch (error) {
      throw this.#typed(error, operation, signal);
    } finally {
      limit.dispose();
    }
  }

  /** Closes an owned connection (politely when it is up, at once when it is not). */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (!client || client === this.#given) return;
    if (client.status === 'ready') {
      const bye = linkedController(undefined, this.#timeoutMs);
      try {
        await raceAbort(client.quit(), bye.signal);
      } catch (error) {
        this.#logger.debug('arshai: redis quit failed; disconnecting', { error: nameOf(error) });
      } finally {
        bye.dispose();
      }
    }
    client.disconnect();
  }

  async #redis(): Promise<Redis> {
    if (this.#client) return this.#client;
    if (this.#given) {
      this.#client = this.#given;
      return this.#client;
    }
    const options: RedisOptions = {
      lazyConnect: true,
      // Fail fast instead of queueing while disconnected; never resend a command later.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: this.#timeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    };
    const { Redis } = await loadIoredis();
    // Another call may have opened it while the package loaded.
    this.#client ??= this.#watch(new Redis(this.#url, options));
    return this.#client;
  }

  /** ioredis errors go to the logger, never to the console ("Unhandled error event"). */
  #watch(client: Redis): Redis {
    client.on('error', (error: unknown) => {
      this.#logger.warn('arshai: redis connection error', {
        connection: this.#name,
        error: nameOf(error),
        code: (error as { code?: unknown })?.code,
      });
    });
    return client;
  }

  #typed(error: unknown, operation: string, signal: AbortSignal | undefined): ArshaiError {
    return redactSecrets(this.#typedRaw(error, operation, signal), this.#secrets);
  }

  #typedRaw(error: unknown, operation: string, signal: AbortSignal | undefined): ArshaiError {
    if (signal?.aborted) return abortErrorFrom(signal);
    const store = 'redis';
    if (ArshaiError.isInstance(error) && error.name === 'TimeoutError') {
      return new StoreError(`Redis did not answer ${operation} within ${this.#timeoutMs} ms`, {
        store,
        operation,
        retryable: true,
        cause: error,
      });
    }
    if (ArshaiError.isInstance(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (nameOf(error) === 'ReplyError') {
      return new StoreError(`Redis refused ${operation}: ${message}`, {
        store,
        operation,
        retryable: TRANSIENT_REPLY.test(message),
        cause: bareError(error, ['code']), // never the command's arguments
      });
    }
    return new StoreError(`Redis is unavailable for ${operation}: ${message}`, {
      store,
      operation,
      retryable: true,
      cause: bareError(error, ['code']), // never the command's arguments
    });
  }
}

/** One wait for 'ready' per client, shared by every call made while it connects. */
const readiness = new WeakMap<Redis, Promise<void>>();

/** Resolves once `redis` is ready (connecting it when needed), or rejects when `signal` aborts. */
function ready(redis: Redis, signal: AbortSignal): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  if (redis.status === 'wait' || redis.status === 'end') {
    return raceAbort(redis.connect(), signal);
  }
  let waiting = readiness.get(redis);
  if (!waiting) {
    waiting = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    readiness.set(redis, waiting);
    waiting.then(() => readiness.delete(redis));
  }
  return raceAbort(waiting, signal);
}

function passwordOf(url: string): string[] {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** The `ioredis` package, loaded on first use (a typed error names it when missing). */
export function loadIoredis(): Promise<{ Redis: typeof Redis }> {
  return importOptional('ioredis', 'arshai/redis', () => import('ioredis'));
}
