import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Checkpoint,
  type Checkpointer,
  InMemoryCheckpointer,
  SqliteCheckpointer,
} from 'arshai';
import { RedisCheckpointer } from 'arshai/redis';
import { afterAll, describe, expect, inject, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-checkpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkpoint(
  runId: string,
  step: number,
  status: Checkpoint['status'] = 'running',
): Checkpoint {
  return {
    runId,
    workflow: 'wf',
    step,
    status,
    state: {
      userContext: { userId: `user-${runId}`, lastActive: 't', interactionCount: 1 },
      currentStep: `n${step}`,
      stepCount: step,
      processingPath: [],
      agentData: { step },
      workingMemories: {},
      errors: [],
      input: null,
    },
    next: status === 'completed' ? [] : [`n${step + 1}`],
    ran: [`n${step}`],
    createdAt: new Date(1_700_000_000_000 + step).toISOString(),
  };
}

const backends: Array<[string, () => Checkpointer, (() => Checkpointer) | undefined]> = [
  ['InMemoryCheckpointer', () => new InMemoryCheckpointer(), undefined],
  [
    'SqliteCheckpointer',
    () => new SqliteCheckpointer({ path: join(dir, 'c.db') }),
    () => new SqliteCheckpointer({ path: join(dir, 'c.db') }),
  ],
  [
    'RedisCheckpointer',
    () => new RedisCheckpointer({ url: inject('redisUrl'), keyPrefix: `test:cp:${process.pid}:` }),
    () => new RedisCheckpointer({ url: inject('redisUrl'), keyPrefix: `test:cp:${process.pid}:` }),
  ],
];

describe.each(backends)('%s conformance', (_name, create, reopen) => {
  it('stores every step, returns the latest, the history in order, and runs newest first', async () => {
    const cp = create();
    const a = `a-${Date.now()}`;
    const b = `b-${Date.now()}`;
    await cp.put(checkpoint(a, 0));
    await cp.put(checkpoint(a, 1));
    await cp.put(checkpoint(b, 0));
    await cp.put(checkpoint(a, 2, 'completed'));
    expect((await cp.getLatest(a))?.step).toBe(2);
    expect((await cp.getLatest(a))?.status).toBe('completed');
    expect((await cp.history(a)).map((c) => c.step)).toEqual([0, 1, 2]);
    expect(await cp.getLatest('nope')).toBeUndefined();
    expect(await cp.history('nope')).toEqual([]);
    const runs = await cp.listRuns({ limit: 2 });
    expect(runs.map((r) => r.runId)).toEqual([a, b]);
    expect(runs[0]).toMatchObject({
      status: 'completed',
      step: 2,
      userId: `user-${a}`,
      workflow: 'wf',
    });
    const stored = await cp.getLatest(a);
    expect(stored).toEqual(checkpoint(a, 2, 'completed'));
    await cp.close();
    if (reopen) {
      const again = reopen();
      expect((await again.getLatest(a))?.state.agentData).toEqual({ step: 2 });
      await again.close();
    }
  });

  it('keeps checkpoints apart from later changes to the state object', async () => {
    const cp = create();
    const c = checkpoint(`iso-${Date.now()}`, 0);
    await cp.put(c);
    c.state.agentData.step = 99;
    expect((await cp.getLatest(c.runId))?.state.agentData.step).toBe(0);
    await cp.close();
  });
});
