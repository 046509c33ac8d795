/**
 * Stores that fail say why (issue 22): a read-only file or folder (opened by another user), a
 * full disk, a damaged file or damaged stored JSON — typed errors naming the store and what
 * was being done, and nothing stored lost. Real SQLite files, real child processes.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  CheckpointError,
  END,
  InvalidInputError,
  SqliteCheckpointer,
  SqliteMemoryManager,
  StoreError,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { RedisCheckpointer, RedisMemoryManager } from 'arshai/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'arshai-stores-'));
chmodSync(root, 0o755);
afterAll(() => {
  execFileSync('chmod', ['-R', 'u+rwx', root]);
  rmSync(root, { recursive: true, force: true });
});
const child = join(import.meta.dirname, 'fixtures/store-child.mjs');

/** Another user (as root: nobody), so that file modes apply. */
function otherUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function runChild(mode: 'seed' | 'use', path: string) {
  const user = mode === 'use' ? otherUser() : undefined;
  const out = execFileSync(process.execPath, [child, mode, path], {
    encoding: 'utf8',
    ...(user ?? {}),
  });
  return JSON.parse(out) as Record<
    string,
    { ok?: unknown; error?: string; message?: string; retryable?: boolean; cause?: string }
  >;
}

describe('a read-only store', () => {
  it('a 0444 file: every read works, every write is a typed non-retryable error, nothing changes', () => {
    const dir = join(root, 'ro-file');
    execFileSync('mkdir', ['-m', '0777', dir]);
    const path = join(dir, 'arshai.db');
    runChild('seed', path);
    chmodSync(path, 0o444);
    const before = statSync(path).mtimeMs;
    const out = runChild('use', path);
    expect(out.listRuns).toEqual({ ok: ['waiting'] });
    expect(out.getLatest).toEqual({ ok: 'interrupted' });
    expect(out.history).toEqual({ ok: 2 });
    expect(out.retrieve).toEqual({ ok: ['hello'] });
    for (const write of ['store', 'update', 'delete']) {
      expect(out[write]).toMatchObject({ error: 'StoreError', retryable: false });
      expect(out[write]?.message).toMatch(
        /SQLite store .*arshai\.db: is read-only: memory\.\w+ needs to write/,
      );
    }
    for (const run of ['execute', 'resume']) {
      expect(out[run]).toMatchObject({
        error: 'CheckpointError',
        retryable: false,
        cause: 'StoreError',
      });
      expect(out[run]?.message).toMatch(/is read-only/);
    }
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it('a file in a 0555 folder: a typed error that says the folder must be writable', () => {
    const dir = join(root, 'ro-folder');
    execFileSync('mkdir', ['-m', '0777', dir]);
    const path = join(dir, 'arshai.db');
    runChild('seed', path);
    chmodSync(path, 0o644); // readable: only the folder is read-only
    chmodSync(dir, 0o555);
    const out = runChild('use', path);
    for (const result of Object.values(out)) {
      expect(result.ok).toBeUndefined();
      expect(['StoreError', 'CheckpointError']).toContain(result.error);
      expect(result.retryable).toBe(false);
      expect(result.message).toMatch(/read-only folder: .*make the folder writable/);
    }
  });
});

describe('a full disk', () => {
  it('memory writes fail typed and retryable with the real reason; stored entries stay; writes work once there is room', async () => {
    const db = new DatabaseSync(join(root, 'full.db'));
    const memory = new SqliteMemoryManager({ database: db });
    await memory.store({ conversationId: 'c', type: 'short-term', id: 'first', content: 'kept' });
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    db.exec(`PRAGMA max_page_count = ${pages + 1}`);
    let failure: unknown;
    for (let i = 0; i < 200 && !failure; i++) {
      await memory
        .store({ conversationId: 'c', type: 'short-term', content: 'x'.repeat(2000) })
        .catch((e: unknown) => {
          failure = e;
        });
    }
    expect(StoreError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ store: 'sqlite', operation: 'memory.store', retryable: true });
    expect((failure as Error).message).toMatch(/the database or disk is full/);
    expect(((failure as Error).cause as Error).message).toMatch(/database or disk is full/);
    const update = await memory
      .update(
        { conversationId: 'c', type: 'short-term', id: 'first' },
        { content: 'y'.repeat(9000) },
      )
      .catch((e: unknown) => e);
    expect(update).toMatchObject({ retryable: true, message: expect.stringMatching(/full/) });
    expect((await memory.retrieve({ conversationId: 'c' }))[0]?.content).toBe('kept');
    db.exec('PRAGMA max_page_count = 1000000');
    await memory.store({
      conversationId: 'c',
      type: 'short-term',
      id: 'later',
      content: 'room again',
    });
    expect((await memory.retrieve({ conversationId: 'c', limit: 1 }))[0]?.content).toBe(
      'room again',
    );
    db.close();
  });

  it('a checkpoint that does not fit is a retryable CheckpointError; the run resumes once there is room', async () => {
    const db = new DatabaseSync(join(root, 'full-runs.db'));
    const checkpointer = new SqliteCheckpointer({ database: db });
    const workflow = new WorkflowGraph<{ big?: string }>()
      .addNode('grow', () => ({ big: 'z'.repeat(50_000) }))
      .addEdge('grow', END)
      .setEntryPoint('grow')
      .compile({ name: 'grow' });
    const runner = new WorkflowRunner(workflow, { checkpointer });
    await checkpointer.listRuns(); // creates the tables
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    db.exec(`PRAGMA max_page_count = ${pages + 4}`);
    const error = await runner
      .executeWorkflow({ runId: 'r-full', userId: 'u' })
      .catch((e: unknown) => e);
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ runId: 'r-full', retryable: true });
    expect((error as Error).message).toMatch(/database or disk is full/);
    db.exec('PRAGMA max_page_count = 1000000');
    const resumed = await runner.resume('r-full');
    expect(resumed.status).toBe('completed');
    expect(resumed.state.big).toHaveLength(50_000);
    db.close();
  });
});

