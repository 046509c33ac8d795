/** A store with a completed, an interrupted and a failed run of one review workflow. */
import { type Checkpointer, END, WorkflowGraph, WorkflowRunner } from 'arshai';

export const XSS = '<img src=x onerror="window.__xss=1">';

interface Review {
  verdict?: string;
  note?: string;
  answer?: unknown;
}

/** intake → (policy ‖ history) → decide → approve (asks) or reply; a 'boom' input fails. */
export function reviewWorkflow() {
  return new WorkflowGraph<Review>()
    .addNode('intake', (_s, input) => {
      if (input === 'boom') throw new Error('the intake service is down');
      return { note: String(input) };
    })
    .addNode('policy', () => ({ agentData: { policy: 'refunds under $500 are automatic' } }))
    .addNode('history', () => ({ agentData: { orders: 3 } }))
    .addNode('decide', (state) => ({ verdict: state.note === 'big' ? 'ask' : 'auto' }))
    .addNode('approve', (_s, _i, ctx) => ({
      answer: ctx.interrupt({ question: 'Refund $900 to the customer?', amount: 900 }),
    }))
    .addNode('reply', (state) => ({
      agentData: { reply: `done: ${JSON.stringify(state.answer ?? 'auto')}` },
    }))
    .addEdge('intake', 'policy')
    .addEdge('intake', 'history')
    .addEdge(['policy', 'history'], 'decide')
    .addConditionalEdges('decide', (s) => (s.verdict === 'ask' ? 'ask' : 'auto'), {
      ask: 'approve',
      auto: 'reply',
    })
    .addEdge('approve', 'reply')
    .addEdge('reply', END)
    .setEntryPoint('intake')
    .compile({ name: 'review' });
}

/** Fills `checkpointer` with the three runs; the completed one carries the XSS string. */
export async function seedRuns(checkpointer: Checkpointer) {
  let tick = Date.parse('2026-11-24T12:00:00Z');
  const runner = new WorkflowRunner(reviewWorkflow(), {
    checkpointer,
    now: () => {
      tick += 1250;
      return new Date(tick);
    },
  });
  const completed = await runner.executeWorkflow({
    runId: 'run-completed',
    userId: 'ana',
    inputData: XSS,
  });
  const interrupted = await runner.executeWorkflow({
    runId: 'run-waiting',
    userId: 'ben',
    inputData: 'big',
  });
  const failed = await runner.executeWorkflow({
    runId: 'run-failed',
    userId: 'cy',
    inputData: 'boom',
  });
  return { runner, completed, interrupted, failed };
}
