import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { checkNotNewer, LazyDatabase, schemaVersion, transaction } from '../storage/sqlite.js';
import { isChildRunId } from '../utils/ids.js';
import {
  type Checkpoint,
  type Checkpointer,
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
} from './checkpointer.js';
import { blobHashes, joinCheckpoint, splitCheckpoint } from './state-blobs.js';
import { RunConflictError } from './workflow-errors.js';

/** Options of {@link SqliteCheckpointer}. */
export interface SqliteCheckpointerOptions {
  /** @default '.arshai/arshai.db' */
  path?: string;
  /** Use a database you opened yourself (e.g. shared with `SqliteMemoryManager`). */
  database?: DatabaseSync;
}

interface Row {
  checkpoint: string;
}

/** A run as a listing reads it: its summary, and the seq of its newest checkpoint. */
interface ListRow {
  seq: number;
  summary: string;
}

/** 1: rows per step; 2: `version` (compare-and-set); 3: `arshai_runs` (listings without states). */
const SCHEMA = 3;

const SQLITE_CONSTRAINT_UNIQUE = 2067;

/**
 * Checkpoints in SQLite (`node:sqlite`, WAL): the embedded default. One row per step, written
 * with a prepared statement; a unique `(run_id, version)` index lets only one runner continue
 * a run; another process can resume a run from the same file.
 *
 * @example
 * ```ts
 * const runner = new WorkflowRunner(workflow, { checkpointer: new SqliteCheckpointer({ path: '.arshai/arshai.db' }) });
 * ```
 */
export class SqliteCheckpointer implements Checkpointer {
  /** The database is opened on first use, not in the constructor. */
  readonly #store: LazyDatabase<ReturnType<typeof prepare>>;

  constructor(options: SqliteCheckpointerOptions = {}) {
    this.#store = new LazyDatabase(options, prepare);
  }

