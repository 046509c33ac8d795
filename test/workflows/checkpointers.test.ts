import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Checkpoint,
  type Checkpointer,
  InMemoryCheckpointer,
  InvalidInputError,
  RunConflictError,
  SqliteCheckpointer,
} from 'arshai';
import { PostgresCheckpointer } from 'arshai/postgres';
import { RedisCheckpointer } from 'arshai/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-checkpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkpoint(
  runId: string,
  step: number,
  status: Checkpoint['status'] = 'running',
): Checkpoint {
  return {
    runId,
    workflow: 'wf',
    step,
    version: step,
    status,
    state: {
      userContext: { userId: `user-${runId}`, lastActive: 't', interactionCount: 1 },
      currentStep: `n${step}`,
      stepCount: step,
      processingPath: [],
      agentData: { step },
      workingMemories: {},
      errors: [],
      input: null,
    },
    next: status === 'completed' ? [] : [`n${step + 1}`],
    ran: [`n${step}`],
    createdAt: new Date(1_700_000_000_000 + step).toISOString(),
  };
}

const backends: Array<[string, () => Checkpointer, (() => Checkpointer) | undefined]> = [
  ['InMemoryCheckpointer', () => new InMemoryCheckpointer(), undefined],
  [
    'SqliteCheckpointer',
    () => new SqliteCheckpointer({ path: join(dir, 'c.db') }),
    () => new SqliteCheckpointer({ path: join(dir, 'c.db') }),
  ],
  [
    'RedisCheckpointer',
    () => new RedisCheckpointer({ url: inject('redisUrl'), keyPrefix: `test:cp:${process.pid}:` }),
    () => new RedisCheckpointer({ url: inject('redisUrl'), keyPrefix: `test:cp:${process.pid}:` }),
  ],
  [
    'PostgresCheckpointer',
    () =>
      new PostgresCheckpointer({
        connectionString: inject('postgresUrl'),
        tablePrefix: `cp${process.pid}_`,
      }),
    () =>
      new PostgresCheckpointer({
        connectionString: inject('postgresUrl'),
        tablePrefix: `cp${process.pid}_`,
      }),
  ],
];

