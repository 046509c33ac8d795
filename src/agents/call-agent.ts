import { abortErrorFrom, linkedController, raceAbort } from '../utils/abort.js';
import type { Agent, AgentInput } from './agent.js';
import { inAgentSpan } from './agent-span.js';

/**
 * Runs `agent.process(input)`. With `input.signal`, the call rejects with the typed
 * `AbortError` / `TimeoutError` the moment the signal fires, whatever the agent does with
 * it (an agent that does not pass the signal on can no longer hold its caller). The agent
 * gets a signal of the call's own, released when the call ends.
 *
 * @example
 * ```ts
 * const answer = await callAgent(agent, { message: 'hi', signal: AbortSignal.timeout(5_000) });
 * // With `{ name }`: an `invoke_agent {name}` span, when the agent's client has a tracer.
 * ```
 */
export function callAgent<O>(
  agent: Agent<O>,
  input: AgentInput,
  trace?: { name: string; attributes?: Record<string, string | number | boolean> },
): Promise<O> {
  if (trace) return inAgentSpan(agent, trace.name, () => callAgent(agent, input), trace.attributes);
  const { signal } = input;
  if (!signal) return agent.process(input);
  if (signal.aborted) return Promise.reject(abortErrorFrom(signal));
  return callWithOwnSignal(agent, input, signal);
}

/**
 * The agent gets a signal of the call's own, linked to the caller's and released when the
 * call ends: listeners it leaves behind never pile up on a long-lived caller signal.
 */
async function callWithOwnSignal<O>(
  agent: Agent<O>,
  input: AgentInput,
  signal: AbortSignal,
): Promise<O> {
  const own = linkedController(signal, undefined);
  try {
    return await raceAbort(
      Promise.resolve().then(() => agent.process({ ...input, signal: own.signal })),
      own.signal,
    );
  } finally {
    own.dispose();
  }
}
