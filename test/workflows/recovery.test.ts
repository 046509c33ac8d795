import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Checkpointer,
  cancelRun,
  claimRun,
  END,
  InMemoryCheckpointer,
  InvalidInputError,
  type NodeContext,
  SqliteCheckpointer,
  TimeoutError,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { RedisCheckpointer } from 'arshai/redis';
import { afterAll, describe, expect, inject, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-recovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backends: Array<[string, () => Checkpointer]> = [
  ['InMemoryCheckpointer', () => new InMemoryCheckpointer()],
  ['SqliteCheckpointer', () => new SqliteCheckpointer({ path: join(dir, 'recovery.db') })],
  [
    'RedisCheckpointer',
    () => new RedisCheckpointer({ url: inject('redisUrl'), keyPrefix: `recovery-${process.pid}:` }),
  ],
];

interface Seen {
  node: string;
  attempt: number;
  key: string;
}

/** a → (fast, slow) → join; `slow` waits until released or its signal aborts. */
function fanOut(seen: Seen[], gate: { open?: boolean }) {
  const record = (ctx: NodeContext) =>
    seen.push({ node: ctx.node, attempt: ctx.attempt, key: ctx.idempotencyKey });
  return new WorkflowGraph<{ fast?: number; slow?: number; sum?: number }>()
    .addNode('a', (_s, _i, ctx) => {
      record(ctx);
      return { agentData: { a: true } };
    })
    .addNode('fast', (_s, _i, ctx) => {
      record(ctx);
      return { fast: 1 };
    })
    .addNode('slow', (_s, _i, ctx) => {
      record(ctx);
      if (gate.open) return { slow: 2 };
      return new Promise((_resolve, reject) =>
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
      );
    })
    .addNode('join', (s, _i, ctx) => {
      record(ctx);
      return { sum: (s.fast ?? 0) + (s.slow ?? 0) };
    })
    .addEdge('a', 'fast')
    .addEdge('a', 'slow')
    .addEdge('fast', 'join')
    .addEdge('slow', 'join')
    .addEdge('join', END)
    .setEntryPoint('a')
    .compile({ name: 'fan' });
}

describe.each(backends)('re-runs and recovery (%s)', (_name, create) => {
  it('a parallel step stopped midway keeps the finished branch: on resume only the unfinished one runs, with attempt 2 and the same idempotency key', async () => {
    const seen: Seen[] = [];
    const gate: { open?: boolean } = {};
    const checkpointer = create();
    // Connected first: the 100 ms limit is for the run, not for loading and connecting a client.
    await checkpointer.listRuns({ limit: 1 });
    const runner = new WorkflowRunner(fanOut(seen, gate), { checkpointer });
    const stopped = await runner
      .executeWorkflow({ userId: 'u', timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(stopped)).toBe(true);
    const [run] = await checkpointer.listRuns({ limit: 1 });
    const runId = run?.runId as string;
    expect(run?.status).toBe('timed-out');
    expect(seen.map((s) => `${s.node}@${s.attempt}`)).toEqual(['a@1', 'fast@1', 'slow@1']);

    gate.open = true;
    const done = await runner.resume(runId);
    expect(done.status).toBe('completed');
    expect(done.state.sum).toBe(3);
    expect(seen.map((s) => `${s.node}@${s.attempt}`)).toEqual([
      'a@1',
      'fast@1',
      'slow@1',
      'slow@2',
      'join@1',
    ]);
    const slow = seen.filter((s) => s.node === 'slow');
    expect(slow[0]?.key).toBe(`${runId}:1:slow`);
    expect(slow[1]?.key).toBe(slow[0]?.key);
    expect(done.state.processingPath).toEqual(['a', 'fast', 'slow', 'join']);
    await checkpointer.close();
  });

  it('runStep runs one step per call from the stored checkpoint; a stale or repeated call runs nothing', async () => {
    const seen: Seen[] = [];
    const checkpointer = create();
    const runner = new WorkflowRunner(fanOut(seen, { open: true }), { checkpointer });
    const { runId, step, resumes } = await runner.createRun({
      userId: 'u',
      runId: `s-${Date.now()}`,
    });
    expect([step, resumes]).toEqual([0, 0]);
    await expect(runner.createRun({ userId: 'u', runId })).rejects.toSatisfy(
      (e) => InvalidInputError.isInstance(e) && e.field === 'runId',
    );
    const steps = [];
    for (let at = 0, status = 'running'; status === 'running'; ) {
      const ran = await runner.runStep(runId, { step: at });
      expect(ran.outcome).toBe('ran');
      steps.push(ran.step);
      at = ran.step;
      status = ran.status;
      if (ran.status === 'completed') expect(ran.result?.state.sum).toBe(3);
    }
    expect(steps).toEqual([1, 2, 3]);
    expect(await runner.runStep(runId, { step: 1 })).toMatchObject({
      outcome: 'stale',
      status: 'completed',
      step: 3,
    });
    expect(seen.map((s) => s.node)).toEqual(['a', 'fast', 'slow', 'join']);
    // A job taken a second time (its worker died) runs its nodes with attempt 2.
    const again = await runner.createRun({ userId: 'u' });
    await runner.runStep(again.runId, { step: 0, taken: 2 });
    expect(seen.at(-1)).toMatchObject({ node: 'a', attempt: 2 });
    await checkpointer.close();
  });

  it('cancel records the run cancelled where it stands; a stale step then runs nothing; resume continues it as a new claim', async () => {
    const seen: Seen[] = [];
    const checkpointer = create();
    const runner = new WorkflowRunner(fanOut(seen, { open: true }), { checkpointer });
    const { runId } = await runner.createRun({ userId: 'u' });
    await runner.runStep(runId, { step: 0 });
    expect(await cancelRun(checkpointer, runId, { reason: 'user asked' })).toBe(true);
    expect(await checkpointer.getLatest(runId)).toMatchObject({
      status: 'cancelled',
      step: 1,
      error: { message: 'user asked' },
    });
    expect((await runner.runStep(runId, { step: 1 })).outcome).toBe('stale');
    const claimed = await claimRun(checkpointer, runId);
    expect(claimed).toMatchObject({ status: 'running', step: 1, resumes: 1 });
    expect((await runner.runStep(runId, { step: 1, resumes: 0 })).outcome).toBe('stale');
    const ran = await runner.runStep(runId, { step: 1, resumes: 1 });
    expect(ran).toMatchObject({ outcome: 'ran', status: 'running', step: 2, resumes: 0 });
    expect(seen.slice(-2).map((s) => `${s.node}@${s.attempt}`)).toEqual(['fast@2', 'slow@2']);
    await runner.runStep(runId, { step: 2 });
    expect(await cancelRun(checkpointer, runId)).toBe(false); // completed: nothing to cancel
    await checkpointer.close();
  });
});

it('ctx.attempt counts the retries of a node’s retry policy; the idempotency key stays', async () => {
  const seen: Array<[number, string]> = [];
  const workflow = new WorkflowGraph()
    .addNode(
      'flaky',
      (_s, _i, ctx) => {
        seen.push([ctx.attempt, ctx.idempotencyKey]);
        if (ctx.attempt < 3) throw Object.assign(new Error('busy'), { retryable: true });
        return { agentData: { ok: true } };
      },
      { retry: { maxRetries: 2, delay: async () => {}, shouldRetry: () => true } },
    )
    .addEdge('flaky', END)
    .setEntryPoint('flaky')
    .compile();
  const result = await new WorkflowRunner(workflow).executeWorkflow({ userId: 'u', runId: 'r1' });
  expect(result.status).toBe('completed');
  expect(seen).toEqual([
    [1, 'r1:0:flaky'],
    [2, 'r1:0:flaky'],
    [3, 'r1:0:flaky'],
  ]);
});

it('recover continues the runs a dead process left running, once each, and leaves fresh ones', async () => {
  const checkpointer = new SqliteCheckpointer({ path: join(dir, 'recover.db') });
  const seen: Seen[] = [];
  let clock = 1_000_000;
  const now = () => new Date(clock);
  const runner = new WorkflowRunner(fanOut(seen, { open: true }), { checkpointer, now });
  // Runs a dead process left: created, and one step done.
  const old = await Promise.all([1, 2, 3].map(() => runner.createRun({ userId: 'u' })));
  for (const { runId } of old) await runner.runStep(runId, { step: 0 });
  clock += 60_000;
  const fresh = await runner.createRun({ userId: 'u' });
  await expect(runner.recover({} as never)).rejects.toSatisfy(
    (e) => InvalidInputError.isInstance(e) && e.field === 'olderThanMs',
  );
  const twin = new WorkflowRunner(fanOut(seen, { open: true }), {
    checkpointer: new SqliteCheckpointer({ path: join(dir, 'recover.db') }),
    now,
  });
  const reports = await Promise.all([
    runner.recover({ olderThanMs: 30_000 }),
    twin.recover({ olderThanMs: 30_000 }),
  ]);
  const recovered = reports.flatMap((r) => r.recovered.map((x) => x.runId));
  expect(recovered.sort()).toEqual(old.map((o) => o.runId).sort());
  expect(reports.flatMap((r) => r.errors)).toEqual([]);
  // Both found all three; what one claimed, the other skipped.
  expect(reports.flatMap((r) => r.skipped).sort()).toEqual(old.map((o) => o.runId).sort());
  for (const r of reports) for (const x of r.recovered) expect(x.state.sum).toBe(3);
  // Every branch of each old run ran once more at most; `join` once per run.
  expect(seen.filter((s) => s.node === 'join')).toHaveLength(3);
  expect((await checkpointer.getLatest(fresh.runId))?.status).toBe('running');
  await checkpointer.close();
});