describe.each(backends)('%s conformance', (_name, create, reopen) => {
  it('delete(runId) removes a run whole and leaves the others; the id can be used again', async () => {
    const cp = create();
    const gone = `gone-${Date.now()}`;
    const kept = `kept-${Date.now()}`;
    await cp.put(checkpoint(gone, 0));
    await cp.put(checkpoint(gone, 1));
    await cp.put(checkpoint(kept, 0));
    expect(await cp.delete(gone)).toBe(2);
    expect(await cp.getLatest(gone)).toBeUndefined();
    expect(await cp.history(gone)).toEqual([]);
    const listed = (await cp.listRuns()).map((r) => r.runId);
    expect(listed).toContain(kept);
    expect(listed).not.toContain(gone);
    expect(await cp.delete(gone)).toBe(0);
    expect((await cp.history(kept)).map((c) => c.step)).toEqual([0]);
    await cp.put(checkpoint(gone, 0)); // version 0 again: the run id is free
    expect((await cp.getLatest(gone))?.step).toBe(0);
    await cp.close();
  });

  it('pages runs with a cursor: every run once, newest first, as one listing; a bad cursor is refused', async () => {
    const cp = create();
    const tag = `page-${Date.now()}`;
    for (let i = 0; i < 5; i++) await cp.put(checkpoint(`${tag}-${i}`, 0));
    await cp.put(checkpoint(`${tag}-1`, 1)); // updated last: listed first
    const all = await cp.listRuns();
    expect(all.slice(0, 5).map((r) => r.runId)).toEqual([1, 4, 3, 2, 0].map((i) => `${tag}-${i}`));
    expect(all[0]).toMatchObject({
      step: 1,
      userId: `user-${tag}-1`,
      workflow: 'wf',
      status: 'running',
    });
    const walked: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const runs = await cp.listRuns({ limit: 2, ...(cursor ? { cursor } : {}) });
      walked.push(...runs.map((r) => r.runId));
      if (runs.length < 2) break;
      cursor = runs.at(-1)?.cursor;
      expect(typeof cursor).toBe('string');
    }
    expect(walked).toEqual(all.map((r) => r.runId));
    await expect(cp.listRuns({ cursor: 'not a cursor' })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'cursor',
    );
    await cp.close();
  });

  it('lists the runs at a status (their status now, not a past one), paged with a cursor; a bad status is refused', async () => {
    const cp = create();
    const tag = `status-${Date.now()}`;
    // 0..9: every third interrupted, one of them later completed; 10 waits, then runs again.
    for (let i = 0; i < 10; i++)
      await cp.put(checkpoint(`${tag}-${i}`, 0, i % 3 ? 'running' : 'interrupted'));
    await cp.put(checkpoint(`${tag}-3`, 1, 'completed'));
    await cp.put(checkpoint(`${tag}-10`, 0, 'interrupted'));
    await cp.put(checkpoint(`${tag}-10`, 1, 'running'));
    const mine = (runs: { runId: string }[]) =>
      runs.map((r) => r.runId).filter((id) => id.startsWith(`${tag}-`));
    expect(mine(await cp.listRuns({ status: 'interrupted' }))).toEqual([
      `${tag}-9`,
      `${tag}-6`,
      `${tag}-0`,
    ]);
    expect(mine(await cp.listRuns({ status: ['completed', 'interrupted'] }))).toEqual(
      [3, 9, 6, 0].map((i) => `${tag}-${i}`),
    );
    const running = mine(await cp.listRuns({ status: 'running' }));
    expect(running).toEqual([10, 8, 7, 5, 4, 2, 1].map((i) => `${tag}-${i}`));
    const walked: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const runs = await cp.listRuns({
        status: 'running',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(runs.every((r) => r.status === 'running')).toBe(true);
      walked.push(...mine(runs));
      if (runs.length < 2) break;
      cursor = runs.at(-1)?.cursor;
    }
    expect(walked).toEqual(running);
    for (const status of ['waiting', [], ['running', 'nope'], [undefined]] as const)
      await expect(cp.listRuns({ status: status as unknown as 'running' })).rejects.toSatisfy(
        (e) => InvalidInputError.isInstance(e) && e.field === 'status',
      );
    await cp.close();
  });

  it('stores every step, returns the latest, the history in order, and runs newest first', async () => {
    const cp = create();
    const a = `a-${Date.now()}`;
    const b = `b-${Date.now()}`;
    await cp.put(checkpoint(a, 0));
    await cp.put(checkpoint(a, 1));
    await cp.put(checkpoint(b, 0));
    await cp.put(checkpoint(a, 2, 'completed'));
    expect((await cp.getLatest(a))?.step).toBe(2);
    expect((await cp.getLatest(a))?.status).toBe('completed');
    expect((await cp.history(a)).map((c) => c.step)).toEqual([0, 1, 2]);
    expect(await cp.getLatest('nope')).toBeUndefined();
    expect(await cp.history('nope')).toEqual([]);
    const runs = await cp.listRuns({ limit: 2 });
    expect(runs.map((r) => r.runId)).toEqual([a, b]);
    expect(runs[0]).toMatchObject({
      status: 'completed',
      step: 2,
      userId: `user-${a}`,
      workflow: 'wf',
    });
    const stored = await cp.getLatest(a);
    expect(stored).toEqual(checkpoint(a, 2, 'completed'));
    await cp.close();
    if (reopen) {
      const again = reopen();
      expect((await again.getLatest(a))?.state.agentData).toEqual({ step: 2 });
      await again.close();
    }
  });

  it('keeps pending writes per step and branch; a second write of a branch replaces the first; delete removes them', async () => {
    const cp = create();
    const runId = `writes-${Date.now()}`;
    await cp.put(checkpoint(runId, 0));
    expect(await cp.getWrites?.(runId, 0)).toEqual([]);
    await cp.putWrite?.(runId, 0, { node: 'b', update: { agentData: { b: 1 } } });
    await cp.putWrite?.(runId, 0, { node: 'c', update: undefined });
    await cp.putWrite?.(runId, 0, { node: 'b', update: { agentData: { b: 2 } } });
    const writes = (await cp.getWrites?.(runId, 0)) ?? [];
    expect(writes.sort((x, y) => x.node.localeCompare(y.node))).toEqual([
      { node: 'b', update: { agentData: { b: 2 } } },
      { node: 'c' },
    ]);
    await cp.put(checkpoint(runId, 1));
    await cp.putWrite?.(runId, 1, { node: 'b', update: { agentData: { b: 11 } } });
    expect(await cp.getWrites?.(runId, 1)).toEqual([
      { node: 'b', update: { agentData: { b: 11 } } },
    ]);
    await expect(
      cp.putWrite?.(runId, 1, { node: 'd', update: { big: 10n } as Record<string, unknown> }),
    ).rejects.toSatisfy((e) => InvalidInputError.isInstance(e) && e.field === 'write.update');
    if (reopen) {
      const again = reopen();
      expect(await again.getWrites?.(runId, 1)).toHaveLength(1);
      await again.close();
    }
    expect(await cp.delete(runId)).toBe(2);
    expect(await cp.getWrites?.(runId, 0)).toEqual([]);
    expect(await cp.getWrites?.(runId, 1)).toEqual([]);
    await cp.close();
  });

  it('keeps checkpoints apart from later changes to the state object', async () => {
    const cp = create();
    const c = checkpoint(`iso-${Date.now()}`, 0);
    await cp.put(c);
    c.state.agentData.step = 99;
    expect((await cp.getLatest(c.runId))?.state.agentData.step).toBe(0);
    await cp.close();
  });

  it('refuses a version the run already has, also from another connection; nothing is overwritten', async () => {
    const cp = create();
    const other = reopen?.() ?? cp;
    const runId = `claim-${Date.now()}`;
    await cp.put(checkpoint(runId, 0));
    const claims = await Promise.allSettled(
      [cp, other, cp, other].map((c, i) =>
        c.put({ ...checkpoint(runId, 1), ran: [`claimer-${i}`] }),
      ),
    );
    const won = claims.filter((c) => c.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of claims.filter((c) => c.status === 'rejected')) {
      expect(RunConflictError.isInstance(lost.reason)).toBe(true);
      expect(lost.reason).toMatchObject({ runId, version: 1 });
    }
    const history = await cp.history(runId);
    expect(history.map((c) => c.version)).toEqual([0, 1]);
    await expect(cp.put(checkpoint(runId, 0))).rejects.toSatisfy((e: unknown) =>
      RunConflictError.isInstance(e),
    );
    await cp.put(checkpoint(runId, 2, 'completed'));
    expect((await cp.getLatest(runId))?.status).toBe('completed');
    await cp.close();
    if (other !== cp) await other.close();
  });

  it('stores JSON: a state that is not JSON is refused and nothing is stored; dates come back as strings', async () => {
    const cp = create();
    const runId = `json-${Date.now()}`;
    const bad = checkpoint(runId, 0);
    bad.state.agentData.big = 10n;
    await expect(cp.put(bad)).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'checkpoint.state',
    );
    const circular = checkpoint(runId, 0);
    circular.state.agentData.self = circular.state;
    await expect(cp.put(circular)).rejects.toSatisfy((e: unknown) =>
      InvalidInputError.isInstance(e),
    );
    expect(await cp.getLatest(runId)).toBeUndefined();
    expect((await cp.listRuns()).map((r) => r.runId)).not.toContain(runId);
    const dated = checkpoint(runId, 0);
    dated.state.agentData.when = new Date(0);
    dated.state.agentData.gone = undefined;
    await cp.put(dated);
    expect((await cp.getLatest(runId))?.state.agentData).toEqual({
      step: 0,
      when: '1970-01-01T00:00:00.000Z',
    });
    await expect(cp.listRuns({ limit: 0 })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'limit',
    );
    await cp.close();
  });
});