describe('a damaged store', () => {
  it('damaged stored JSON: reads are typed errors naming the store and the run; listings still work', async () => {
    const path = join(root, 'damaged-json.db');
    const checkpointer = new SqliteCheckpointer({ path });
    const memory = new SqliteMemoryManager({ path });
    const workflow = new WorkflowGraph<{ answer?: unknown }>()
      .addNode('ask', (_s, _i, ctx) => ({ answer: ctx.interrupt('ok?') }))
      .addEdge('ask', END)
      .setEntryPoint('ask')
      .compile({ name: 'ask' });
    const runner = new WorkflowRunner(workflow, { checkpointer });
    await runner.executeWorkflow({ runId: 'broken', userId: 'u' });
    await memory.store({ conversationId: 'c', type: 'short-term', id: 'm', content: 'fine' });
    const raw = new DatabaseSync(path);
    raw.exec(
      `UPDATE arshai_checkpoints SET checkpoint = '{"runId": "broken", "state": {' WHERE run_id = 'broken'`,
    );
    raw.exec(`UPDATE arshai_memory SET content = '"unterminated' WHERE id = 'm'`);
    raw.close();
    // The listing reads summaries, never states.
    expect((await checkpointer.listRuns()).map((r) => [r.runId, r.status])).toEqual([
      ['broken', 'interrupted'],
    ]);
    const read = await checkpointer.getLatest('broken').catch((e: unknown) => e);
    expect(StoreError.isInstance(read)).toBe(true);
    expect(read).toMatchObject({ store: 'sqlite', retryable: false });
    expect((read as Error).message).toMatch(
      /damaged: checkpoints\.getLatest of run "broken" read stored data that is not valid JSON/,
    );
    const resumed = await runner.resume('broken', { value: 'x' }).catch((e: unknown) => e);
    expect(CheckpointError.isInstance(resumed)).toBe(true);
    expect(resumed).toMatchObject({ runId: 'broken', retryable: false });
    const entries = await memory.retrieve({ conversationId: 'c' }).catch((e: unknown) => e);
    expect(entries).toMatchObject({
      name: 'StoreError',
      operation: 'memory.retrieve',
      retryable: false,
    });
    await checkpointer.close();
    await memory.close();
  });

  it('a damaged file ("database disk image is malformed") is a typed error, not a crash', async () => {
    const path = join(root, 'damaged-file.db');
    const memory = new SqliteMemoryManager({ path });
    for (let i = 0; i < 300; i++)
      await memory.store({
        conversationId: 'c',
        type: 'short-term',
        content: { i, pad: 'p'.repeat(200) },
      });
    await memory.close();
    // Garbage over the pages after the first (the header stays: SQLite opens the file).
    const fd = openSync(path, 'r+');
    const size = statSync(path).size;
    const junk = Buffer.alloc(size - 8192, 0x5a);
    writeSync(fd, junk, 0, junk.length, 4096);
    closeSync(fd);
    const again = new SqliteMemoryManager({ path });
    const error = await again.retrieve({ conversationId: 'c' }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ store: 'sqlite', retryable: false });
    expect((error as Error).message).toMatch(/is damaged \(.*malformed.*\)/);
    await again.close();
  });

  it('Redis: damaged stored JSON is a typed StoreError, never a SyntaxError', async () => {
    const prefix = `test:damaged:${process.pid}:`;
    const url = inject('redisUrl');
    const checkpointer = new RedisCheckpointer({ url, keyPrefix: `${prefix}cp:` });
    const memory = new RedisMemoryManager({ url, keyPrefix: `${prefix}mem:` });
    const runner = new WorkflowRunner(
      new WorkflowGraph<{ done?: boolean }>()
        .addNode('a', () => ({ done: true }))
        .addEdge('a', END)
        .setEntryPoint('a')
        .compile({ name: 'a' }),
      { checkpointer },
    );
    await runner.executeWorkflow({ runId: 'r1', userId: 'u' });
    await memory.store({ conversationId: 'c', type: 'short-term', id: 'm', content: 'fine' });
    const raw = new Redis(url);
    await raw.lset(`${prefix}cp:run:r1`, -1, '{"broken":');
    const keys = await raw.keys(`${prefix}mem:*`);
    for (const key of keys)
      if ((await raw.type(key)) === 'hash') await raw.hset(key, 'content', '{oops');
    raw.disconnect();
    expect((await checkpointer.listRuns()).map((r) => r.runId)).toEqual(['r1']);
    const read = await checkpointer.getLatest('r1').catch((e: unknown) => e);
    expect(read).toMatchObject({ name: 'StoreError', store: 'redis', retryable: false });
    expect((read as Error).message).toMatch(/damaged: checkpoints\.getLatest of run "r1"/);
    const entries = await memory.retrieve({ conversationId: 'c' }).catch((e: unknown) => e);
    expect(entries).toMatchObject({ name: 'StoreError', store: 'redis', retryable: false });
    await checkpointer.close();
    await memory.close();
  });
});

