import {
  AbortError,
  type Checkpoint,
  CheckpointError,
  END,
  InMemoryCheckpointer,
  type WorkflowEvent,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { describe, expect, it } from 'vitest';

class FailingReads extends InMemoryCheckpointer {
  override async getLatest(_runId: string): Promise<Checkpoint | undefined> {
    throw new Error('store unreachable');
  }
}

const workflow = () =>
  new WorkflowGraph()
    .addNode(
      'wait',
      (_s, _i, ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
    )
    .addEdge('wait', END)
    .setEntryPoint('wait')
    .compile();

async function drain(
  events: AsyncIterable<WorkflowEvent>,
): Promise<{ types: string[]; error: unknown }> {
  const types: string[] = [];
  try {
    for await (const e of events) types.push(e.type);
  } catch (error) {
    return { types, error };
  }
  return { types, error: undefined };
}

describe('workflow stream outcomes', () => {
  it('a checkpoint read failure is a CheckpointError reported as failed, not aborted', async () => {
    const runner = new WorkflowRunner(workflow(), { checkpointer: new FailingReads() });
    const { types, error } = await drain(runner.streamResume('run-1'));
    expect(types).toEqual(['failed']);
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ operation: 'read', runId: 'run-1', retryable: true });
    expect(AbortError.isInstance(error)).toBe(false);

    const started = await drain(runner.streamWorkflow({ userId: 'u', runId: 'given' }));
    expect(started.types).toEqual(['failed']);
    expect(CheckpointError.isInstance(started.error)).toBe(true);
  });

  it('a real abort is reported as aborted', async () => {
    const runner = new WorkflowRunner(workflow());
    const { types, error } = await drain(
      runner.streamWorkflow({ userId: 'u', signal: AbortSignal.timeout(20) }),
    );
    expect(types.at(-1)).toBe('aborted');
    expect(AbortError.isInstance(error)).toBe(true);
  });
});
