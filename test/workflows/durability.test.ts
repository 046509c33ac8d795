import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const run = (script: string, args: string[]) =>
  JSON.parse(execFileSync(process.execPath, [fixture(script), ...args], { encoding: 'utf8' }));

async function startAndKill(
  args: string[],
  log: string,
  when: string,
  script = 'crash-child.mjs',
): Promise<void> {
  const child = spawn(process.execPath, [fixture(script), ...args], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal ? 9 : _code)),
  );
  for (let i = 0; i < 400; i++) {
    if (existsSync(log) && readFileSync(log, 'utf8').includes(when)) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe(9);
}

const lines = (log: string) => readFileSync(log, 'utf8').trim().split('\n');
const count = (log: string, line: string) => lines(log).filter((l) => l === line).length;

describe.each([
  ['sqlite', () => join(dir, 'checkpoints.db')],
  ['redis', () => inject('redisUrl')],
  ['postgres', () => inject('postgresUrl')],
])('crash and resume with the %s checkpointer', (backend, store) => {
  it('a new process resumes after SIGKILL; completed nodes do not run again; same final state', async () => {
    const log = join(dir, `${backend}-crash.log`);
    const runId = `crash-${backend}-${Date.now()}`;
    await startAndKill([backend, store(), log, runId, 'start'], log, 'start c');
    expect(lines(log)).toEqual(['start a', 'end a', 'start b', 'end b', 'start c']);

    const resumed = run('crash-child.mjs', [backend, store(), log, runId, 'resume']);
    expect(resumed.status).toBe('completed');
    for (const n of ['a', 'b'])
      expect([count(log, `start ${n}`), count(log, `end ${n}`)]).toEqual([1, 1]);
    expect([count(log, 'start c'), count(log, 'end c')]).toEqual([2, 1]); // c was cut, then run again
    for (const n of ['d', 'e']) expect(count(log, `end ${n}`)).toBe(1);

    const cleanLog = join(dir, `${backend}-clean.log`);
    const clean = run('crash-child.mjs', [backend, store(), cleanLog, `clean-${runId}`, 'start']);
    expect(resumed.state).toEqual(clean.state);
    expect(resumed.state.agentData.total).toBe(15);
  });
});

describe.each([
  ['sqlite', () => join(dir, 'nested.db')],
  ['redis', () => inject('redisUrl')],
  ['postgres', () => inject('postgresUrl')],
])('kill -9 inside a subworkflow and a join (%s)', (backend, store) => {
  it('the child resumes from its own last checkpoint, the join’s finished branch is kept, finish runs once', async () => {
    const log = join(dir, `${backend}-nested.log`);
    const runId = `nested-${backend}-${Date.now()}`;
    await startAndKill(
      [backend, store(), log, runId, 'start'],
      log,
      'start s2',
      'nested-child.mjs',
    );
    expect(lines(log).sort()).toEqual([
      'end facts',
      'end s1',
      'start facts',
      'start s1',
      'start s2',
    ]);

    const resumed = run('nested-child.mjs', [backend, store(), log, runId, 'resume']);
    expect(resumed.status).toBe('completed');
    expect([count(log, 'start s1'), count(log, 'start facts')]).toEqual([1, 1]); // not again
    expect([count(log, 'start s2'), count(log, 'end s2')]).toEqual([2, 1]); // cut, then re-run
    expect(count(log, 'end s3')).toBe(1);
    expect(count(log, 'finish')).toBe(1);
    expect(resumed.state.agentData.summary).toBe('s1+s2+s3 late order');
  });
});

describe.each([
  ['sqlite', () => join(dir, 'join-ask.db')],
  ['redis', () => inject('redisUrl')],
  ['postgres', () => inject('postgresUrl')],
])('a join after an interrupted parallel step, across processes (%s)', (backend, store) => {
  it('the sibling’s write waits; the join runs once, in the answering process, with both', () => {
    const log = join(dir, `${backend}-join-ask.log`);
    writeFileSync(log, '');
    const runId = `join-ask-${backend}-${Date.now()}`;
    const paused = run('join-ask-child.mjs', [backend, store(), log, runId, 'start']);
    expect(paused).toMatchObject({ status: 'interrupted', interrupt: { node: 'ask' } });
    expect(paused.state.agentData.facts).toBeUndefined();
    const done = run('join-ask-child.mjs', [backend, store(), log, runId, 'resume', 'yes']);
    expect(done.state.agentData.seen).toEqual(['yes', 'late order']);
    expect(lines(log)).toEqual(['facts', 'join yes']);
  });
});

