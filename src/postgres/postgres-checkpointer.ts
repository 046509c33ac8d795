import { assertRunId } from '../utils/ids.js';
import {
  type Checkpoint,
  type Checkpointer,
  type CheckpointerCallOptions,
  checkRetention,
  type ListRunsOptions,
  type PendingWrite,
  type PruneOptions,
  type RunSummary,
  runLimit,
  runStatuses,
  seqCursor,
  serializeCheckpoint,
  serializeWrite,
  summarize,
} from '../workflows/checkpointer.js';
import { RunConflictError } from '../workflows/workflow-errors.js';
import {
  inTransaction,
  migrate,
  type PgClientLike,
  PostgresConnection,
  type PostgresTarget,
  sqlState,
  unstorable,
} from './postgres-connection.js';

/**
 * Checkpoints in PostgreSQL (over `pg`, an optional peer): one row per step, the checkpoint
 * as `jsonb`, a unique `(run_id, version)` so only one runner continues a run (the same
 * compare-and-set as SQLite and Redis), writes in transactions. Tables are created on first
 * use (`<prefix>checkpoints`, `<prefix>pending_writes`, in `schema`). Takes a `pg.Pool`, a
 * connection string, or options.
 *
 * @example
 * ```ts no-run
 * const checkpointer = new PostgresCheckpointer(process.env.DATABASE_URL);
 * const runner = new WorkflowRunner(workflow, { checkpointer });
 * ```
 */
export class PostgresCheckpointer implements Checkpointer {
  readonly #db: PostgresConnection;
  readonly #t: { checkpoints: string; writes: string; schema: string };

