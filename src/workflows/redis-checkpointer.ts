import { Redis } from 'ioredis';
import { type Checkpoint, type Checkpointer, type RunSummary, summarize } from './checkpointer.js';

/** Options of {@link RedisCheckpointer}. */
export interface RedisCheckpointerOptions {
  /** A Redis URL; the connection opens on first use. */
  url?: string;
  /** Or an `ioredis` client you manage (not closed by `close()`). */
  client?: Redis;
  /** @default 'arshai:checkpoints:' */
  keyPrefix?: string;
  /** Time to keep a run's checkpoints after its last step. @default never expire */
  ttlMs?: number;
}

/**
 * Checkpoints in Redis: a list per run (one entry per step) and a sorted set of runs by last
 * update, written atomically with `MULTI`.
 *
 * @example
 * ```ts no-run
 * const checkpointer = new RedisCheckpointer({ url: 'redis://127.0.0.1:6379' });
 * ```
 */
export class RedisCheckpointer implements Checkpointer {
  readonly #prefix: string;
  readonly #url: string | undefined;
  readonly #given: Redis | undefined;
  readonly #ttlMs: number | undefined;
  #client: Redis | undefined;
  #seq = 0;

  constructor(options: RedisCheckpointerOptions = {}) {
    this.#prefix = options.keyPrefix ?? 'arshai:checkpoints:';
    this.#url = options.url;
    this.#given = options.client;
    this.#ttlMs = options.ttlMs;
  }

  #redis(): Redis {
    this.#client ??=
      this.#given ?? new Redis(this.#url ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    return this.#client;
  }

  async put(c: Checkpoint): Promise<void> {
    const key = `${this.#prefix}run:${c.runId}`;
    const multi = this.#redis()
      .multi()
      .rpush(key, JSON.stringify(c))
      // Score: time, with a per-process counter to order runs updated in the same millisecond.
      .zadd(`${this.#prefix}runs`, Date.now() + (++this.#seq % 1000) / 1000, c.runId);
    if (this.#ttlMs) multi.pexpire(key, this.#ttlMs);
    const results = await multi.exec();
    for (const [error] of results ?? []) if (error) throw error;
  }

  async getLatest(runId: string): Promise<Checkpoint | undefined> {
    const raw = await this.#redis().lindex(`${this.#prefix}run:${runId}`, -1);
    return raw ? (JSON.parse(raw) as Checkpoint) : undefined;
  }

  async history(runId: string): Promise<Checkpoint[]> {
    const raw = await this.#redis().lrange(`${this.#prefix}run:${runId}`, 0, -1);
    return raw.map((r) => JSON.parse(r) as Checkpoint);
  }

  async listRuns(options: { limit?: number } = {}): Promise<RunSummary[]> {
    const ids = await this.#redis().zrevrange(`${this.#prefix}runs`, 0, (options.limit ?? 0) - 1);
    const latest = await Promise.all(ids.map((id) => this.getLatest(id)));
    return latest.filter((c): c is Checkpoint => c !== undefined).map(summarize);
  }

  async close(): Promise<void> {
    if (this.#client && !this.#given) await this.#client.quit();
    this.#client = undefined;
  }
}