  async put(c: Checkpoint): Promise<void> {
    const { json, blobs } = splitCheckpoint(c, serializeCheckpoint(c));
    const summary = JSON.stringify(summarize(c));
    this.#store.run('checkpoints.put', ({ db, sql }) => {
      try {
        transaction(db, () => {
          const inserted = sql.insert.run(
            c.runId,
            c.version,
            c.step,
            c.status,
            c.workflow,
            c.state.userContext.userId,
            c.createdAt,
            json,
          );
          // A version at or below the run's newest (one pruned away, too) is refused.
          if (Number(inserted.changes) === 0) throw new RunConflictError(c.runId, c.version);
          // Its large values: a blob already stored (unchanged since a step before) stays.
          for (const [hash, blob] of blobs) sql.putBlob.run(c.runId, hash, blob);
          // The run's summary, beside it (root runs only: those are the ones listed).
          if (!isChildRunId(c.runId)) sql.putRun.run(c.runId, inserted.lastInsertRowid, summary);
        });
      } catch (error) {
        if ((error as { errcode?: unknown }).errcode === SQLITE_CONSTRAINT_UNIQUE)
          throw new RunConflictError(c.runId, c.version);
        throw error;
      }
    });
  }

  async getLatest(runId: string): Promise<Checkpoint | undefined> {
    return this.#store.run(`checkpoints.getLatest of run "${runId}"`, ({ sql }) => {
      const row = sql.latest.get(runId) as Row | undefined;
      return row ? joinCheckpoint(row.checkpoint, blobOf(sql, runId)) : undefined;
    });
  }

  async history(runId: string): Promise<Checkpoint[]> {
    return this.#store.run(`checkpoints.history of run "${runId}"`, ({ sql }) =>
      (sql.history.all(runId) as unknown as Row[]).map((r) =>
        joinCheckpoint(r.checkpoint, blobOf(sql, runId)),
      ),
    );
  }

  async delete(runId: string): Promise<number> {
    return this.#store.run('checkpoints.delete', ({ db, sql }) =>
      transaction(db, () => {
        // Its subworkflows' runs: ids from `<runId>/` up to `<runId>0` ('/' + 1), on the index.
        sql.removeChildWrites.run(`${runId}/`, `${runId}0`);
        sql.removeChildren.run(`${runId}/`, `${runId}0`);
        sql.removeBlobs.run(runId, `${runId}/`, `${runId}0`);
        sql.removeWrites.run(runId);
        sql.removeRun.run(runId);
        return Number(sql.remove.run(runId).changes);
      }),
    );
  }

  async putWrite(runId: string, step: number, write: PendingWrite): Promise<void> {
    const json = serializeWrite(write);
    this.#store.run('checkpoints.putWrite', ({ sql }) =>
      sql.putWrite.run(runId, step, write.node, json),
    );
  }

  async getWrites(runId: string, step: number): Promise<PendingWrite[]> {
    return this.#store.run(`checkpoints.getWrites of run "${runId}"`, ({ sql }) => {
      const rows = sql.writes.all(runId, step) as unknown as { write: string }[];
      return rows.map((r) => JSON.parse(r.write) as PendingWrite);
    });
  }

  async prune(options: PruneOptions = {}): Promise<number> {
    const { keep, cutoff } = checkRetention(options);
    const runId = options.runId ?? null;
    return this.#store.run('checkpoints.prune', ({ db, sql }) =>
      transaction(db, () => {
        sql.pruneWrites.run(runId);
        const removed = Number(sql.prune.run(runId, keep, cutoff).changes);
        if (removed > 0) dropUnreferencedBlobs(sql, runId);
        return removed;
      }),
    );
  }

  /** Newest first, from each run's summary (never its state); paged by `cursor`. */
  async listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    const limit = runLimit(options.limit) ?? -1;
    const before = seqCursor(options.cursor);
    const statuses = runStatuses(options.status);
    return this.#store.run('checkpoints.listRuns', ({ sql }) =>
      (
        (statuses
          ? sql.runsAt.all(before, limit, JSON.stringify([...statuses]))
          : sql.runs.all(before, limit)) as unknown as ListRow[]
      ).map((r) => ({
        ...withoutNulls(JSON.parse(r.summary) as RunSummary),
        cursor: String(r.seq),
      })),
    );
  }

  async close(): Promise<void> {
    this.#store.close();
  }
}