  constructor(target: PostgresTarget) {
    this.#db = new PostgresConnection(target, (client) => this.#prepare(client));
    this.#t = {
      checkpoints: this.#db.table('checkpoints'),
      writes: this.#db.table('pending_writes'),
      schema: this.#db.table('schema'),
    };
  }

  async #prepare(client: PgClientLike): Promise<void> {
    const { checkpoints, writes, schema } = this.#t;
    const p = this.#db.prefix;
    await migrate(client, schema, 'checkpoints', [
      // 1: checkpoints (one row per version, unique per run) and the pending writes.
      `
      CREATE TABLE IF NOT EXISTS ${checkpoints} (
        seq BIGSERIAL PRIMARY KEY,
        run_id TEXT COLLATE "C" NOT NULL,
        version INTEGER NOT NULL,
        step INTEGER NOT NULL,
        status TEXT NOT NULL,
        workflow TEXT NOT NULL,
        user_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        checkpoint JSONB NOT NULL,
        UNIQUE (run_id, version)
      );
      CREATE INDEX IF NOT EXISTS "${p}checkpoints_roots" ON ${checkpoints} (seq DESC)
        WHERE position('/' in run_id) = 0;
      CREATE TABLE IF NOT EXISTS ${writes} (
        run_id TEXT COLLATE "C" NOT NULL,
        step INTEGER NOT NULL,
        node TEXT NOT NULL,
        write JSONB NOT NULL,
        PRIMARY KEY (run_id, step, node)
      );`,
      // 2: each row's run summary, so a listing never reads a state.
      `ALTER TABLE ${checkpoints} ADD COLUMN IF NOT EXISTS summary JSONB;`,
    ]);
  }

  async put(c: Checkpoint, options: CheckpointerCallOptions = {}): Promise<void> {
    assertRunId(c?.runId, 'checkpoint.runId');
    const json = serializeCheckpoint(c);
    return this.#db.run('checkpoints.put', options.signal, async (client) => {
      try {
        const inserted = await client.query(
          `INSERT INTO ${this.#t.checkpoints}
             (run_id, version, step, status, workflow, user_id, created_at, checkpoint, summary)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb
           WHERE NOT EXISTS (SELECT 1 FROM ${this.#t.checkpoints} WHERE run_id = $1 AND version >= $2)`,
          [
            c.runId,
            c.version,
            c.step,
            c.status,
            c.workflow,
            c.state.userContext.userId,
            c.createdAt,
            json,
            JSON.stringify(summarize(c)),
          ],
        );
        // A version at or below the run's newest (one pruned away, too) is refused.
        if (inserted.rowCount === 0) throw new RunConflictError(c.runId, c.version);
      } catch (error) {
        if (sqlState(error) === '23505') throw new RunConflictError(c.runId, c.version);
        throw unstorable(error, 'checkpoint');
      }
    });
  }

  getLatest(runId: string, options: CheckpointerCallOptions = {}): Promise<Checkpoint | undefined> {
    return this.#db.run('checkpoints.getLatest', options.signal, async (client) => {
      const { rows } = await client.query(
        `SELECT checkpoint FROM ${this.#t.checkpoints} WHERE run_id = $1 ORDER BY version DESC LIMIT 1`,
        [runId],
      );
      return (rows[0] as { checkpoint: Checkpoint } | undefined)?.checkpoint;
    });
  }

  history(runId: string, options: CheckpointerCallOptions = {}): Promise<Checkpoint[]> {
    return this.#db.run('checkpoints.history', options.signal, async (client) => {
      const { rows } = await client.query(
        `SELECT checkpoint FROM ${this.#t.checkpoints} WHERE run_id = $1 ORDER BY version`,
        [runId],
      );
      return (rows as { checkpoint: Checkpoint }[]).map((r) => r.checkpoint);
    });
  }

  /** Newest first, from each run's summary (never its state); paged by `cursor`. */
  async listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    const limit = runLimit(options.limit) ?? null;
    const before = seqCursor(options.cursor);
    const statuses = runStatuses(options.status);
    const t = this.#t.checkpoints;
    return this.#db.run('checkpoints.listRuns', options.signal, async (client) => {
      // Newest rows of root runs first (an index on seq), each run's newest only.
      const { rows } = await client.query(
        `SELECT c.seq, c.summary, CASE WHEN c.summary IS NULL THEN c.checkpoint END AS checkpoint
         FROM ${t} c
         WHERE position('/' in c.run_id) = 0 AND c.seq < $2
           AND ($3::text[] IS NULL OR c.status = ANY($3::text[]))
           AND NOT EXISTS (SELECT 1 FROM ${t} n WHERE n.run_id = c.run_id AND n.version > c.version)
         ORDER BY c.seq DESC LIMIT $1`,
        [limit, before, statuses ? [...statuses] : null],
      );
      return (
        rows as { seq: string; summary: RunSummary | null; checkpoint: Checkpoint | null }[]
      ).map((r) => ({
        ...(r.summary ?? summarize(r.checkpoint as Checkpoint)),
        cursor: String(r.seq),
      }));
    });
  }

  delete(runId: string, options: CheckpointerCallOptions = {}): Promise<number> {
    return this.#db.run('checkpoints.delete', options.signal, (client) =>
      inTransaction(client, async () => {
        // With its subworkflows' runs: `<runId>/...`.
        const of = `run_id = $1 OR starts_with(run_id, $1 || '/')`;
        await client.query(`DELETE FROM ${this.#t.writes} WHERE ${of}`, [runId]);
        await client.query(
          `DELETE FROM ${this.#t.checkpoints} WHERE starts_with(run_id, $1 || '/')`,
          [runId],
        );
        const removed = await client.query(`DELETE FROM ${this.#t.checkpoints} WHERE run_id = $1`, [
          runId,
        ]);
        return removed.rowCount ?? 0;
      }),
    );
  }

  async putWrite(
    runId: string,
    step: number,
    write: PendingWrite,
    options: CheckpointerCallOptions = {},
  ): Promise<void> {
    const json = serializeWrite(write);
    return this.#db.run('checkpoints.putWrite', options.signal, async (client) => {
      try {
        await client.query(
          `INSERT INTO ${this.#t.writes} (run_id, step, node, write) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (run_id, step, node) DO UPDATE SET write = EXCLUDED.write`,
          [runId, step, write.node, json],
        );
      } catch (error) {
        throw unstorable(error, 'write');
      }
    });
  }

  getWrites(
    runId: string,
    step: number,
    options: CheckpointerCallOptions = {},
  ): Promise<PendingWrite[]> {
    return this.#db.run('checkpoints.getWrites', options.signal, async (client) => {
      const { rows } = await client.query(
        `SELECT write FROM ${this.#t.writes} WHERE run_id = $1 AND step = $2`,
        [runId, step],
      );
      return (rows as { write: PendingWrite }[]).map((r) => r.write);
    });
  }

  async prune(options: PruneOptions = {}): Promise<number> {
    const { keep, cutoff } = checkRetention(options);
    const runId = options.runId ?? null;
    const t = this.#t.checkpoints;
    // Finished runs (newest checkpoint completed or failed): all, or one with its children.
    const scope = (alias: string) => `($1::text IS NULL OR ${alias}.run_id = $1
        OR starts_with(${alias}.run_id, $1 || '/'))
      AND (SELECT l.status FROM ${t} l WHERE l.run_id = ${alias}.run_id
           ORDER BY l.version DESC LIMIT 1) IN ('completed', 'failed')`;
    return this.#db.run('checkpoints.prune', options.signal, (client) =>
      inTransaction(client, async () => {
        await client.query(`DELETE FROM ${this.#t.writes} w WHERE ${scope('w')}`, [runId]);
        const removed = await client.query(
          `DELETE FROM ${t} WHERE seq IN (
            SELECT seq FROM (
              SELECT c.seq, c.created_at,
                ROW_NUMBER() OVER (PARTITION BY c.run_id ORDER BY c.version DESC) AS rn
              FROM ${t} c WHERE ${scope('c')}
            ) x WHERE rn > 1 AND (rn > $2 OR created_at < $3))`,
          [runId, keep, cutoff],
        );
        return removed.rowCount ?? 0;
      }),
    );
  }

  /** Closes the pool it opened (a pool you gave stays open). */
  close(): Promise<void> {
    return this.#db.close();
  }
}