describe('a tool approval inside a workflow node, across processes (SQLite)', () => {
  it('pauses the run; another process approves; the tool runs once; a second answer is refused', () => {
    const store = join(dir, 'approvals.db');
    const log = join(dir, 'approvals.log');
    writeFileSync(log, '');
    const runId = `approval-${Date.now()}`;
    const paused = run('approval-child.mjs', [store, log, runId, 'start']);
    expect(paused).toMatchObject({
      status: 'interrupted',
      interrupt: {
        node: 'agent',
        payload: {
          type: 'tool-approval',
          pendingApprovals: [{ callId: 'call_refund', toolName: 'refund', args: { amount: 249 } }],
        },
      },
    });
    expect(readFileSync(log, 'utf8')).toBe('');
    const done = run('approval-child.mjs', [store, log, runId, 'approve']);
    expect(done.status).toBe('completed');
    expect(done.state.agentData.reply).toBe('reply after: refunded 249');
    expect(lines(log)).toEqual(['refund 249']);
    const again = run('approval-child.mjs', [store, log, runId, 'reject']);
    expect(again.error).toBe('RunConflictError');
    expect(lines(log)).toEqual(['refund 249']);
  });

  it('through a ChatAgent in an AgentNode: a refusal reaches the model as the tool result, in the resuming process', () => {
    const store = join(dir, 'approvals.db');
    const log = join(dir, 'approvals-2.log');
    writeFileSync(log, '');
    const runId = `refusal-${Date.now()}`;
    const paused = run('approval-child.mjs', [store, log, runId, 'start', 'agent']);
    expect(paused.interrupt.payload.pendingApprovals[0].toolName).toBe('refund');
    const done = run('approval-child.mjs', [store, log, runId, 'reject', 'agent']);
    expect(done.state.agentData.reply).toBe('reply after: The user did not approve this call: no');
    expect(readFileSync(log, 'utf8')).toBe('');
  });
});

describe.each([
  ['sqlite', () => join(dir, 'hitl.db')],
  ['redis', () => inject('redisUrl')],
  ['postgres', () => inject('postgresUrl')],
])('human in the loop across processes with the %s checkpointer', (backend, store) => {
  it('interrupted in one process, approved in another', () => {
    const runId = `refund-${backend}-${Date.now()}`;
    const paused = run('hitl-child.mjs', [backend, store(), runId, 'start']);
    expect(paused).toMatchObject({
      status: 'interrupted',
      interrupt: { node: 'approve', payload: { amount: 249 } },
    });
    const done = run('hitl-child.mjs', [backend, store(), runId, 'resume', 'approve']);
    expect(done.status).toBe('completed');
    expect(done.state.agentData).toMatchObject({ decision: 'approve', message: 'Refund sent' });
    expect(done.state.processingPath).toEqual(['propose', 'approve', 'finalize']);
  });

  it('two processes answering at the same moment: one answer counts, the other gets RunConflictError', async () => {
    const runId = `race-${backend}-${Date.now()}`;
    const log = join(dir, `${runId}.log`);
    const barrier = join(dir, `${runId}.go`);
    run('hitl-child.mjs', [backend, store(), runId, 'start']);
    const answers = ['approve', 'reject'];
    const children = answers.map((answer) => {
      const child = spawn(
        process.execPath,
        [fixture('hitl-child.mjs'), backend, store(), runId, 'resume', answer, log, barrier],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      return new Promise<Record<string, unknown>>((resolve) =>
        child.on('exit', () => resolve(JSON.parse(out))),
      );
    });
    const ready = () => readdirSync(dir).filter((f) => f.startsWith(`${runId}.go.`)).length;
    for (let i = 0; i < 500 && ready() < 2; i++) await new Promise((r) => setTimeout(r, 10));
    writeFileSync(barrier, 'go');
    const results = await Promise.all(children);
    const winner = results.find((r) => r.status === 'completed') as {
      state: { agentData: { decision: string } };
    };
    const loser = results.find((r) => r.error);
    expect(loser).toMatchObject({ error: 'RunConflictError' });
    expect(winner).toBeDefined();
    expect(lines(log)).toEqual([`finalize ${winner.state.agentData.decision}`]);
  });
});
