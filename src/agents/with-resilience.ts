import type { Tool } from '../llm/tool.js';
import { tool } from '../llm/tool.js';
import type { Policy } from '../resilience/policy.js';
import { raceAbort } from '../utils/abort.js';
import type { Agent } from './agent.js';
import { callAgent } from './call-agent.js';

/**
 * Wraps an agent so that every `process` call runs under `policy` (retry, timeout, breaker,
 * bulkhead...). The policy's signal reaches the agent's work; when the caller's signal fires
 * the call rejects at once with the typed abort error.
 *
 * @example
 * ```ts
 * const robust = withResilience(agent, compose(retryPolicy({ maxRetries: 2 }), timeoutPolicy(10_000)));
 * await robust.process({ message: 'hi' });
 * ```
 */
export function withResilience<O>(agent: Agent<O>, policy: Policy): Agent<O> {
  return {
    process: (input) =>
      raceAbort(
        policy.execute((signal) => callAgent(agent, { ...input, signal }), input.signal),
        input.signal,
      ),
  };
}

/** The same tool, its `execute` run under `policy`. */
export function resilientTool<A, R>(original: Tool<A, R>, policy: Policy): Tool<A, R> {
  return tool<A, R>({
    description: original.description,
    parameters: original.parameters,
    ...(original.timeoutMs === undefined ? {} : { timeoutMs: original.timeoutMs }),
    execute: (args, context) =>
      policy.execute(
        async (signal) => original.execute(args, { ...context, signal }),
        context.signal,
      ),
  });
}
