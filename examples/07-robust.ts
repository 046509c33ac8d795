/** Pattern 7: retries and fallbacks. */
import { ProviderError, RobustOrchestrator } from 'arshai';
import { MockAgent } from 'arshai/testing';

const primary = new MockAgent<string>([
  { error: new ProviderError('rate limited', { provider: 'openai', status: 429 }) },
  { error: new ProviderError('overloaded', { provider: 'openai', status: 529 }) },
]);
const fallback = new MockAgent<string>(['Answer from the fallback model']);
const robust = new RobustOrchestrator(primary, [fallback]);
const outcome = await robust.execute('Summarise the report', {
  maxRetries: 1,
  retryDelay: 10,
  timeoutMs: 5_000,
});
console.log(outcome.agent, outcome.attempts, outcome.result); // fallback_0 3 Answer from the fallback model
console.log(outcome.errors.map((e) => e.error.message));
