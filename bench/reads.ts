/**
 * Reads that cost what they return (issue 22), per backend (in memory, SQLite, Redis,
 * Postgres): the newest 20 messages of a conversation of 100 and of 20,000 messages
 * (`retrieve({ limit: 20 })`), and `listRuns({ limit: 20 })` over 200 and 100,000 runs, and
 * over 20 runs of 4 MB states. The first call is reported apart (cold), then the median of 30.
 * Starts its own Redis and PostgreSQL. JSON on stdout.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  type Checkpoint,
  type Checkpointer,
  END,
  InMemoryCheckpointer,
  InMemoryManager,
  type MemoryManager,
  SqliteCheckpointer,
  SqliteMemoryManager,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { PostgresCheckpointer, PostgresMemoryManager } from 'arshai/postgres';
import { RedisCheckpointer, RedisMemoryManager } from 'arshai/redis';
import { startPostgres } from '../test/setup/postgres-process.ts';
import { startRedis } from '../test/setup/redis-process.ts';
import { stats } from './harness.ts';

const quick = process.argv.includes('--quick');
const messages = quick ? [100, 5_000] : [100, 20_000];
const runCounts = quick ? [200, 10_000] : [200, 100_000];
const bigState = quick ? 1_000_000 : 4_000_000;
const SAMPLES = 30;

/** Cold first call, then the median and p95 of the next ones, in ms; each answer checked. */
async function timed<T>(work: () => Promise<T>, check: (value: T) => void) {
  const samples: number[] = [];
  for (let i = 0; i <= SAMPLES; i++) {
    const t = performance.now();
    const value = await work();
    samples.push(performance.now() - t);
    check(value);
  }
  const [first, ...rest] = samples;
  return { firstMs: first as number, ...stats(rest) };
}

/** Runs `count` jobs, `width` at a time. */
async function fill(count: number, width: number, job: (i: number) => Promise<unknown>) {
  for (let i = 0; i < count; i += width) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + width); j++) batch.push(job(j));
    await Promise.all(batch);
  }
}

async function newest(name: string, memory: MemoryManager, width: number) {
  const out = [];
  for (const n of messages) {
    const conversationId = `c${n}`;
    await fill(n, width, (i) =>
      memory.store({ conversationId, type: 'short-term', content: { i, text: 'm'.repeat(200) } }),
    );
    const result = await timed(
      () => memory.retrieve<{ i: number }>({ conversationId, limit: 20 }),
      (found) => {
        if (found.length !== 20) throw new Error(`${name}: ${found.length} messages`);
        // Filled `width` at a time: the newest 20 are among the last batches.
        if (found.some((e) => e.content.i < n - width - 20))
          throw new Error(`${name}: not the newest`);
      },
    );
    out.push({ messages: n, ...result });
  }
  await memory.close();
  return { name, reads: out };
}

function checkpoint(runId: string, state: Record<string, unknown>): Checkpoint {
  return {
    runId,
    workflow: 'bench',
    step: 1,
    version: 0,
    status: 'completed',
    state: {
      userContext: { userId: 'u', lastActive: 't', interactionCount: 1 },
      currentStep: 'a',
      stepCount: 1,
      processingPath: ['a'],
      agentData: state,
      workingMemories: {},
      errors: [],
      input: null,
    },
    next: [],
    ran: ['a'],
    createdAt: new Date().toISOString(),
  };
}

async function listings(name: string, make: (tag: string) => Checkpointer, width: number) {
  const out = [];
  const small = { note: 'x'.repeat(400) };
  for (const n of [...runCounts, 20]) {
    const big = n === 20;
    const cp = make(big ? 'big' : `n${n}`);
    const state = big ? { blob: 'b'.repeat(bigState) } : small;
    await fill(n, big ? 1 : width, (i) => cp.put(checkpoint(`r${i}`, state)));
    const result = await timed(
      () => cp.listRuns({ limit: 20 }),
      (runs) => {
        if (runs.length !== 20 || runs.some((r) => r.status !== 'completed'))
          throw new Error(`${name}: listRuns gave ${runs.length}`);
      },
    );
    out.push({ runs: n, stateBytes: big ? bigState : 400, ...result });
    await cp.close();
  }
  return { name, lists: out };
}

