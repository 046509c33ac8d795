/**
 * A state that grows step by step (issue 22): SQLite stores what changed — a large value
 * unchanged since the step before is one blob, a growing list shares every chunk but its last —
 * and every checkpoint comes back exactly as it was: resume, history, fork, prune, delete.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { END, SqliteCheckpointer, WorkflowGraph, WorkflowRunner } from 'arshai';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-state-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Grow {
  rows?: Array<{ n: number; text: string; when: Date }>;
  doc?: string;
  note?: string;
  answer?: string;
}

/** Ten steps, each appending 500 rows of ~400 bytes (2 MB in the end), over a fixed 1 MB document. */
function growing() {
  const graph = new WorkflowGraph<Grow>();
  for (let i = 1; i <= 10; i++) {
    graph.addNode(`s${i}`, (state) => ({
      rows: [
        ...(state.rows ?? []),
        ...Array.from({ length: 500 }, (_, k) => ({
          n: (i - 1) * 500 + k,
          text: `row ${i}.${k} ${'x'.repeat(380)} \u00e9\ud83d\ude00`,
          when: new Date(Date.UTC(2026, 0, i, 0, 0, k)),
        })),
      ],
      ...(i === 1 ? { doc: 'd'.repeat(1_000_000) } : {}),
      note: `after ${i}`,
    }));
    graph.addEdge(`s${i}`, i === 10 ? 'ask' : `s${i + 1}`);
  }
  graph.addNode('ask', (_s, _i, ctx) => ({ answer: ctx.interrupt<string>('ok?') }));
  graph.addEdge('ask', END);
  return graph.setEntryPoint('s1').compile({ name: 'grow' });
}

const stored = (path: string) => {
  const db = new DatabaseSync(path);
  const one = (sql: string) => Number((db.prepare(sql).get() as { n: number | null }).n ?? 0);
  const bytes = {
    checkpoints: one('SELECT SUM(length(checkpoint)) AS n FROM arshai_checkpoints'),
    blobs: one('SELECT SUM(length(json)) AS n FROM arshai_blobs'),
    blobCount: one('SELECT COUNT(*) AS n FROM arshai_blobs'),
  };
  db.close();
  return bytes;
};

describe('SqliteCheckpointer: a growing state', () => {
  it('stores about what changed, and resumes exactly', async () => {
    const path = join(dir, 'grow.db');
    const checkpointer = new SqliteCheckpointer({ path });
    const runner = new WorkflowRunner(growing(), { checkpointer });
    const paused = await runner.executeWorkflow({ runId: 'g1', userId: 'u' });
    expect(paused.status).toBe('interrupted');
    const finalState = JSON.parse(JSON.stringify(paused.state)) as Grow;
    const finalBytes = JSON.stringify(finalState).length;
    expect(finalState.rows).toHaveLength(5000);

    // Whole states would be ~12 checkpoints of 1.1–3.1 MB (~25 MB): stored is a little over the last.
    const bytes = stored(path);
    expect(bytes.checkpoints + bytes.blobs).toBeLessThan(1.5 * finalBytes);

    // Every checkpoint is what it was: the history against a run of the same graph kept whole.
    const history = await checkpointer.history('g1');
    expect(history).toHaveLength(12);
    expect(history.map((c) => (c.state.rows as unknown[] | undefined)?.length ?? 0)).toEqual([
      0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5000,
    ]);
    expect(history.at(-1)?.state).toEqual(finalState);
    expect(history[3]?.state.note).toBe('after 3');
    expect((history[3]?.state.rows as Grow['rows'])?.at(-1)).toEqual({
      n: 1499,
      text: `row 3.499 ${'x'.repeat(380)} \u00e9\ud83d\ude00`,
      when: '2026-01-03T00:08:19.000Z',
    });

    // A new process resumes it exactly.
    await checkpointer.close();
    const again = new WorkflowRunner(growing(), { checkpointer: new SqliteCheckpointer({ path }) });
    const done = await again.resume('g1', { value: 'yes' });
    expect(done.status).toBe('completed');
    expect(done.state.answer).toBe('yes');
    expect(done.state.note).toBe('after 10');
    expect(done.state.rows).toEqual(finalState.rows);
    expect(done.state.doc).toBe(finalState.doc);
  });

  it('fork, prune and delete keep the blobs every remaining checkpoint needs, and no more', async () => {
    const path = join(dir, 'gc.db');
    const checkpointer = new SqliteCheckpointer({ path });
    const runner = new WorkflowRunner(growing(), { checkpointer });
    await runner.executeWorkflow({ runId: 'g2', userId: 'u' });
    await runner.resume('g2', { value: 'yes' });
    const forked = await runner.fork('g2', { step: 4, runId: 'g2-fork' });
    // From the state after step 4 (2,000 rows), the rest of the graph again.
    expect(forked.status).toBe('interrupted');
    expect(forked.state.rows).toHaveLength(5000);
    const before = stored(path);
    const counts = async () => [
      (await checkpointer.history('g2')).length,
      (await checkpointer.history('g2-fork')).length,
    ];
    expect(await counts()).toEqual([14, 8]);
    expect(await checkpointer.prune({ keepLast: 1 })).toBe(13);
    expect(await counts()).toEqual([1, 8]); // the fork waits for an answer: it keeps all
    const after = stored(path);
    expect(after.blobCount).toBeLessThan(before.blobCount);
    // The latest checkpoints read whole after the prune.
    const latest = await checkpointer.getLatest('g2');
    expect(latest?.state.rows).toHaveLength(5000);
    expect(latest?.state.doc).toHaveLength(1_000_000);
    expect((await checkpointer.getLatest('g2-fork'))?.state.rows).toHaveLength(5000);
    expect(await checkpointer.delete('g2')).toBe(1);
    expect(await checkpointer.delete('g2-fork')).toBe(8);
    expect(stored(path)).toMatchObject({ blobs: 0, blobCount: 0 });
    await checkpointer.close();
  });
});
