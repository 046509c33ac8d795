import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { StoreError } from '../errors/store-error.js';
import { abortErrorFrom, raceAbort } from '../utils/abort.js';
import { importOptional } from '../utils/optional-package.js';

/** The part of a `pg` client arshai uses. */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  /** `release(error)` destroys the connection instead of returning it to the pool. */
  release(error?: Error | boolean): void;
}

/** The part of a `pg.Pool` arshai uses (pass your own `new pg.Pool(...)`). */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
}

/** How a Postgres backend reaches its database. */
export interface PostgresConnectionOptions {
  /** A pool of yours (`new pg.Pool(...)`): used, never closed by `close()`. */
  pool?: PgPoolLike;
  /** Or a connection string: a pool of the backend's own, closed by `close()`. */
  connectionString?: string;
  /** The schema the tables live in (created when missing). @default 'public' */
  schema?: string;
  /** Put before every table name, to keep several apps apart in one schema. @default 'arshai_' */
  tablePrefix?: string;
  /**
   * Time limit of each operation (a statement timeout on the server too), besides `signal`.
   * @default 30000
   */
  timeoutMs?: number | undefined;
}

/** What a constructor takes: options, a pool, or a connection string. */
export type PostgresTarget = PostgresConnectionOptions | PgPoolLike | string;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

function isPool(value: unknown): value is PgPoolLike {
  const v = value as { connect?: unknown; end?: unknown } | null;
  return typeof v?.connect === 'function' && typeof v.end === 'function';
}

/**
 * One backend's way to its database: a pool (its own, opened on first use, or yours), the
 * tables' qualified names, one set-up per backend (`prepare`, run once, in a transaction
 * under an advisory lock so that processes starting together do not race), typed errors.
 */
export class PostgresConnection {
  readonly schema: string;
  readonly prefix: string;
  readonly timeoutMs: number;
  readonly #own: string | undefined;
  #pool: PgPoolLike | undefined;
  #ready: Promise<void> | undefined;
  readonly #prepare: (client: PgClientLike) => Promise<void>;
  #closed = false;

  constructor(target: PostgresTarget, prepare: (client: PgClientLike) => Promise<void>) {
    const options: PostgresConnectionOptions =
      typeof target === 'string'
        ? { connectionString: target }
        : isPool(target)
          ? { pool: target }
          : (target ?? {});
    if (!options.pool && typeof options.connectionString !== 'string')
      throw new InvalidInputError('connectionString', 'give a pg.Pool or a connection string');
    const schema = options.schema ?? 'public';
    const prefix = options.tablePrefix ?? 'arshai_';
    if (!IDENTIFIER.test(schema))
      throw new InvalidInputError('schema', 'letters, digits and _ (a plain SQL identifier)');
    if (prefix !== '' && !IDENTIFIER.test(prefix))
      throw new InvalidInputError('tablePrefix', 'letters, digits and _ (a plain SQL identifier)');
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
      throw new InvalidInputError('timeoutMs', 'must be a positive number of milliseconds');
    this.schema = schema;
    this.prefix = prefix;
    this.timeoutMs = timeoutMs;
    this.#pool = options.pool;
    this.#own = options.pool ? undefined : options.connectionString;
    this.#prepare = prepare;
  }

  /** A table's qualified, quoted name. */
  table(name: string): string {
    return `"${this.schema}"."${this.prefix}${name}"`;
  }