it('SqliteCheckpointer migrates a schema-1 database: versions numbered per run, conflicts refused', async () => {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const path = join(dir, 'v1.db');
  const db = new DatabaseSync(path);
  db.exec(`
    CREATE TABLE arshai_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
    CREATE TABLE arshai_checkpoints (run_id TEXT NOT NULL, step INTEGER NOT NULL,
      status TEXT NOT NULL, workflow TEXT NOT NULL, user_id TEXT NOT NULL,
      created_at TEXT NOT NULL, checkpoint TEXT NOT NULL, seq INTEGER PRIMARY KEY AUTOINCREMENT);
    CREATE INDEX arshai_checkpoints_by_run ON arshai_checkpoints (run_id, seq);
    INSERT INTO arshai_schema VALUES ('checkpoints', 1);
  `);
  const insert = db.prepare(
    "INSERT INTO arshai_checkpoints (run_id, step, status, workflow, user_id, created_at, checkpoint) VALUES (?, ?, 'running', 'wf', 'u', 't', ?)",
  );
  for (const [run, step] of [
    ['x', 0],
    ['y', 0],
    ['x', 1],
    ['x', 2],
    ['y', 1],
  ] as const) {
    const { version: _, ...old } = checkpoint(run, step);
    insert.run(run, step, JSON.stringify(old));
  }
  db.close();
  const cp = new SqliteCheckpointer({ path });
  expect((await cp.history('x')).map((c) => [c.step, c.version])).toEqual([
    [0, 0],
    [1, 1],
    [2, 2],
  ]);
  expect((await cp.getLatest('y'))?.version).toBe(1);
  await expect(cp.put(checkpoint('x', 2))).rejects.toSatisfy((e: unknown) =>
    RunConflictError.isInstance(e),
  );
  await cp.put(checkpoint('x', 3));
  await cp.close();
  const again = new SqliteCheckpointer({ path });
  expect((await again.listRuns()).map((r) => r.runId)).toEqual(['x', 'y']);
  await again.close();
});

