import type { Redis } from 'ioredis';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { parseStored } from '../storage/stored-json.js';
import { assertRunId, isChildRunId } from '../utils/ids.js';
import {
  type Checkpoint,
  type Checkpointer,
  type CheckpointerCallOptions,
  checkRetention,
  FINISHED,
  type ListRunsOptions,
  type PendingWrite,
  type PruneOptions,
  prunable,
  type RunStatus,
  type RunSummary,
  runLimit,
  runStatuses,
  serializeCheckpoint,
  serializeWrite,
  summarize,
} from '../workflows/checkpointer.js';
import { RunConflictError } from '../workflows/workflow-errors.js';
import { keyPrefix, RedisConnection, type RedisConnectionOptions } from './redis-connection.js';

/** Options of {@link RedisCheckpointer}. */
export interface RedisCheckpointerOptions extends RedisConnectionOptions {
  /** @default 'arshai:checkpoints:' */
  keyPrefix?: string;
  /** Time to keep a run's checkpoints after its last step. @default never expire */
  ttlMs?: number;
}

// KEYS: the run's list, its index (of runs, or of a root run's subworkflow runs), its summary.
// ARGV: version, checkpoint, run id, ttl (0: none), '1' for a subworkflow's run, the summary.
// Atomic: refuses a version the run has; scores runs by the server's clock (one clock for
// every process); drops index entries whose run has expired.
const PUT = `
if redis.call('LLEN', KEYS[1]) > tonumber(ARGV[1]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('SET', KEYS[3], ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZADD', KEYS[2], now, ARGV[3])
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - ttl * 1000))
  -- A root run's index of its subworkflows' runs expires with them.
  if ARGV[5] == '1' then redis.call('PEXPIRE', KEYS[2], ttl) end
end
return 1`;

// KEYS: the run's list, the index of runs, the index of its subworkflows' runs. ARGV: run id,
// the key prefix. Returns the run's checkpoints removed (its children's go too). A step is
// never past a run's number of versions.
const DELETE = `
local function drop(id)
  local key = ARGV[2] .. 'run:' .. id
  local n = redis.call('LLEN', key)
  redis.call('DEL', key, ARGV[2] .. 'summary:' .. id)
  for step = 0, n do redis.call('DEL', ARGV[2] .. 'writes:' .. id .. ':' .. step) end
  return n
end
local inside = ARGV[1] .. '/'
for _, child in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if string.sub(child, 1, #inside) == inside then
    drop(child)
    redis.call('ZREM', KEYS[3], child)
  end
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return drop(ARGV[1])`;

// KEYS: a run's list. ARGV: its length when read, then the indexes to blank. -1 when the
// run got a checkpoint meanwhile (nothing is blanked), else how many were.
const BLANK = `
if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return -1 end
for i = 2, #ARGV do redis.call('LSET', KEYS[1], tonumber(ARGV[i]), '') end
return #ARGV - 1`;

/**
 * Checkpoints in Redis: a list per run (one entry per step) and a sorted set of runs by last
 * update, written atomically by one script that also refuses a version the run already has.
 * Keys are `<prefix>run:<runId>`, `<prefix>summary:<runId>` (what a listing reads) and
 * `<prefix>runs` (the index; subworkflows' runs are indexed in `<prefix>children:<rootRunId>`):
 * a run id is never an index.
 * The prefix always ends with `:` (one is added when missing), and run ids follow the id rule
 * (no `:`), so two prefixes or two run ids never share a key.
 * While Redis is unreachable each call fails within its signal or `timeoutMs` (default 5 s)
 * with a retryable `StoreError`, and calls work again when Redis is back.
 *
 * @example
 * ```ts no-run
 * const checkpointer = new RedisCheckpointer({ url: 'redis://127.0.0.1:6379' });
 * ```
 */
export class RedisCheckpointer implements Checkpointer {
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #conn: RedisConnection;

  constructor(options: RedisCheckpointerOptions = {}) {
    this.#prefix = keyPrefix(options.keyPrefix ?? 'arshai:checkpoints:');
    this.#ttlMs = Math.max(0, Math.ceil(options.ttlMs ?? 0));
    this.#conn = new RedisConnection(options, 'checkpoints');
  }

