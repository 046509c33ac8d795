/** Pattern 2: parallel processing with aggregation. */
import { AgentFailure, ParallelOrchestrator } from 'arshai';
import { MockAgent } from 'arshai/testing';

const orchestrator = new ParallelOrchestrator({
  sentiment: new MockAgent(['positive']),
  summary: new MockAgent(['User praises product quality']),
  keywords: new MockAgent([['product', 'amazing']]),
  translation: new MockAgent<string>([{ error: new Error('translator offline') }]),
});
const results = await orchestrator.execute('This product is amazing!', {
  timeoutMs: 5_000,
  concurrency: 3,
});
for (const [name, value] of Object.entries(results)) {
  console.log(name, AgentFailure.is(value) ? `failed: ${value.error.message}` : value);
}
