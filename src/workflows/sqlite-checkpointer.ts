import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { LazyDatabase, transaction } from '../storage/sqlite.js';
import {
  type Checkpoint,
  type Checkpointer,
  checkRetention,
  type PendingWrite,
  type PruneOptions,
  type RunSummary,
  runLimit,
  serializeCheckpoint,
  serializeWrite,
  summarize,
} from './checkpointer.js';
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

  #open() {
    return this.#store.open().sql;
  }

  async put(c: Checkpoint): Promise<void> {
    const json = serializeCheckpoint(c);
    try {
      const inserted = this.#open().insert.run(
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
    } catch (error) {
      if ((error as { errcode?: unknown }).errcode === SQLITE_CONSTRAINT_UNIQUE)
        throw new RunConflictError(c.runId, c.version);
      throw error;
    }
  }

  async getLatest(runId: string): Promise<Checkpoint | undefined> {
    const row = this.#open().latest.get(runId) as Row | undefined;
    return row ? (JSON.parse(row.checkpoint) as Checkpoint) : undefined;
  }

  async history(runId: string): Promise<Checkpoint[]> {
    return (this.#open().history.all(runId) as unknown as Row[]).map(
      (r) => JSON.parse(r.checkpoint) as Checkpoint,
    );
  }

  async delete(runId: string): Promise<number> {
    const { db, sql } = this.#store.open();
    return transaction(db, () => {
      // Its subworkflows' runs: ids from `<runId>/` up to `<runId>0` ('/' + 1), on the index.
      sql.removeChildWrites.run(`${runId}/`, `${runId}0`);
      sql.removeChildren.run(`${runId}/`, `${runId}0`);
      sql.removeWrites.run(runId);
      return Number(sql.remove.run(runId).changes);
    });
  }

  async putWrite(runId: string, step: number, write: PendingWrite): Promise<void> {
    this.#open().putWrite.run(runId, step, write.node, serializeWrite(write));
  }

  async getWrites(runId: string, step: number): Promise<PendingWrite[]> {
    const rows = this.#open().writes.all(runId, step) as unknown as { write: string }[];
    return rows.map((r) => JSON.parse(r.write) as PendingWrite);
  }

  async prune(options: PruneOptions = {}): Promise<number> {
    const { keep, cutoff } = checkRetention(options);
    const { db, sql } = this.#store.open();
    const runId = options.runId ?? null;
    return transaction(db, () => {
      sql.pruneWrites.run(runId);
      return Number(sql.prune.run(runId, keep, cutoff).changes);
    });
  }

  async listRuns(options: { limit?: number } = {}): Promise<RunSummary[]> {
    const rows = this.#open().runs.all(runLimit(options.limit) ?? -1) as unknown as Row[];
    return rows.map((r) => summarize(JSON.parse(r.checkpoint) as Checkpoint));
  }

  async close(): Promise<void> {
    this.#store.close();
  }
}

function prepare(db: DatabaseSync) {
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
    CREATE TABLE IF NOT EXISTS arshai_pending_writes (
      run_id TEXT NOT NULL,
      step INTEGER NOT NULL,
      node TEXT NOT NULL,
      write TEXT NOT NULL,
      PRIMARY KEY (run_id, step, node)
    );
  `);
  migrate(db);
  db.exec(`
    CREATE UNIQUE INDEX IF NOT EXISTS arshai_checkpoints_version ON arshai_checkpoints (run_id, version);
    INSERT OR IGNORE INTO arshai_schema (component, version) VALUES ('checkpoints', 2);
  `);
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
    runs: s(`SELECT c.checkpoint FROM arshai_checkpoints c
      WHERE instr(c.run_id, '/') = 0
        AND NOT EXISTS (SELECT 1 FROM arshai_checkpoints n WHERE n.run_id = c.run_id AND n.version > c.version)
      ORDER BY c.seq DESC LIMIT ?`),
  };
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