it('SqliteCheckpointer migrates a schema-2 database: its runs summed up once, new runs listed beside them', async () => {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const path = join(dir, 'v2.db');
  const db = new DatabaseSync(path);
  db.exec(`
    CREATE TABLE arshai_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
    CREATE TABLE arshai_checkpoints (run_id TEXT NOT NULL, step INTEGER NOT NULL,
      status TEXT NOT NULL, workflow TEXT NOT NULL, user_id TEXT NOT NULL,
      created_at TEXT NOT NULL, checkpoint TEXT NOT NULL, seq INTEGER PRIMARY KEY AUTOINCREMENT,
      version INTEGER NOT NULL);
    CREATE UNIQUE INDEX arshai_checkpoints_version ON arshai_checkpoints (run_id, version);
    INSERT INTO arshai_schema VALUES ('checkpoints', 2);
  `);
  const insert = db.prepare(
    `INSERT INTO arshai_checkpoints (run_id, step, status, workflow, user_id, created_at, checkpoint, version)
     VALUES (?, 0, 'running', 'wf', ?, 't', ?, 0)`,
  );
  insert.run('old', 'user-old', JSON.stringify(checkpoint('old', 0)));
  db.close();
  const cp = new SqliteCheckpointer({ path });
  await cp.put(checkpoint('new', 0));
  expect((await cp.listRuns()).map((r) => [r.runId, r.userId])).toEqual([
    ['new', 'user-new'],
    ['old', 'user-old'],
  ]);
  await cp.close();
  const check = new DatabaseSync(path);
  expect(
    check
      .prepare(
        `SELECT run_id, json_extract(summary, '$.userId') AS user FROM arshai_runs ORDER BY seq`,
      )
      .all(),
  ).toEqual([
    { run_id: 'old', user: 'user-old' },
    { run_id: 'new', user: 'user-new' },
  ]);
  expect(
    check.prepare(`SELECT version FROM arshai_schema WHERE component = 'checkpoints'`).get(),
  ).toEqual({ version: 3 });
  check.close();
});

it('RedisCheckpointer with ttlMs: an idle run expires, and leaves the list of runs', async () => {
  const prefix = `test:cp-ttl:${process.pid}:`;
  const cp = new RedisCheckpointer({ url: inject('redisUrl'), keyPrefix: prefix, ttlMs: 60 });
  await cp.put(checkpoint('old', 0));
  expect((await cp.listRuns()).map((r) => r.runId)).toEqual(['old']);
  await new Promise((r) => setTimeout(r, 150));
  expect(await cp.getLatest('old')).toBeUndefined();
  await cp.put(checkpoint('new', 0));
  expect((await cp.listRuns()).map((r) => r.runId)).toEqual(['new']);
  const raw = new Redis(inject('redisUrl'));
  expect(await raw.zrevrange(`${prefix}runs`, 0, -1)).toEqual(['new']); // the index is pruned too
  raw.disconnect();
  // A run that keeps going keeps its whole history.
  await cp.put(checkpoint('new', 1));
  expect(await cp.history('new')).toHaveLength(2);
  await cp.close();
});
