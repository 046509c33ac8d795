/**
 * Stores side by side: the same 5-node workflow checkpointed in SQLite, Redis and Postgres
 * (µs per step, and the time to resume an interrupted run), then PostgresMemoryManager
 * append and query time with 1k and 100k rows in the table. Starts its own Redis and
 * PostgreSQL on loopback ports (in temporary directories). JSON on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Checkpointer,
  END,
  type NodeContext,
  SqliteCheckpointer,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { PostgresCheckpointer, PostgresMemoryManager } from 'arshai/postgres';
import { RedisCheckpointer } from 'arshai/redis';
import pg from 'pg';
import { startPostgres } from '../test/setup/postgres-process.ts';
import { startRedis } from '../test/setup/redis-process.ts';
import { stats } from './harness.ts';

const quick = process.argv.includes('--quick');
const runs = quick ? 40 : 200;
const sizes = quick ? [1_000, 100_000] : [1_000, 100_000];
const ops = quick ? 100 : 500;

/** a → b → c → d → ask (an interrupt), then done: 5 steps, then a resume of 1. */
function workflow() {
  const add = (n: number) => (s: { total?: number }) => ({ total: (s.total ?? 0) + n });
  return new WorkflowGraph<{ total?: number; answer?: string }>()
    .addNode('a', add(1))
    .addNode('b', add(2))
    .addNode('c', add(3))
    .addNode('d', add(4))
    .addNode('ask', (_s, _i, ctx: NodeContext) => ({ answer: ctx.interrupt<string>('ok?') }))
    .addEdge('a', 'b')
    .addEdge('b', 'c')
    .addEdge('c', 'd')
    .addEdge('d', 'ask')
    .addEdge('ask', END)
    .setEntryPoint('a')
    .compile({ name: 'bench' });
}

async function checkpoints(name: string, checkpointer: Checkpointer) {
  const runner = new WorkflowRunner(workflow(), { checkpointer });
  const steps: number[] = [];
  const resumes: number[] = [];
  // The first run is measured too (a cold pool, the tables created): it is in the samples.
  for (let i = 0; i < runs; i++) {
    const runId = `${name}-${process.pid}-${i}`;
    let t = performance.now();
    const paused = await runner.executeWorkflow({ userId: 'u', runId });
    steps.push(((performance.now() - t) * 1000) / 5);
    if (paused.status !== 'interrupted' || paused.state.total !== 10)
      throw new Error(`${name}: run ${i} ended ${paused.status}`);
    t = performance.now();
    const done = await runner.resume(runId, { value: 'yes' });
    resumes.push((performance.now() - t) * 1000);
    if (done.status !== 'completed' || done.state.answer !== 'yes')
      throw new Error(`${name}: resume ${i} ended ${done.status}`);
  }
  await checkpointer.close();
  return { name, step: stats(steps), resume: stats(resumes) };
}

async function memory(url: string, rows: number) {
  const tablePrefix = `bench${rows}_`;
  const manager = new PostgresMemoryManager({ connectionString: url, tablePrefix });
  await manager.store({ conversationId: 'warm', type: 'short-term', content: 'x' });
  // Filled the fast way: many conversations of 1,000 rows... then one is appended to.
  const pool = new pg.Pool({ connectionString: url });
  await pool.query(
    `INSERT INTO "public"."${tablePrefix}memory"
       (namespace, conversation_id, type, id, content, metadata, created_at, updated_at)
     SELECT 'default', 'c' || (i % ${Math.max(1, rows / 1000)}), 'short-term', 'e' || i, '"filler"', '{}', 0, 0
     FROM generate_series(1, $1) AS i`,
    [rows],
  );
  await pool.query(`ANALYZE "public"."${tablePrefix}memory"`);
  const appends: number[] = [];
  for (let i = 0; i < ops; i++) {
    const t = performance.now();
    await manager.store({ conversationId: 'target', type: 'short-term', content: { i } });
    appends.push((performance.now() - t) * 1000);
  }
  const queries: number[] = [];
  for (let i = 0; i < ops; i++) {
    const t = performance.now();
    const found = await manager.retrieve({ conversationId: 'target', limit: 10 });
    queries.push((performance.now() - t) * 1000);
    if (found.length !== 10) throw new Error(`query found ${found.length} entries`);
  }
  const { rows: counted } = await pool.query(
    `SELECT COUNT(*)::int AS n FROM "public"."${tablePrefix}memory"`,
  );
  if ((counted[0] as { n: number }).n < rows + ops) throw new Error('rows went missing');
  await pool.end();
  await manager.close();
  return { rows, append: stats(appends), query: stats(queries) };
}

const dir = mkdtempSync(join(tmpdir(), 'arshai-pg-bench-'));
const redis = await startRedis();
const postgres = await startPostgres();
try {
  const stores = [
    await checkpoints('SQLite', new SqliteCheckpointer({ path: join(dir, 'bench.db') })),
    await checkpoints('Redis', new RedisCheckpointer({ url: redis.url, keyPrefix: 'bench:' })),
    await checkpoints('Postgres', new PostgresCheckpointer({ connectionString: postgres.url })),
  ];
  const memories = [];
  for (const rows of sizes) memories.push(await memory(postgres.url, rows));
  process.stdout.write(JSON.stringify({ runs, ops, stores, memories }));
} finally {
  await redis.dispose();
  await postgres.dispose();
  rmSync(dir, { recursive: true, force: true });
}
