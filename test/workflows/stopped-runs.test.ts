import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Checkpointer,
  END,
  InMemoryCheckpointer,
  SqliteCheckpointer,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { RedisCheckpointer } from 'arshai/redis';
import { afterAll, describe, expect, inject, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-stopped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backends: Array<[string, () => Checkpointer]> = [
  ['InMemoryCheckpointer', () => new InMemoryCheckpointer()],
  ['SqliteCheckpointer', () => new SqliteCheckpointer({ path: join(dir, 'stopped.db') })],
  [
    'RedisCheckpointer',
    () => new RedisCheckpointer({ url: inject('redisUrl'), keyPrefix: `stopped-${process.pid}:` }),
  ],
];

/** A slow second node: it waits for its signal (a stand-in for a long LLM call). */
function workflow(release: { go?: () => void }) {
  return new WorkflowGraph<{ done?: boolean }>()
    .addNode('first', () => ({ agentData: { first: true } }))
    .addNode(
      'slow',
      (_s, _i, ctx) =>
        new Promise((resolve, reject) => {
          release.go = () => resolve({ done: true });
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
    )
    .addEdge('first', 'slow')
    .addEdge('slow', END)
    .setEntryPoint('first')
    .compile();
}

describe.each(backends)(
  'runs stopped by their caller are recorded as stopped (%s)',
  (_name, create) => {
    it('a time limit records timed-out, an abort and a stream consumer that stops record cancelled; resume continues each', async () => {
      const checkpointer = create();
      // Connected first (a Redis client loads ioredis on first use): the 30 ms below are the run's.
      await checkpointer.listRuns({ limit: 1 });
      const release: { go?: () => void } = {};
      const runner = new WorkflowRunner(workflow(release), { checkpointer });

      const timed = await runner
        .executeWorkflow({ userId: 'u', timeoutMs: 30 })
        .catch((e: unknown) => e);
      expect((timed as Error).name).toBe('TimeoutError');
      const [timedRun] = await checkpointer.listRuns({ limit: 1 });
      expect(timedRun?.status).toBe('timed-out');
      const latest = await checkpointer.getLatest(timedRun?.runId as string);
      expect(latest).toMatchObject({ next: ['slow'], error: { name: 'TimeoutError' } });

      const ac = new AbortController();
      const aborted = runner
        .executeWorkflow({ userId: 'u', signal: ac.signal })
        .catch((e: unknown) => e);
      setTimeout(() => ac.abort(), 10);
      expect(((await aborted) as Error).name).toBe('AbortError');
      expect((await checkpointer.listRuns({ limit: 1 }))[0]?.status).toBe('cancelled');

      let streamedRun = '';
      for await (const e of runner.streamWorkflow({ userId: 'u' })) {
        if (e.type === 'run-start') streamedRun = e.runId;
        if (e.type === 'node-start' && e.node === 'slow') break; // the consumer stops reading
      }
      expect((await checkpointer.getLatest(streamedRun))?.status).toBe('cancelled');

      // resume continues a stopped run from its next nodes.
      release.go = undefined;
      const resumed = runner.resume(streamedRun);
      while (!release.go) await new Promise((r) => setTimeout(r, 1));
      (release.go as unknown as () => void)();
      const done = await resumed;
      expect(done).toMatchObject({ status: 'completed', state: { done: true } });
      expect(done.state.processingPath).toEqual(['first', 'slow']);
      await checkpointer.close();
    });
  },
);
