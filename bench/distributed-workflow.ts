/** The throughput benchmark's workflow: 5 nodes in a row, each awaiting 20 ms (an LLM call). */
import type { END as EndType, WorkflowGraph as GraphType } from 'arshai';

export const NODE_MS = 20;
export const NODES = 5;

export function buildWorkflow(WorkflowGraph: typeof GraphType, END: typeof EndType) {
  const graph = new WorkflowGraph<{ total?: number }>();
  for (let i = 0; i < NODES; i++) {
    graph.addNode(`n${i}`, async (state) => {
      await new Promise((resolve) => setTimeout(resolve, NODE_MS));
      return { total: (state.total ?? 0) + i + 1 };
    });
    graph.addEdge(`n${i}`, i + 1 < NODES ? `n${i + 1}` : END);
  }
  return graph.setEntryPoint('n0').compile({ name: 'bench5' });
}

/** What every run must end with: 1 + 2 + 3 + 4 + 5. */
export const EXPECTED_TOTAL = (NODES * (NODES + 1)) / 2;
