import { Redis } from 'ioredis';
import {
  type Checkpoint,
  type Checkpointer,
  type RunSummary,
  runLimit,
  serializeCheckpoint,
  summarize,
} from './checkpointer.js';
import { RunConflictError } from './workflow-errors.js';

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

// KEYS: the run's list, the index of runs. ARGV: version, checkpoint, run id, ttl (0: none).
// Atomic: refuses a version the run has; scores runs by the server's clock (one clock for
// every process); drops index entries whose run has expired.
const PUT = `
if redis.call('LLEN', KEYS[1]) > tonumber(ARGV[1]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZADD', KEYS[2], now, ARGV[3])
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - ttl * 1000))
end
return 1`;

/**
 * Checkpoints in Redis: a list per run (one entry per step) and a sorted set of runs by last
 * update, written atomically by one script that also refuses a version the run already has.
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
  readonly #ttlMs: number;
  #client: Redis | undefined;

  constructor(options: RedisCheckpointerOptions = {}) {
    this.#prefix = options.keyPrefix ?? 'arshai:checkpoints:';
    this.#url = options.url;
    this.#given = options.client;
    this.#ttlMs = Math.max(0, Math.ceil(options.ttlMs ?? 0));
  }

  #redis(): Redis {
    this.#client ??=
      this.#given ?? new Redis(this.#url ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    return this.#client;
  }

  #key(runId: string): string {
    return `${this.#prefix}run:${runId}`;
  }

  async put(c: Checkpoint): Promise<void> {
    const json = serializeCheckpoint(c);
    const stored = await this.#redis().eval(
      PUT,
      2,
      this.#key(c.runId),
      `${this.#prefix}runs`,
      c.version,
      json,
      c.runId,
      this.#ttlMs,
    );
    if (stored !== 1) throw new RunConflictError(c.runId, c.version);
  }

  async getLatest(runId: string): Promise<Checkpoint | undefined> {
    const raw = await this.#redis().lindex(this.#key(runId), -1);
    return raw ? (JSON.parse(raw) as Checkpoint) : undefined;
  }

  async history(runId: string): Promise<Checkpoint[]> {
    const raw = await this.#redis().lrange(this.#key(runId), 0, -1);
    return raw.map((r) => JSON.parse(r) as Checkpoint);
  }

  async listRuns(options: { limit?: number } = {}): Promise<RunSummary[]> {
    const limit = runLimit(options.limit);
    const ids = await this.#redis().zrevrange(`${this.#prefix}runs`, 0, (limit ?? 0) - 1);
    if (ids.length === 0) return [];
    const pipeline = this.#redis().pipeline();
    for (const id of ids) pipeline.lindex(this.#key(id), -1);
    const results = (await pipeline.exec()) ?? [];
    const runs: RunSummary[] = [];
    for (const [error, raw] of results) {
      if (error) throw error;
      if (typeof raw === 'string') runs.push(summarize(JSON.parse(raw) as Checkpoint));
    }
    return runs;
  }

  async close(): Promise<void> {
    if (this.#client && !this.#given) await this.#client.quit();
    this.#client = undefined;
  }
}