function prepare(db: DatabaseSync) {
  const version = schemaVersion(db, 'checkpoints');
  checkNotNewer('checkpoints', version, SCHEMA);
  // A current store is opened without a write (a read-only one can be read).
  if (version !== SCHEMA) create(db);
  const s = (text: string): StatementSync => db.prepare(text);
  return {
    insert: s(
      `INSERT INTO arshai_checkpoints (run_id, version, step, status, workflow, user_id, created_at, checkpoint)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
       WHERE NOT EXISTS (SELECT 1 FROM arshai_checkpoints WHERE run_id = ?1 AND version >= ?2)`,
    ),
    // Finished runs (latest completed or failed), all or one run with its subworkflows'.
    prune: s(`DELETE FROM arshai_checkpoints WHERE seq IN (
      SELECT seq FROM (
        SELECT c.seq, c.created_at,
          ROW_NUMBER() OVER (PARTITION BY c.run_id ORDER BY c.version DESC) AS rn
        FROM arshai_checkpoints c
        WHERE (?1 IS NULL OR c.run_id = ?1 OR (c.run_id >= ?1 || '/' AND c.run_id < ?1 || '0'))
          AND (SELECT l.status FROM arshai_checkpoints l WHERE l.run_id = c.run_id
               ORDER BY l.version DESC LIMIT 1) IN ('completed', 'failed')
      ) WHERE rn > 1 AND (rn > ?2 OR created_at < ?3))`),
    pruneWrites: s(`DELETE FROM arshai_pending_writes
      WHERE (?1 IS NULL OR run_id = ?1 OR (run_id >= ?1 || '/' AND run_id < ?1 || '0'))
        AND (SELECT l.status FROM arshai_checkpoints l WHERE l.run_id = arshai_pending_writes.run_id
             ORDER BY l.version DESC LIMIT 1) IN ('completed', 'failed')`),
    latest: s(
      'SELECT checkpoint FROM arshai_checkpoints WHERE run_id = ? ORDER BY version DESC LIMIT 1',
    ),
    history: s('SELECT checkpoint FROM arshai_checkpoints WHERE run_id = ? ORDER BY version'),
    remove: s('DELETE FROM arshai_checkpoints WHERE run_id = ?'),
    removeWrites: s('DELETE FROM arshai_pending_writes WHERE run_id = ?'),
    removeChildren: s('DELETE FROM arshai_checkpoints WHERE run_id >= ? AND run_id < ?'),
    removeChildWrites: s('DELETE FROM arshai_pending_writes WHERE run_id >= ? AND run_id < ?'),
    putWrite: s(
      'INSERT OR REPLACE INTO arshai_pending_writes (run_id, step, node, write) VALUES (?, ?, ?, ?)',
    ),
    writes: s('SELECT write FROM arshai_pending_writes WHERE run_id = ? AND step = ?'),
    // Newest first by seq (the primary key), keeping each run's newest row (a look-up on the
    // (run_id, version) index): reads about `limit` rows, however many runs the table has.
    // Newest first by the seq of each run's newest checkpoint (an index): reads `limit` rows
    // and no state, however many runs and however large their states.
    runs: s('SELECT seq, summary FROM arshai_runs WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2'),
    runsAt: s(`SELECT seq, summary FROM arshai_runs WHERE seq < ?1
      AND json_extract(summary, '$.status') IN (SELECT value FROM json_each(?3))
      ORDER BY seq DESC LIMIT ?2`),
    putRun: s(`INSERT INTO arshai_runs (run_id, seq, summary) VALUES (?, ?, ?)
      ON CONFLICT (run_id) DO UPDATE SET seq = excluded.seq, summary = excluded.summary`),
    removeRun: s('DELETE FROM arshai_runs WHERE run_id = ?'),
    putBlob: s('INSERT OR IGNORE INTO arshai_blobs (run_id, hash, json) VALUES (?, ?, ?)'),
    blob: s('SELECT json FROM arshai_blobs WHERE run_id = ? AND hash = ?'),
    removeBlobs: s('DELETE FROM arshai_blobs WHERE run_id = ?1 OR (run_id >= ?2 AND run_id < ?3)'),
    removeBlob: s('DELETE FROM arshai_blobs WHERE run_id = ? AND hash = ?'),
    blobRuns: s(`SELECT DISTINCT run_id FROM arshai_blobs
      WHERE ?1 IS NULL OR run_id = ?1 OR (run_id >= ?1 || '/' AND run_id < ?1 || '0')`),
    blobsOf: s('SELECT hash FROM arshai_blobs WHERE run_id = ?'),
  };
}

