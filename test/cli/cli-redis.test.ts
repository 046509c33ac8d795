/** The CLI over Redis: `arshai worker` processes share the steps of `arshai demo --redis`. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';

const bin = join(import.meta.dirname, '../../dist/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'arshai-cli-redis-'));
const url = inject('redisUrl');
const workers: Array<{ child: ChildProcess; out: () => string }> = [];
afterAll(() => {
  for (const w of workers) w.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function arshai(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function startWorker(args: string[]) {
  const child = spawn(process.execPath, [bin, 'worker', '--redis', url, '--verbose', ...args], {
    cwd: dir,
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const worker = { child, out: () => out };
  workers.push(worker);
  return worker;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('demo --redis runs through the queue; two worker processes share its steps; runs and resume work with --redis', async () => {
  const pool = [startWorker(['--fast']), startWorker(['--fast'])];
  for (let i = 0; i < 500 && !pool.every((w) => /Ctrl-C stops it/.test(w.out())); i++)
    await sleep(10);
  expect(pool[0]?.out()).toMatch(/runs customer-support from redis:\/\/127\.0\.0\.1:\d+/);

  const paused = arshai(['demo', '--redis', url, '--fast']);
  expect(paused.code).toBe(0);
  expect(paused.out).toContain('Queued run');
  const runId = /arshai resume (\S+) --approve --redis/.exec(paused.out)?.[1] as string;
  expect(runId).toBeDefined();
  const list = arshai(['runs', '--redis', url]);
  expect(list.out).toContain(runId);
  expect(list.out).toMatch(new RegExp(`${runId}\\s+interrupted`));

  const done = arshai(['resume', runId, '--approve', '--redis', url, '--fast']);
  expect(done.code).toBe(0);
  expect(done.out).toContain('We have refunded $249.00 for order A1001');
  expect(done.out).toMatch(/total \$0\.\d{6}/); // the run's spending, stored by the workers
  const show = arshai(['runs', 'show', runId, '--redis', url]);
  expect(show.out).toContain('ran: resumed with answer approve');
  expect(show.out).toContain('completed');

  // Every step ran once — the approval step twice: asked, then answered (a step that waits on
  // an interrupt stays where it is) — and both workers took some.
  await sleep(100);
  const steps = pool.map((w) =>
    [...w.out().matchAll(new RegExp(`step ${runId}:(\\d+) ran`, 'g'))].map((m) => Number(m[1])),
  );
  expect(steps.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 4, 5, 6]);
  for (const mine of steps) expect(mine.length).toBeGreaterThan(0);

  for (const w of pool) w.child.kill('SIGTERM');
  const codes = await Promise.all(pool.map((w) => new Promise((r) => w.child.on('exit', r))));
  expect(codes).toEqual([0, 0]);
  expect(pool[0]?.out()).toContain('Stopping: finishing the steps in flight');
});

it('demo and worker with --redis and --postgres: steps on the queue, runs and memory in PostgreSQL', async () => {
  const pg = inject('postgresUrl');
  const w = startWorker(['--postgres', pg, '--fast']);
  for (let i = 0; i < 500 && !/Ctrl-C stops it/.test(w.out()); i++) await sleep(10);
  expect(w.out()).toMatch(
    /from redis:\/\/127\.0\.0\.1:\d+, runs in postgres:\/\/arshai@127\.0\.0\.1/,
  );

  // cust_alan: a customer no other test of this database has had a refund for.
  const paused = arshai([
    'demo',
    '--redis',
    url,
    '--postgres',
    pg,
    '--fast',
    '--customer',
    'cust_alan',
  ]);
  expect(paused.code).toBe(0);
  expect(paused.out).toContain('Queued run');
  const runId = /arshai resume (\S+) --approve --redis \S+ --postgres postgres:/.exec(
    paused.out,
  )?.[1];
  expect(runId).toBeDefined();
  // The run is in Postgres, not in Redis.
  expect(arshai(['runs', '--postgres', pg]).out).toMatch(new RegExp(`${runId}\\s+interrupted`));
  expect(arshai(['runs', '--redis', url]).out).not.toContain(runId);

  const done = arshai([
    'resume',
    String(runId),
    '--approve',
    '--redis',
    url,
    '--postgres',
    pg,
    '--fast',
  ]);
  expect(done.code).toBe(0);
  expect(done.out).toContain('We have refunded $249.00 for order A1001');
  expect(arshai(['runs', 'show', String(runId), '--postgres', pg]).out).toContain('completed');
  // The worker ran the steps (its lines may arrive a moment after the result).
  for (let i = 0; i < 500 && !w.out().includes(`step ${runId}:0 ran`); i++) await sleep(10);
  expect(w.out()).toContain(`step ${runId}:0 ran`);
  w.child.kill('SIGTERM');
  expect(await new Promise((r) => w.child.on('exit', r))).toBe(0);
});

it('worker runs a module’s workflows, and refuses bad options with a usage error', async () => {
  const bad = arshai(['worker']);
  expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('worker needs --redis') });
  expect(arshai(['worker', '--redis', 'http://x']).err).toContain('redis:// or rediss://');
  expect(arshai(['demo', '--redis', url, '--store', 'x.db']).err).toContain('exclude each other');
  const module = join(import.meta.dirname, 'fixtures/user-workflow.mjs');
  const w = startWorker([module]);
  for (let i = 0; i < 500 && !/Ctrl-C stops it/.test(w.out()); i++) await sleep(10);
  expect(w.out()).toMatch(/runs workflow from/);
  w.child.kill('SIGTERM');
  await new Promise((r) => w.child.on('exit', r));
});
