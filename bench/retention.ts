/**
 * Checkpoint retention on SQLite: N runs of a 20-step workflow stored through the runner,
 * then `listRuns({ limit: 20 })` and `resume` (of runs waiting on an interrupt) timed, before
 * and after `prune({ keepLast: 1 })`. JSON on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { END, SqliteCheckpointer, WorkflowGraph, WorkflowRunner } from 'arshai';
import { stats } from './harness.ts';

const quick = process.argv.includes('--quick');
const sizes = quick ? [200, 1_000] : [1_000, 10_000];
const STEPS = 20;
const WAITING = 10;

const graph = new WorkflowGraph<{ n?: number; ok?: unknown }>();
for (let i = 1; i <= STEPS; i++) {
  graph.addNode(`s${i}`, (state, input, ctx) =>
    i === STEPS && input === 'ask' ? { ok: ctx.interrupt('ok?') } : { n: (state.n ?? 0) + 1 },
  );
  graph.addEdge(`s${i}`, i === STEPS ? END : `s${i + 1}`);
}
const workflow = graph.setEntryPoint('s1').compile({ name: 'twenty' });

function time<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  return work().then((value) => [performance.now() - start, value]);
}

async function measure(runs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'arshai-retention-bench-'));
  try {
    const checkpointer = new SqliteCheckpointer({ path: join(dir, 'runs.db') });
    const runner = new WorkflowRunner(workflow, { checkpointer });
    const waiting: string[] = [];
    for (let i = 0; i < runs; i++) {
      const ask = i % Math.floor(runs / (WAITING * 2)) === 0 && waiting.length < WAITING * 2;
      const result = await runner.executeWorkflow({
        userId: `u${i}`,
        inputData: ask ? 'ask' : 'go',
      });
      if (ask) waiting.push(result.runId);
      else if (result.state.n !== STEPS) throw new Error(`run ${i} ended with n=${result.state.n}`);
    }
    const round = async (ids: string[]) => {
      const list: number[] = [];
      for (let i = 0; i < 20; i++) {
        const [ms, found] = await time(() => checkpointer.listRuns({ limit: 20 }));
        if (found.length !== 20) throw new Error(`listRuns gave ${found.length} runs`);
        list.push(ms);
      }
      const resume: number[] = [];
      for (const id of ids) {
        const [ms, result] = await time(() => runner.resume(id, { value: 'yes' }));
        if (result.status !== 'completed' || result.state.ok !== 'yes')
          throw new Error(`resume of ${id} ended ${result.status}`);
        resume.push(ms);
      }
      return { listFirstMs: list[0] as number, list: stats(list), resume: stats(resume) };
    };
    const before = await round(waiting.slice(0, WAITING));
    const [pruneMs, removed] = await time(() => checkpointer.prune({ keepLast: 1 }));
    const expected = (runs - WAITING * 2) * STEPS + WAITING * (STEPS + 2);
    if (removed !== expected) throw new Error(`prune removed ${removed}, expected ${expected}`);
    const after = await round(waiting.slice(WAITING));
    await checkpointer.close();
    return { runs, checkpoints: runs * (STEPS + 1), before, pruneMs, removed, after };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const runs of sizes) results.push(await measure(runs));
process.stdout.write(JSON.stringify({ steps: STEPS, waiting: WAITING, results }));