/**
 * A state growing to `total` bytes over 10 steps (a list appended to) on SQLite: the bytes a
 * whole state per checkpoint would write, the file's size after the run, the time per step and
 * of a resume in a new checkpointer (its state checked against the run's).
 */
async function growth(total: number) {
  const path = join(dir, 'growth.db');
  const per = Math.floor(total / 10 / 500);
  const graph = new WorkflowGraph<{ rows?: string[]; answer?: string }>();
  for (let i = 1; i <= 10; i++) {
    graph.addNode(`s${i}`, (state) => ({
      rows: [
        ...(state.rows ?? []),
        ...Array.from({ length: 500 }, (_, k) => `${i}.${k} ${'r'.repeat(per)}`),
      ],
    }));
    graph.addEdge(`s${i}`, i === 10 ? 'ask' : `s${i + 1}`);
  }
  graph.addNode('ask', (_s, _i, ctx) => ({ answer: ctx.interrupt<string>('ok?') }));
  graph.addEdge('ask', END);
  const workflow = graph.setEntryPoint('s1').compile({ name: 'growth' });
  const checkpointer = new SqliteCheckpointer({ path });
  const t = performance.now();
  const paused = await new WorkflowRunner(workflow, { checkpointer }).executeWorkflow({
    runId: 'g',
    userId: 'u',
  });
  const perStepMs = (performance.now() - t) / 11;
  const whole = (await checkpointer.history('g')).reduce((n, c) => n + JSON.stringify(c).length, 0);
  await checkpointer.close();
  const db = new DatabaseSync(path);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  const fileBytes = statSync(path).size;
  const r = performance.now();
  const done = await new WorkflowRunner(workflow, {
    checkpointer: new SqliteCheckpointer({ path }),
  }).resume('g', {
    value: 'yes',
  });
  const resumeMs = performance.now() - r;
  if (
    done.status !== 'completed' ||
    JSON.stringify(done.state.rows) !== JSON.stringify(paused.state.rows)
  )
    throw new Error('growth: the resumed state differs');
  const finalBytes = JSON.stringify(paused.state).length;
  return { finalBytes, wholeBytes: whole, fileBytes, perStepMs, resumeMs };
}

const dir = mkdtempSync(join(tmpdir(), 'arshai-reads-bench-'));
const redis = await startRedis();
const postgres = await startPostgres();
try {
  const memories = [
    await newest('in memory', new InMemoryManager({ maxEntries: 100_000 }), 1),
    await newest('SQLite', new SqliteMemoryManager({ path: join(dir, 'memory.db') }), 1),
    await newest('Redis', new RedisMemoryManager({ url: redis.url, keyPrefix: 'bench:m:' }), 100),
    await newest('Postgres', new PostgresMemoryManager({ connectionString: postgres.url }), 50),
  ];
  const checkpointers = [
    await listings('in memory', () => new InMemoryCheckpointer(), 1),
    await listings('SQLite', (tag) => new SqliteCheckpointer({ path: join(dir, `${tag}.db`) }), 1),
    await listings(
      'Redis',
      (tag) => new RedisCheckpointer({ url: redis.url, keyPrefix: `bench:${tag}:` }),
      100,
    ),
    await listings(
      'Postgres',
      (tag) => new PostgresCheckpointer({ connectionString: postgres.url, tablePrefix: `${tag}_` }),
      50,
    ),
  ];
  const grown = await growth(quick ? 1_000_000 : 5_000_000);
  process.stdout.write(
    JSON.stringify({ messages, runCounts, bigState, memories, checkpointers, growth: grown }),
  );
} finally {
  await redis.dispose();
  await postgres.dispose();
  rmSync(dir, { recursive: true, force: true });
}
