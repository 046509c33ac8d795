/**
 * Scale-out with real processes: worker processes on a real redis-server, killed with
 * SIGKILL mid-node, or paused with SIGSTOP past their lease (a zombie).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpoint, END, WorkflowGraph, WorkflowRunner } from 'arshai';
import { WorkflowQueue } from 'arshai/bullmq';
import { RedisCheckpointer } from 'arshai/redis';
import { afterAll, describe, expect, inject, it } from 'vitest';
// @ts-expect-error: a plain .mjs fixture, shared with the worker processes
import { define } from './fixtures/workflow-def.mjs';

const url = inject('redisUrl');
const dir = mkdtempSync(join(tmpdir(), 'arshai-bullmq-'));
const children = new Set<ChildProcess>();
afterAll(async () => {
  // The workers write their logs into `dir`: it goes once they have exited.
  await Promise.all(
    [...children].map((child) =>
      child.exitCode === null && child.signalCode === null ? kill(child, 'SIGKILL') : undefined,
    ),
  );
  rmSync(dir, { recursive: true, force: true });
});

const LEASE_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lines = (log: string) =>
  existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];

function startWorker(name: string, log: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'fixtures/worker-child.mjs'), url, name, log, String(LEASE_MS)],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function ready(log: string, pid: number | undefined): Promise<void> {
  for (let i = 0; i < 500 && !lines(log).includes(`ready ${pid}`); i++) await sleep(10);
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.kill(signal);
  });
}

interface Start {
  key: string;
  runId: string;
  step: number;
  node: string;
  attempt: number;
  pid: number;
  at: number;
}

function starts(log: string): Start[] {
  return lines(log)
    .filter((l) => l.startsWith('start '))
    .map((l) => {
      const [, key = '', attempt, pid, at] = l.split(' ');
      const [runId = '', step, node = ''] = key.split(':');
      return {
        key,
        runId,
        step: Number(step),
        node,
        attempt: Number(attempt),
        pid: Number(pid),
        at: Number(at),
      };
    });
}

/** The nodes in flight on `pid`: the log shows their start there and no end yet. */
function openOn(log: string, pid: number): Set<string> {
  const open = new Set<string>();
  for (const l of lines(log)) {
    const [kind, key, , who] = l.split(' ');
    if (kind === 'start' && Number(who) === pid) open.add(key as string);
    if (kind === 'end' && Number(l.split(' ')[2]) === pid) open.delete(key as string);
  }
  return open;
}

const inFlight = (log: string, pid: number) => openOn(log, pid).size > 0;

/** The state a run must end with: the same workflow, in this process. */
async function localState() {
  const result = await new WorkflowRunner(
    define({ WorkflowGraph, END }, join(dir, 'local.log')),
  ).executeWorkflow({
    userId: 'u',
    inputData: 'go',
  });
  const { userContext: _u, by: _b, ...rest } = result.state as Record<string, unknown>;
  return rest;
}