  /** A run's key; run ids are checked, so no run id can name another run's key or the index. */
  #key(runId: string): string {
    assertRunId(runId, 'runId');
    return `${this.#prefix}run:${runId}`;
  }

  /** A run's summary (what `listRuns` reads): `<prefix>summary:<runId>`. */
  #summaryKey(runId: string): string {
    assertRunId(runId, 'runId');
    return `${this.#prefix}summary:${runId}`;
  }

  async put(c: Checkpoint, options?: CheckpointerCallOptions): Promise<void> {
    const json = serializeCheckpoint(c);
    const summary = JSON.stringify(summarize(c));
    const stored = await this.#conn.run(
      'checkpoints.put',
      (redis) =>
        redis.eval(
          PUT,
          3,
          this.#key(c.runId),
          // A subworkflow's run is listed with its root run's children, not among the runs.
          isChildRunId(c.runId) ? this.#childrenKey(c.runId) : `${this.#prefix}runs`,
          this.#summaryKey(c.runId),
          c.version,
          json,
          c.runId,
          this.#ttlMs,
          isChildRunId(c.runId) ? '1' : '0',
          summary,
        ),
      options?.signal,
    );
    if (stored !== 1) throw new RunConflictError(c.runId, c.version);
  }

  async getLatest(
    runId: string,
    options?: CheckpointerCallOptions,
  ): Promise<Checkpoint | undefined> {
    const raw = await this.#conn.run(
      'checkpoints.getLatest',
      (redis) => redis.lindex(this.#key(runId), -1),
      options?.signal,
    );
    return raw
      ? parseStored<Checkpoint>(raw, 'redis', `checkpoints.getLatest of run "${runId}"`)
      : undefined;
  }

  async history(runId: string, options?: CheckpointerCallOptions): Promise<Checkpoint[]> {
    const raw = await this.#conn.run(
      'checkpoints.history',
      (redis) => redis.lrange(this.#key(runId), 0, -1),
      options?.signal,
    );
    // Pruned entries are '' (the list keeps its length, so versions stay compare-and-set).
    const operation = `checkpoints.history of run "${runId}"`;
    return raw.filter((r) => r !== '').map((r) => parseStored<Checkpoint>(r, 'redis', operation));
  }

  async prune(options: PruneOptions = {}): Promise<number> {
    const limits = checkRetention(options);
    const { runId, signal } = options;
    return this.#conn.run(
      'checkpoints.prune',
      async (redis) => {
        const roots =
          runId === undefined
            ? await redis.zrevrange(`${this.#prefix}runs`, 0, -1)
            : [runId.split('/')[0] as string];
        let removed = 0;
        for (const root of roots) {
          const children = await redis.zrevrange(this.#childrenKey(root), 0, -1);
          for (const id of [root, ...children]) {
            if (runId !== undefined && id !== runId && !id.startsWith(`${runId}/`)) continue;
            removed += await this.#pruneRun(redis, id, limits);
          }
        }
        return removed;
      },
      signal,
    );
  }

  /** Blanks a finished run's prunable entries (only if no checkpoint landed meanwhile). */
  async #pruneRun(redis: Redis, runId: string, limits: ReturnType<typeof checkRetention>) {
    const key = this.#key(runId);
    const raw = await redis.lrange(key, 0, -1);
    const kept = raw.flatMap((json, i) =>
      json === '' ? [] : [{ i, c: parseStored<Checkpoint>(json, 'redis', 'checkpoints.prune') }],
    );
    if (!kept.length || !FINISHED.has((kept.at(-1) as { c: Checkpoint }).c.status)) return 0;
    const indexes = prunable(
      kept.map((k) => k.c),
      limits,
    ).map((at) => (kept[at] as { i: number }).i);
    const writes = kept.map((k) => `${this.#prefix}writes:${runId}:${k.c.step}`);
    const done = await redis.eval(BLANK, 1, key, raw.length, ...indexes);
    if (Number(done) < 0) return 0;
    if (writes.length) await redis.del(...new Set(writes));
    return indexes.length;
  }

  /** Newest first, from each run's summary (never its state); paged by `cursor`. */
  async listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    const limit = runLimit(options.limit);
    const after = redisCursor(options.cursor);
    const statuses = runStatuses(options.status);
    return this.#conn.run(
      'checkpoints.listRuns',
      (redis) =>
        statuses ? this.#listAt(redis, statuses, limit, after) : this.#list(redis, limit, after),
      options.signal,
    );
  }

  /** The runs at one of `statuses`: the index read page by page until `limit` of them. */
  async #listAt(
    redis: Redis,
    statuses: ReadonlySet<RunStatus>,
    limit: number | undefined,
    after: { score: string; runId: string } | undefined,
  ): Promise<RunSummary[]> {
    const runs: RunSummary[] = [];
    const page = limit === undefined ? 1000 : Math.max(100, limit);
    for (let from = after; ; ) {
      const listed = await this.#list(redis, page, from);
      for (const run of listed) {
        if (!statuses.has(run.status)) continue;
        runs.push(run);
        if (runs.length === limit) return runs;
      }
      const last = listed.at(-1)?.cursor;
      if (last === undefined) return runs;
      from = redisCursor(last);
    }
  }

  async delete(runId: string, options?: CheckpointerCallOptions): Promise<number> {
    const removed = await this.#conn.run(
      'checkpoints.delete',
      (redis) =>
        redis.eval(
          DELETE,
          3,
          this.#key(runId),
          `${this.#prefix}runs`,
          this.#childrenKey(runId),
          runId,
          this.#prefix,
        ),
      options?.signal,
    );
    return Number(removed);
  }

  /** Pending writes of a step: a hash `<prefix>writes:<runId>:<step>`, node → write. */
  async putWrite(
    runId: string,
    step: number,
    write: PendingWrite,
    options?: CheckpointerCallOptions,
  ): Promise<void> {
    const key = this.#writesKey(runId, step);
    const json = serializeWrite(write);
    await this.#conn.run(
      'checkpoints.putWrite',
      (redis) => {
        const multi = redis.multi().hset(key, write.node, json);
        if (this.#ttlMs > 0) multi.pexpire(key, this.#ttlMs);
        return multi.exec();
      },
      options?.signal,
    );
  }

  async getWrites(
    runId: string,
    step: number,
    options?: CheckpointerCallOptions,
  ): Promise<PendingWrite[]> {
    const key = this.#writesKey(runId, step);
    const raw = await this.#conn.run(
      'checkpoints.getWrites',
      (redis) => redis.hvals(key),
      options?.signal,
    );
    return raw.map((r) =>
      parseStored<PendingWrite>(r, 'redis', `checkpoints.getWrites of run "${runId}"`),
    );
  }

  /** The index of the subworkflow runs inside a root run: `<prefix>children:<rootRunId>`. */
  #childrenKey(runId: string): string {
    return `${this.#prefix}children:${runId.split('/')[0]}`;
  }

  #writesKey(runId: string, step: number): string {
    assertRunId(runId, 'runId');
    return `${this.#prefix}writes:${runId}:${step}`;
  }

  /** Closes the connection this checkpointer opened; settles also while Redis is unreachable. */
  close(): Promise<void> {
    return this.#conn.close();
  }

  async #list(
    redis: Redis,
    limit: number | undefined,
    after: { score: string; runId: string } | undefined,
  ): Promise<RunSummary[]> {
    const index = `${this.#prefix}runs`;
    // The runs by last update, newest first, from the cursor's score (inclusive: runs updated
    // in the same microsecond are told apart by id, as the index orders them).
    const flat = after
      ? await redis.zrevrangebyscore(
          index,
          after.score,
          '-inf',
          'WITHSCORES',
          'LIMIT',
          0,
          limit === undefined ? -1 : limit + 16,
        )
      : await redis.zrevrange(index, 0, (limit ?? 0) - 1, 'WITHSCORES');
    let entries: Array<[string, string]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      entries.push([flat[i] as string, flat[i + 1] as string]);
    if (after) {
      entries = entries.filter(([id, score]) => score !== after.score || id < after.runId);
      if (limit !== undefined) entries = entries.slice(0, limit);
    }
    if (entries.length === 0) return [];
    const summaries = await redis.mget(...entries.map(([id]) => this.#summaryKey(id)));
    // Runs stored before summaries were kept: their newest checkpoint.
    const missing = entries.flatMap(([id], i) => (summaries[i] ? [] : [id]));
    const pipeline = redis.pipeline();
    for (const id of missing) pipeline.lindex(this.#key(id), -1);
    const results = missing.length ? ((await pipeline.exec()) ?? []) : [];
    const older = new Map<string, string>();
    results.forEach(([error, raw], i) => {
      if (error) throw error;
      if (typeof raw === 'string') older.set(missing[i] as string, raw);
    });
    const runs: RunSummary[] = [];
    entries.forEach(([id, score], i) => {
      const cursor = `${score}:${id}`;
      const summary = summaries[i];
      if (summary)
        runs.push({ ...parseStored<RunSummary>(summary, 'redis', 'checkpoints.listRuns'), cursor });
      else if (older.has(id))
        runs.push({
          ...summarize(
            parseStored<Checkpoint>(older.get(id) as string, 'redis', 'checkpoints.listRuns'),
          ),
          cursor,
        });
    });
    return runs;
  }
}

/** A Redis listing cursor: the run's score in the index and its id. */
function redisCursor(cursor: string | undefined): { score: string; runId: string } | undefined {
  if (cursor === undefined) return undefined;
  const match = typeof cursor === 'string' ? /^(\d{1,20}):(.+)$/.exec(cursor) : null;
  if (!match)
    throw new InvalidInputError(
      'cursor',
      'must be the cursor of a run listed by this checkpointer',
    );
  return { score: match[1] as string, runId: match[2] as string };
}