  /**
   * Runs `work` on a client from the pool, after the set-up. The signal and the time limit
   * end the call at once: the connection is dropped (the server stops the statement).
   */
  async run<T>(
    operation: string,
    signal: AbortSignal | undefined,
    work: (client: PgClientLike) => Promise<T>,
  ): Promise<T> {
    if (this.#closed)
      throw new StoreError(`Postgres: ${operation} after close()`, {
        store: 'postgres',
        operation,
        retryable: false,
      });
    if (signal?.aborted) throw abortErrorFrom(signal);
    const limit = AbortSignal.timeout(this.timeoutMs);
    const stop = signal ? AbortSignal.any([signal, limit]) : limit;
    try {
      this.#ready ??= this.#setUp();
      await raceAbort(this.#ready, stop);
      return await this.#onClient(stop, work);
    } catch (error) {
      if (signal?.aborted) throw abortErrorFrom(signal);
      throw toStoreError(error, operation, limit.aborted);
    }
  }

  async #onClient<T>(stop: AbortSignal, work: (client: PgClientLike) => Promise<T>): Promise<T> {
    const connecting = (await this.#open()).connect();
    let client: PgClientLike;
    try {
      client = await raceAbort(connecting, stop);
    } catch (error) {
      connecting.then(
        (c) => c.release(),
        () => {},
      );
      throw error;
    }
    let dropped = false;
    const drop = () => {
      dropped = true;
      client.release(new Error('arshai: the call was stopped'));
    };
    stop.addEventListener('abort', drop, { once: true });
    try {
      return await raceAbort(work(client), stop);
    } finally {
      stop.removeEventListener('abort', drop);
      if (!dropped) client.release();
    }
  }

  async #open(): Promise<PgPoolLike> {
    if (this.#pool) return this.#pool;
    const pg = (await importOptional('pg', 'arshai/postgres', () => import('pg'))) as {
      default?: { Pool: unknown };
      Pool?: unknown;
    };
    const Pool = (pg.default?.Pool ?? pg.Pool) as new (config: object) => PgPoolLike;
    this.#pool ??= new Pool({
      connectionString: this.#own,
      statement_timeout: this.timeoutMs,
      // Idle connections never keep the process alive (a forgotten close() does not hang it).
      allowExitOnIdle: true,
    });
    // An idle connection the server dropped (a restart) is not the process's end: the pool
    // replaces it, and the next call that fails says so with a typed error.
    (this.#pool as unknown as { on?(event: 'error', listener: () => void): void }).on?.(
      'error',
      () => {},
    );
    return this.#pool;
  }

  async #setUp(): Promise<void> {
    try {
      const client = await (await this.#open()).connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`arshai:${this.schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${this.table('schema')} (component TEXT PRIMARY KEY, version INTEGER NOT NULL)`,
        );
        await this.#prepare(client);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      this.#ready = undefined; // the next call tries again (a database that was down)
      throw error;
    }
  }

  /** Closes the pool the backend opened (a pool you gave stays open). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#own !== undefined) await this.#pool?.end();
  }
}

/**
 * Brings a component's tables (`component` in the `schema` table) to the newest version:
 * `migrations[i]` takes them from version `i` to `i + 1`. Tables at a version newer than this
 * code knows are refused with an `InvalidInputError` naming `schema`, and left as they are.
 * Runs inside the set-up transaction, under its advisory lock.
 */
export async function migrate(
  client: PgClientLike,
  schemaTable: string,
  component: string,
  migrations: readonly string[],
): Promise<void> {
  const found = await client.query(`SELECT version FROM ${schemaTable} WHERE component = $1`, [
    component,
  ]);
  const current = Number((found.rows[0] as { version?: number } | undefined)?.version ?? 0);
  const newest = migrations.length;
  if (current > newest)
    throw new InvalidInputError(
      'schema',
      `the ${component} tables are at version ${current}; this arshai knows up to ${newest}: upgrade arshai`,
    );
  if (current === newest) return;
  for (const step of migrations.slice(current)) await client.query(step);
  await client.query(
    `INSERT INTO ${schemaTable} (component, version) VALUES ($1, $2)
       ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version`,
    [component, newest],
  );
}

/** Runs `work` in a transaction on `client`. */
export async function inTransaction<T>(client: PgClientLike, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** The SQLSTATE of a `pg` error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Outages (no connection, the server shutting down, a timeout) are retryable; refusals are not. */
function toStoreError(error: unknown, operation: string, timedOut: boolean): Error {
  if (ArshaiError.isInstance(error) && !timedOut) return error; // typed already (a conflict)
  const code = sqlState(error);
  const outage =
    timedOut ||
    code === undefined ||
    code.startsWith('08') || // connection exceptions
    code === '57P01' || // admin shutdown
    code === '57P02' ||
    code === '57P03' || // cannot connect now (starting up)
    code === '57014' || // statement timeout / cancelled
    code === '53300' || // too many connections
    /^E[A-Z]+$/.test(code); // ECONNREFUSED, ECONNRESET...
  const what = timedOut ? 'timed out' : `failed (${code ?? (error as Error)?.name ?? 'error'})`;
  return new StoreError(`Postgres: ${operation} ${what}`, {
    store: 'postgres',
    operation,
    retryable: outage,
    cause: error,
  });
}

/** Text PostgreSQL cannot hold (a NUL character, a lone surrogate) is the caller's to fix. */
export function unstorable(error: unknown, field: string): unknown {
  const code = sqlState(error);
  if (code === '22P05' || code === '22021' || code === '22P02')
    return new InvalidInputError(
      field,
      'holds text PostgreSQL cannot store (a NUL character or a lone surrogate)',
      { cause: error },
    );
  return error;
}