describe('workflows across worker processes (real redis-server, real processes)', () => {
  it('one worker process gives the state the in-process runner gives', async () => {
    const name = `one${process.pid}`;
    const log = join(dir, 'one.log');
    const checkpointer = new RedisCheckpointer({ url, keyPrefix: `${name}:cp:` });
    const queue = new WorkflowQueue({ connection: url, checkpointer, name });
    const worker = startWorker(name, log);
    await ready(log, worker.pid);
    const workflow = define({ WorkflowGraph, END }, log);
    const runs = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        queue.start(workflow, { userId: 'u', inputData: 'go', runId: `one${i}` }),
      ),
    );
    const expected = await localState();
    for (const run of runs) {
      const r = await queue.result(run, { timeoutMs: 20_000 });
      const { userContext: _u, by, ...rest } = r.state as Record<string, unknown>;
      expect(rest).toEqual(expected);
      expect(Object.values(by as Record<string, number>)).toEqual(Array(5).fill(worker.pid));
    }
    await kill(worker, 'SIGTERM');
    await queue.close();
    await checkpointer.close();
  }, 60_000);

  it('kill -9 a worker mid-node 20 times with 3 workers: every run completes, no completed step runs again, only in-flight nodes re-run', async () => {
    const name = `kill${process.pid}`;
    const log = join(dir, 'kill.log');
    const checkpointer = new RedisCheckpointer({ url, keyPrefix: `${name}:cp:` });
    const queue = new WorkflowQueue({ connection: url, checkpointer, name });
    let workers = [0, 1, 2].map(() => startWorker(name, log));
    for (const w of workers) await ready(log, w.pid);
    const workflow = define({ WorkflowGraph, END }, log);
    // Runs keep coming while the kills go on, so there is always work in flight.
    const runs: Array<{ runId: string }> = [];
    const waits: Array<Promise<unknown>> = [];
    const more = async () => {
      const run = await queue.start(workflow, {
        userId: 'u',
        inputData: 'go',
        runId: `k${runs.length}`,
      });
      runs.push(run);
      waits.push(queue.result(run.runId, { timeoutMs: 90_000 }));
    };
    for (let i = 0; i < 6; i++) await more();
    const killed = new Set<number>();
    let cutNodes = 0; // nodes in flight on the killed workers when they died
    while (killed.size < 20) {
      await sleep(40 + ((killed.size * 37) % 160)); // a different point of a node each time
      if (runs.length < 60) await more();
      const victim = workers.find((w) => w.pid && inFlight(log, w.pid));
      if (!victim) continue;
      killed.add(victim.pid as number);
      await kill(victim, 'SIGKILL');
      cutNodes += openOn(log, victim.pid as number).size;
      const fresh = startWorker(name, log);
      workers = workers.map((w) => (w === victim ? fresh : w));
    }
    const results = Promise.all(waits) as Promise<Array<{ status: string; state: unknown }>>;
    expect(killed.size).toBe(20);
    const done = await results;
    const expected = await localState();
    expect(done).toHaveLength(runs.length);
    for (const r of done) {
      expect(r.status).toBe('completed');
      const { userContext: _u, by: _b, ...rest } = r.state as Record<string, unknown>;
      expect(rest).toEqual(expected);
    }
    const all = starts(log);
    const histories = new Map<string, Checkpoint[]>();
    for (const { runId } of runs) histories.set(runId, await checkpointer.history(runId));
    let reRuns = 0;
    for (const s of all) {
      // No node starts after the checkpoint of its step was stored: completed steps never re-run.
      const stored = histories.get(s.runId)?.find((c) => c.step === s.step + 1);
      expect(stored, s.key).toBeDefined();
      expect(s.at, `${s.key} started after its step was stored`).toBeLessThanOrEqual(
        Date.parse(stored?.createdAt as string),
      );
    }
    const byKey = new Map<string, Start[]>();
    for (const s of all) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
    for (const [key, list] of byKey) {
      // Every start but the last was cut: its worker was killed.
      for (const cut of list.slice(0, -1))
        expect(killed.has(cut.pid), `${key} re-ran without a kill`).toBe(true);
      // ctx.attempt grows with every re-run (a job re-taken counts even if this node had not started).
      for (let i = 1; i < list.length; i++)
        expect((list[i] as Start).attempt).toBeGreaterThan((list[i - 1] as Start).attempt);
      reRuns += list.length - 1;
    }
    expect(byKey.size).toBe(runs.length * 5); // every node of every run ran
    expect(reRuns).toBeGreaterThan(0);
    // At most the nodes in flight (or between their end and their write: one per kill) re-ran.
    expect(reRuns).toBeLessThanOrEqual(cutNodes + 20);
    for (const w of workers) await kill(w, 'SIGTERM');
    await queue.close();
    await checkpointer.close();
  }, 120_000);

  it('a zombie worker (SIGSTOP past its lease, then SIGCONT) cannot overwrite the newer checkpoint', async () => {
    const name = `zombie${process.pid}`;
    const log = join(dir, 'zombie.log');
    const checkpointer = new RedisCheckpointer({ url, keyPrefix: `${name}:cp:` });
    const queue = new WorkflowQueue({ connection: url, checkpointer, name });
    const zombie = startWorker(name, log);
    await ready(log, zombie.pid);
    const workflow = define({ WorkflowGraph, END }, log);
    const { runId } = await queue.start(workflow, { userId: 'u', inputData: 'go', runId: 'z1' });
    for (let i = 0; i < 500 && !inFlight(log, zombie.pid as number); i++) await sleep(5);
    zombie.kill('SIGSTOP');
    const paused = starts(log)
      .filter((s) => s.pid === zombie.pid)
      .at(-1) as Start;
    const other = startWorker(name, log);
    await ready(log, other.pid);
    const result = await queue.result(runId, { timeoutMs: 30_000 });
    // If it did not complete, say why: the run's error and the workers' log.
    expect(
      result.status,
      `${result.status === 'failed' ? `${result.error.name}: ${result.error.message}` : result.status}\n${lines(log).join('\n')}`,
    ).toBe('completed');
    const before = await checkpointer.history(runId);
    zombie.kill('SIGCONT');
    // The zombie finishes its node, fails to store it, and says so.
    for (
      let i = 0;
      i < 300 &&
      !lines(log).some((l) => l.startsWith(`log ${zombie.pid} info arshai: step dropped`));
      i++
    )
      await sleep(10);
    expect(lines(log).some((l) => l.startsWith(`end ${paused.key} ${zombie.pid}`))).toBe(true);
    expect(
      lines(log).some((l) => l.startsWith(`log ${zombie.pid} info arshai: step dropped`)),
    ).toBe(true);
    const after = await checkpointer.history(runId);
    expect(after).toEqual(before);
    expect(after.map((c) => c.version)).toEqual(after.map((_, i) => i));
    // The step the zombie held was stored by the other worker.
    const by = result.state.agentData as Record<string, unknown>;
    expect(by).toBeDefined();
    expect((result.state as unknown as { by: Record<string, number> }).by[paused.node]).toBe(
      other.pid,
    );
    await Promise.all([kill(zombie, 'SIGTERM'), kill(other, 'SIGTERM')]);
    await queue.close();
    await checkpointer.close();
  }, 60_000);
});