/** Creates the tables, or brings older ones to the current schema. */
function create(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS arshai_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS arshai_checkpoints (
      run_id TEXT NOT NULL,
      step INTEGER NOT NULL,
      status TEXT NOT NULL,
      workflow TEXT NOT NULL,
      user_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      checkpoint TEXT NOT NULL,
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      version INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS arshai_runs (
      run_id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL,
      summary TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS arshai_runs_by_seq ON arshai_runs (seq);
    CREATE TABLE IF NOT EXISTS arshai_blobs (
      run_id TEXT NOT NULL,
      hash TEXT NOT NULL,
      json TEXT NOT NULL,
      PRIMARY KEY (run_id, hash)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS arshai_pending_writes (
      run_id TEXT NOT NULL,
      step INTEGER NOT NULL,
      node TEXT NOT NULL,
      write TEXT NOT NULL,
      PRIMARY KEY (run_id, step, node)
    );
  `);
  migrate(db);
  fillRuns(db);
  db.exec(`
    CREATE UNIQUE INDEX IF NOT EXISTS arshai_checkpoints_version ON arshai_checkpoints (run_id, version);
    INSERT INTO arshai_schema (component, version) VALUES ('checkpoints', ${SCHEMA})
      ON CONFLICT (component) DO UPDATE SET version = MAX(version, excluded.version);
  `);
}

/**
 * Schema 3 keeps each root run's summary in `arshai_runs`; a store of schema 2 gets its runs
 * summed up from their newest checkpoints, once.
 */
function fillRuns(db: DatabaseSync): void {
  if (schemaVersion(db, 'checkpoints') === SCHEMA) return;
  transaction(db, () => {
    if (schemaVersion(db, 'checkpoints') === SCHEMA) return; // another process did it
    db.exec(`
      INSERT OR IGNORE INTO arshai_runs (run_id, seq, summary)
      SELECT c.run_id, c.seq, json_object(
          'runId', c.run_id, 'workflow', c.workflow, 'status', c.status, 'step', c.step,
          'userId', c.user_id, 'updatedAt', c.created_at,
          'startedAt', json_extract(c.checkpoint, '$.startedAt'),
          'spent', json(json_extract(c.checkpoint, '$.spent')))
      FROM arshai_checkpoints c
      WHERE instr(c.run_id, '/') = 0
        AND NOT EXISTS (SELECT 1 FROM arshai_checkpoints n WHERE n.run_id = c.run_id AND n.version > c.version);
      INSERT INTO arshai_schema (component, version) VALUES ('checkpoints', ${SCHEMA})
        ON CONFLICT (component) DO UPDATE SET version = MAX(version, excluded.version);
    `);
  });
}

type Statements = ReturnType<typeof prepare>;

/** A run's blobs by hash (for a checkpoint's large values). */
function blobOf(sql: Statements, runId: string): (hash: string) => string | undefined {
  return (hash) => (sql.blob.get(runId, hash) as { json: string } | undefined)?.json;
}

/** After a prune: the blobs no remaining checkpoint of their run refers to go too. */
function dropUnreferencedBlobs(sql: Statements, runId: string | null): void {
  for (const { run_id: id } of sql.blobRuns.all(runId) as { run_id: string }[]) {
    const kept = new Set(
      (sql.history.all(id) as unknown as Row[]).flatMap((r) => blobHashes(r.checkpoint)),
    );
    for (const { hash } of sql.blobsOf.all(id) as { hash: string }[])
      if (!kept.has(hash)) sql.removeBlob.run(id, hash);
  }
}

/** A summary summed up in SQL has `null` where a run recorded nothing: absent, as written. */
function withoutNulls(summary: RunSummary): RunSummary {
  const out = { ...summary } as Record<string, unknown>;
  for (const key of ['startedAt', 'spent']) if (out[key] === null) delete out[key];
  return out as unknown as RunSummary;
}

/** Schema 1 had no `version`: number each run's rows in order, in the column and the JSON. */
function migrate(db: DatabaseSync): void {
  const migrated = () =>
    (db.prepare('PRAGMA table_info(arshai_checkpoints)').all() as { name: string }[]).some(
      (c) => c.name === 'version',
    );
  if (migrated()) return;
  transaction(db, () => {
    if (migrated()) return; // another process did it while we waited for the lock
    db.exec(`
      ALTER TABLE arshai_checkpoints ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
      UPDATE arshai_checkpoints SET version = (
        SELECT COUNT(*) FROM arshai_checkpoints p
        WHERE p.run_id = arshai_checkpoints.run_id AND p.seq < arshai_checkpoints.seq);
      UPDATE arshai_checkpoints SET checkpoint = json_set(checkpoint, '$.version', version);
      DROP INDEX IF EXISTS arshai_checkpoints_by_run;
      UPDATE arshai_schema SET version = 2 WHERE component = 'checkpoints';
    `);
  });
}
