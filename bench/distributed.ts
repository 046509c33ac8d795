/**
 * Scale-out throughput (arshai/bullmq on a private redis-server): runs/s of a 5-node workflow
 * whose nodes await 20 ms, in process and on 1, 2 and 4 worker processes (concurrency 50
 * each); the queue's overhead per step (one run at a time, against the in-process runner on
 * the same Redis store); Redis memory per queued run. Every run's final state is checked.
 * JSON on stdout.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { END, InMemoryCheckpointer, WorkflowGraph, WorkflowRunner } from 'arshai';
import { WorkflowQueue } from 'arshai/bullmq';
import { RedisCheckpointer } from 'arshai/redis';
import { Redis } from 'ioredis';
import { startRedis } from '../test/setup/redis-process.ts';
import { buildWorkflow, EXPECTED_TOTAL, NODES } from './distributed-workflow.ts';
import { stats } from './harness.ts';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 200 : 1000;
const CONCURRENCY = 50;
const WORKERS = quick ? [1, 2] : [1, 2, 4];
const SEQUENTIAL = quick ? 10 : 50;
const QUEUED = quick ? 1000 : 10_000;

execFileSync('bash', [join(import.meta.dirname, '../scripts/ensure-redis.sh')], {
  stdio: 'ignore',
});
const redis = await startRedis();
const url = redis.url;
const workflow = buildWorkflow(WorkflowGraph, END);
let family = 0;

function check(state: { total?: number }, status: string): void {
  if (status !== 'completed' || state.total !== EXPECTED_TOTAL)
    throw new Error(`a run ended ${status} with total ${state.total}, not ${EXPECTED_TOTAL}`);
}

async function pool(
  count: number,
  width: number,
  run: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < count; i = next++) await run(i);
    }),
  );
}

/** The in-process runner on the same Redis store: runs/s at `CONCURRENCY`, and one at a time. */
async function inProcess() {
  const checkpointer = new RedisCheckpointer({ url, keyPrefix: `local${++family}:cp:` });
  const runner = new WorkflowRunner(workflow, { checkpointer });
  const once = async () => {
    const r = await runner.executeWorkflow({ userId: 'u' });
    check(r.state, r.status);
  };
  await pool(20, 20, once); // warm-up
  const t0 = performance.now();
  await pool(RUNS, CONCURRENCY, once);
  const wall = performance.now() - t0;
  const samples: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const s = performance.now();
    await once();
    samples.push(performance.now() - s);
  }
  await checkpointer.close();
  return { runsPerSecond: (RUNS / wall) * 1000, sequentialMs: stats(samples).median };
}

function worker(name: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'distributed-worker.ts'), url, name, String(CONCURRENCY)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`a worker exited with ${code}`)));
  });
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

/** `workers` processes: runs/s for RUNS runs started at once, and one run at a time. */
async function distributed(workers: number) {
  const name = `bench${++family}`;
  const checkpointer = new RedisCheckpointer({ url, keyPrefix: `${name}:cp:` });
  const queue = new WorkflowQueue({ connection: url, checkpointer, name });
  const children = await Promise.all(Array.from({ length: workers }, () => worker(name)));
  const once = async () => {
    const { runId } = await queue.start(workflow, { userId: 'u' });
    const r = await queue.result<{ total?: number }>(runId);
    check(r.state, r.status);
  };
  await pool(20, 20, once); // warm-up: connections, scripts
  const t0 = performance.now();
  await pool(RUNS, RUNS, once); // every run queued at once; the workers' concurrency limits
  const wall = performance.now() - t0;
  const samples: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const s = performance.now();
    await once();
    samples.push(performance.now() - s);
  }
  await stop(children);
  await queue.close();
  await checkpointer.close();
  return { workers, runsPerSecond: (RUNS / wall) * 1000, sequentialMs: stats(samples).median };
}

/** Redis memory per queued run (no worker): the jobs alone, and with the first checkpoint. */
async function queuedMemory() {
  const client = new Redis(url);
  const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1]);
  const measure = async (withCheckpoint: boolean) => {
    const name = `mem${++family}`;
    const checkpointer = withCheckpoint
      ? new RedisCheckpointer({ url, keyPrefix: `${name}:cp:` })
      : new InMemoryCheckpointer();
    const queue = new WorkflowQueue({ connection: url, checkpointer, name });
    await queue.start(workflow, { userId: 'u' }); // creates the queue's keys
    const before = await used();
    await pool(QUEUED, 100, async () => {
      await queue.start(workflow, { userId: 'u' });
    });
    const waiting = await client.zcard(`bull:${name}.bench5:wait`).catch(() => 0);
    const listed = await client.llen(`bull:${name}.bench5:wait`).catch(() => 0);
    const bytes = ((await used()) - before) / QUEUED;
    await queue.close();
    await checkpointer.close();
    if (Math.max(waiting, listed) < QUEUED)
      throw new Error(`only ${Math.max(waiting, listed)} jobs queued`);
    return bytes;
  };
  const jobs = await measure(false);
  const withCheckpoint = await measure(true);
  client.disconnect();
  return { queued: QUEUED, bytesPerJob: jobs, bytesPerRunWithCheckpoint: withCheckpoint };
}

try {
  const local = await inProcess();
  const runs = [];
  for (const n of WORKERS) runs.push(await distributed(n));
  const memory = await queuedMemory();
  const overheadPerStepMs = (runs[0]?.sequentialMs ?? Number.NaN) - local.sequentialMs;
  process.stdout.write(
    JSON.stringify({
      runs: RUNS,
      concurrency: CONCURRENCY,
      nodes: NODES,
      local,
      distributed: runs,
      overheadPerStepMs: overheadPerStepMs / NODES,
      memory,
    }),
  );
} finally {
  await redis.dispose();
}
