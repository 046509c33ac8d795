import type { SupportState } from '../showcase/support-workflow.js';
import type { WorkflowResult } from '../workflows/workflow-events.js';
import type { Output } from './progress.js';
import { loadPeer } from './redis-stores.js';
import type { Session } from './showcase-session.js';
import { UsageError } from './usage-error.js';

/** The queue side of `demo --redis` and `resume --redis`: start or resume, then wait. */
export interface QueuedRuns {
  start(input: { userId: string; inputData: unknown; state: SupportState }): Promise<string>;
  resume(runId: string, value?: string): Promise<void>;
  result(runId: string): Promise<WorkflowResult<SupportState>>;
  close(): Promise<void>;
}

/** Opens the showcase's queue on the session's Redis (bullmq is loaded only now). */
export async function openQueue(session: Session, out: Output): Promise<QueuedRuns> {
  const url = session.redisUrl;
  const checkpointer = session.runner.checkpointer;
  if (!url || !checkpointer) throw new UsageError('the queue needs --redis');
  const bullmq = await loadPeer(() => import('../bullmq/index.js'), 'ioredis bullmq');
  const queue = new bullmq.WorkflowQueue({ connection: url, checkpointer });
  const workflow = session.runner.workflow;
  return {
    async start(input) {
      const { runId } = await queue.start(workflow, input);
      out.write(
        `Queued run ${runId}: its steps run on "arshai worker${session.flags}" processes\n`,
      );
      return runId;
    },
    async resume(runId, value) {
      await queue.resume(runId, value);
      out.write(`Resumed run ${runId} on the queue\n`);
    },
    async result(runId) {
      try {
        return await queue.result<SupportState>(runId);
      } catch (error) {
        if (bullmq.NoWorkerError.isInstance(error))
          throw new UsageError(
            `no worker serves "${workflow.name}"; start one with: arshai worker${session.flags} (run ${runId} stays queued)`,
          );
        throw error;
      }
    },
    close: () => queue.close(),
  };
}
