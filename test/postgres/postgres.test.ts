import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  AbortError,
  type Checkpoint,
  InvalidInputError,
  RunConflictError,
  StoreError,
  TimeoutError,
} from 'arshai';
import { PostgresCheckpointer, PostgresMemoryManager } from 'arshai/postgres';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startPostgres } from '../setup/postgres-process.js';

const url = inject('postgresUrl');
const prefix = (name: string) => `${name}${process.pid}_`;
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

function checkpoint(runId: string, version: number, userId = 'u'): Checkpoint {
  return {
    runId,
    workflow: 'wf',
    step: version,
    version,
    status: 'running',
    state: {
      userContext: { userId, lastActive: 't', interactionCount: 1 },
      currentStep: 'n',
      stepCount: version,
      processingPath: [],
      agentData: { note: `it's "quoted" — ünïcödé 🎉`, version },
      workingMemories: {},
      errors: [],
      input: null,
    },
    next: ['n'],
    ran: [],
    createdAt: new Date(1_700_000_000_000 + version).toISOString(),
  };
}

describe('Postgres backends', () => {
  it('hostile ids are stored and read back exactly, and touch no other row; text Postgres cannot hold is a typed refusal', async () => {
    const cp = new PostgresCheckpointer({ connectionString: url, tablePrefix: prefix('hostile') });
    closers.push(() => cp.close());
    await cp.put(checkpoint('bystander', 0));
    const hostile = [
      "x'; DROP TABLE arshai_checkpoints; --",
      'a" OR "1"="1',
      "r$1'||(SELECT pg_sleep(5))||'",
      'ünïcödé-🎉',
    ];
    // Run ids are plain names: anything else is refused before the database sees it...
    for (const id of hostile)
      await expect(cp.put(checkpoint(id, 0))).rejects.toSatisfy((e) =>
        InvalidInputError.isInstance(e),
      );
    // ...while the state (a user id, any text) is stored and read back exactly.
    for (const [i, id] of hostile.entries()) {
      await cp.put(checkpoint(`hostile-${i}`, 0, id));
      expect((await cp.getLatest(`hostile-${i}`))?.state.userContext.userId).toBe(id);
      expect((await cp.listRuns()).find((r) => r.runId === `hostile-${i}`)?.userId).toBe(id);
    }
    expect((await cp.getLatest('bystander'))?.state.agentData).toEqual({
      note: `it's "quoted" — ünïcödé 🎉`,
      version: 0,
    });
    expect(await cp.delete('hostile-0')).toBe(1);
    expect((await cp.history('bystander')).length).toBe(1);
    const nul = checkpoint('nul-run', 0);
    nul.state.agentData = { text: 'a\u0000b' };
    await expect(cp.put(nul)).rejects.toSatisfy((e) => InvalidInputError.isInstance(e));
    expect(await cp.getLatest('nul-run')).toBeUndefined();

    const memory = new PostgresMemoryManager({
      connectionString: url,
      tablePrefix: prefix('hostile'),
    });
    closers.push(() => memory.close());
    await expect(
      memory.store({ conversationId: "c'); DELETE FROM x; --", type: 'long-term', content: 1 }),
    ).rejects.toSatisfy((e) => InvalidInputError.isInstance(e));
    await memory.store({ conversationId: 'other', type: 'long-term', content: 'kept' });
    const content = { q: "'); DELETE FROM arshai_memory; --", "k'ey": 'ünïcödé 🎉' };
    await memory.store({
      conversationId: 'c1',
      type: 'long-term',
      id: 'e1',
      content,
      metadata: { "a'": 1 },
    });
    const [entry] = await memory.retrieve({ conversationId: 'c1', query: 'DELETE FROM' });
    expect(entry).toMatchObject({ id: 'e1', content, metadata: { "a'": 1 } });
    expect((await memory.retrieve({ conversationId: 'other' }))[0]?.content).toBe('kept');
  });

  it('two versions of one run at once: exactly one wins, the other gets RunConflictError', async () => {
    const a = new PostgresCheckpointer({ connectionString: url, tablePrefix: prefix('race') });
    const b = new PostgresCheckpointer({ connectionString: url, tablePrefix: prefix('race') });
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    await a.put(checkpoint('raced', 0));
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).put(checkpoint('raced', 1))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect(RunConflictError.isInstance((r as PromiseRejectedResult).reason)).toBe(true);
  });

  it('the schema is versioned: set up once by many at a time, and tables newer than this code are refused and left alone', async () => {
    const tablePrefix = prefix('schema');
    const options = { connectionString: url, tablePrefix, schema: 'arshai_versions' };
    const first = Array.from({ length: 6 }, (_, i) =>
      i % 2 ? new PostgresCheckpointer(options) : new PostgresMemoryManager(options),
    );
    closers.push(...first.map((b) => () => b.close()));
    // Six backends starting together: the set-up runs under one lock, none fails.
    await Promise.all(
      first.map((b) =>
        b instanceof PostgresCheckpointer
          ? b.put(checkpoint(`v-${Math.random()}`, 0))
          : b.store({ conversationId: 'c', type: 'short-term', content: 'kept' }),
      ),
    );
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    closers.push(() => admin.end());
    const table = `"arshai_versions"."${tablePrefix}schema"`;
    const versions = await admin.query(`SELECT component, version FROM ${table} ORDER BY 1`);
    expect(versions.rows).toEqual([
      { component: 'checkpoints', version: 2 },
      { component: 'memory', version: 1 },
    ]);

    // A newer arshai moved the tables on: this one refuses them, typed, before touching a row.
    await admin.query(`UPDATE ${table} SET version = 7`);
    const checkpoints = new PostgresCheckpointer(options);
    const memory = new PostgresMemoryManager(options);
    closers.push(
      () => checkpoints.close(),
      () => memory.close(),
    );
    const refused = await checkpoints.put(checkpoint('later', 0)).catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(refused)).toBe(true);
    expect((refused as InvalidInputError).field).toBe('schema');
    expect(String((refused as Error).message)).toMatch(
      /checkpoints tables are at version 7; .*up to 2/,
    );
    const alsoRefused = await memory.retrieve({ conversationId: 'c' }).catch((e: unknown) => e);
    expect(String((alsoRefused as Error).message)).toMatch(/memory tables are at version 7/);
    const count = await admin.query(
      `SELECT count(*)::int AS n FROM "arshai_versions"."${tablePrefix}checkpoints"`,
    );
    expect(count.rows[0].n).toBe(3); // the three written before; nothing added
    // Back at the version this code knows, the same instances work (a refusal is not cached).
    await admin.query(`UPDATE ${table} SET version = 1`);
    await checkpoints.put(checkpoint('later', 0));
    expect((await memory.retrieve({ conversationId: 'c' })).map((e) => e.content)).toEqual([
      'kept',
      'kept',
      'kept',
    ]);
  });

  it('concurrent appends from four processes to one conversation: none lost; a shared counter counts every update', async () => {
    const fixture = join(import.meta.dirname, 'fixtures/append-child.mjs');
    const tablePrefix = prefix('appends');
    const conversationId = `busy-${Date.now()}`;
    const exits = await Promise.all(
      [0, 1, 2, 3].map(
        (worker) =>
          new Promise<number | null>((resolve) => {
            const child = spawn(
              process.execPath,
              [fixture, url, tablePrefix, conversationId, String(worker), '50'],
              { stdio: ['ignore', 'ignore', 'inherit'] },
            );
            child.on('exit', resolve);
          }),
      ),
    );
    expect(exits).toEqual([0, 0, 0, 0]);
    const memory = new PostgresMemoryManager({ connectionString: url, tablePrefix });
    closers.push(() => memory.close());
    const entries = await memory.retrieve({ conversationId, type: 'short-term' });
    expect(entries).toHaveLength(200);
    expect(new Set(entries.map((e) => JSON.stringify(e.content))).size).toBe(200);
    const [counter] = await memory.retrieve({ conversationId, type: 'working' });
    expect(counter?.content).toBe(4);
  }, 60_000);

  it('a signal and a time limit end a call at once, even while the database holds it', async () => {
    const pool = new pg.Pool({ connectionString: url });
    closers.push(() => pool.end());
    const tablePrefix = prefix('slow');
    const memory = new PostgresMemoryManager({ pool, tablePrefix });
    const key = { conversationId: 'c', type: 'working' as const, id: 'w' };
    await memory.update(key, { content: 1 });
    // Another session holds the row's lock: the update waits for it.
    const holder = await pool.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT * FROM "public"."${tablePrefix}memory" FOR UPDATE`);
    const tables = await pool.query(`SELECT * FROM "public"."${tablePrefix}memory" WHERE id = 'w'`);
    expect(tables.rows).toHaveLength(1);
    const started = performance.now();
    const stopped = memory.store(
      { conversationId: 'c', type: 'working', id: 'w', content: 2 },
      { signal: AbortSignal.timeout(200) },
    );
    await expect(stopped).rejects.toSatisfy(
      (e) => AbortError.isInstance(e) || TimeoutError.isInstance(e),
    );
    const waited = performance.now() - started;
    const limited = new PostgresMemoryManager({ pool, tablePrefix, timeoutMs: 300 });
    const timedOut = await limited
      .store({ conversationId: 'c', type: 'working', id: 'w', content: 3 })
      .catch((e: unknown) => e);
    expect(timedOut, String(timedOut)).toSatisfy((e) => StoreError.isInstance(e));
    expect((timedOut as { retryable?: boolean }).retryable).toBe(true);
    await holder.query('ROLLBACK');
    holder.release();
    expect(waited).toBeLessThan(5_000); // not held until the lock went
    expect((await memory.retrieve({ conversationId: 'c' }))[0]?.content).toBe(1); // nothing half-written
    await memory.update(key, { content: 4 });
    expect((await memory.retrieve({ conversationId: 'c' }))[0]?.content).toBe(4);
  });

  it('a database restart in the middle of a run: a typed, retryable StoreError, then it works again', async () => {
    const server = await startPostgres();
    closers.push(() => server.dispose());
    const cp = new PostgresCheckpointer({ connectionString: server.url, timeoutMs: 3_000 });
    closers.push(() => cp.close());
    await cp.put(checkpoint('restart', 0));
    await server.stop();
    const error = await cp.put(checkpoint('restart', 1)).catch((e: unknown) => e);
    expect(error, String(error)).toSatisfy((e) => StoreError.isInstance(e));
    expect(error).toMatchObject({ store: 'postgres', retryable: true });
    expect(String((error as Error).message)).not.toContain(server.url);
    await server.start();
    let stored = false;
    let last: unknown;
    for (let i = 0; i < 50 && !stored; i++) {
      stored = await cp.put(checkpoint('restart', 1)).then(
        () => true,
        (e) => {
          last = e;
          return new Promise<boolean>((r) => setTimeout(() => r(false), 100));
        },
      );
    }
    expect(stored, `${last} ${(last as Error)?.cause}`).toBe(true);
    expect((await cp.history('restart')).map((c) => c.version)).toEqual([0, 1]);
  }, 60_000);
});