describe('schema versions', () => {
  it('a store written by a newer arshai is refused, typed, and left as it is', async () => {
    const path = join(root, 'newer.db');
    const cp = new SqliteCheckpointer({ path });
    await cp.listRuns();
    await cp.close();
    const raw = new DatabaseSync(path);
    raw.exec(`UPDATE arshai_schema SET version = 9 WHERE component = 'checkpoints'`);
    raw.close();
    const again = new SqliteCheckpointer({ path });
    const error = await again.listRuns().catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /checkpoints tables are at version 9; this arshai knows up to 3/,
    );
    await again.close();
    const check = new DatabaseSync(path);
    expect(
      check.prepare(`SELECT version FROM arshai_schema WHERE component = 'checkpoints'`).get(),
    ).toEqual({ version: 9 });
    check.close();
  });
});

it('a store this user may not read says so', () => {
  const dir = join(root, 'private');
  execFileSync('mkdir', ['-m', '0777', dir]);
  const path = join(dir, 'arshai.db');
  runChild('seed', path);
  chmodSync(path, 0o000); // nobody may read it
  const out = runChild('use', path);
  expect(out.listRuns).toMatchObject({ error: 'StoreError', retryable: false });
  expect(out.listRuns?.message).toMatch(
    /cannot be opened \(unable to open database file\): may this user read it/,
  );
});
