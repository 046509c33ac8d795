import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  END,
  IncompatibleRunError,
  InMemoryCheckpointer,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-redeploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = join(import.meta.dirname, 'fixtures', 'redeploy-child.mjs');
const release = async (args: string[]) =>
  JSON.parse((await promisify(execFile)(process.execPath, [child, ...args])).stdout);

describe('runs across deploys', () => {
  it('a run asked at v1’s "ask" is refused by v2 (which renamed it) before anything is claimed, and v1 still resumes it (three processes, one SQLite file)', async () => {
    const file = join(dir, 'runs.db');
    const started = await release(['v1', file, 'r1', 'start']);
    expect(started.status).toBe('interrupted');
    expect(started.graph).toBe(started.fingerprint);
    expect(started.graph).toMatch(/^g1-[0-9a-f]{16}$/);

    const refused = await release(['v2', file, 'r1', 'resume', 'yes']);
    expect(refused.error).toBe('IncompatibleRunError');
    expect(refused.missing).toEqual(['ask']);
    expect(refused.message).toContain('needs node "ask", which this graph does not have');
    expect(refused.message).toContain(started.graph);
    // Nothing was claimed: the run still waits at "ask", at the version v1 left it.
    expect(refused.stored).toEqual({ status: 'interrupted', version: 2, interrupt: 'ask' });

    const done = await release(['v1', file, 'r1', 'resume', 'yes']);
    expect(done.status).toBe('completed');
    expect(done.state.agentData).toEqual({
      draft: 'refund 40',
      decision: 'yes',
      sent: 'yes by v1',
    });
  });

  it('a change that keeps the run’s nodes continues it; the fingerprint follows the shape, not the order edges were added in', async () => {
    const build = (extra: boolean) => {
      const graph = new WorkflowGraph()
        .addNode('a', (_s, _i, ctx) => ({ agentData: { a: ctx.interrupt('go?') } }))
        .addNode('b', () => ({ agentData: { b: true } }));
      if (extra)
        graph
          .addNode('c', () => ({}))
          .addEdge('b', 'c')
          .addEdge('c', END);
      else graph.addEdge('b', END);
      return graph.addEdge('a', 'b').setEntryPoint('a').compile({ name: 'w' });
    };
    expect(build(false).fingerprint).not.toBe(build(true).fingerprint);
    const checkpointer = new InMemoryCheckpointer();
    const paused = await new WorkflowRunner(build(false), { checkpointer }).executeWorkflow({
      userId: 'u',
    });
    const next = new WorkflowRunner(build(true), { checkpointer });
    const done = await next.resume(paused.runId, { value: 'yes' });
    expect(done.state.agentData).toEqual({ a: 'yes', b: true });
    expect((await checkpointer.getLatest(paused.runId))?.graph).toBe(build(true).fingerprint);

    const reordered = new WorkflowGraph()
      .addNode('a', () => ({}))
      .addNode('b', () => ({}))
      .addEdge('b', END)
      .addEdge('a', 'b')
      .setEntryPoint('a')
      .compile({ name: 'w' });
    const same = new WorkflowGraph()
      .addNode('a', () => ({}))
      .addNode('b', () => ({}))
      .addEdge('a', 'b')
      .addEdge('b', END)
      .setEntryPoint('a')
      .compile({ name: 'w' });
    expect(reordered.fingerprint).toBe(same.fingerprint);
  });

  it('a failed run to be retried at a node the new graph lacks is refused the same way', async () => {
    const checkpointer = new InMemoryCheckpointer();
    const v1 = new WorkflowGraph()
      .addNode('fetch', () => {
        throw new Error('down');
      })
      .addEdge('fetch', END)
      .setEntryPoint('fetch')
      .compile({ name: 'f' });
    const failed = await new WorkflowRunner(v1, { checkpointer }).executeWorkflow({ userId: 'u' });
    const v2 = new WorkflowGraph()
      .addNode('load', () => ({}))
      .addEdge('load', END)
      .setEntryPoint('load')
      .compile({ name: 'f' });
    const error = await new WorkflowRunner(v2, { checkpointer })
      .resume(failed.runId)
      .catch((e: unknown) => e);
    expect(IncompatibleRunError.isInstance(error)).toBe(true);
    expect((error as IncompatibleRunError).missing).toEqual(['fetch']);
    expect((await checkpointer.getLatest(failed.runId))?.status).toBe('failed');
  });
});
