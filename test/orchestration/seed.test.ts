/** The seed guide's own tests, in TypeScript, passing as written. */

import { ParallelOrchestrator, SimplePipeline } from 'arshai';
import { expect, it, vi } from 'vitest';

it('test_simple_pipeline', async () => {
  // Create mock agents
  const agent1 = { process: vi.fn().mockResolvedValue('intermediate_result') };
  const agent2 = { process: vi.fn().mockResolvedValue('final_result') };

  // Create pipeline
  const pipeline = new SimplePipeline([agent1, agent2]);

  // Execute
  const result = await pipeline.execute('input');

  // Verify
  expect(result).toBe('final_result');
  expect(agent1.process).toHaveBeenCalledOnce();
  expect(agent2.process).toHaveBeenCalledOnce();
});

it('test_parallel_orchestrator', async () => {
  // Create mock agents
  const agent1 = { process: vi.fn().mockResolvedValue('result1') };
  const agent2 = { process: vi.fn().mockResolvedValue('result2') };

  // Create orchestrator
  const orchestrator = new ParallelOrchestrator({ agent1, agent2 });

  // Execute
  const results = await orchestrator.execute('input');

  // Verify
  expect(results.agent1).toBe('result1');
  expect(results.agent2).toBe('result2');
});
