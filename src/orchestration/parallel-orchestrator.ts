import type { Agent, AgentInput, AgentOutput } from '../agents/agent.js';
import { inAgentSpan } from '../agents/agent-span.js';
import { linkedController, raceAbort, throwIfAborted } from '../utils/abort.js';
import { createLimiter } from '../utils/limiter.js';
import { checkTimeoutMs } from '../utils/option-checks.js';
import { Pause } from '../utils/pause.js';
import { agentOptions, asError } from './agent-output.js';

/** An agent that failed inside a parallel run: `{ error }` keeps the error as thrown. */
export class AgentFailure {
  readonly error: Error;

  constructor(error: Error) {
    this.error = error;
  }

  /** True for a failed agent's entry in a parallel result. */
  static is(value: unknown): value is AgentFailure {
    return value instanceof AgentFailure;
  }
}

/** Options of {@link ParallelOrchestrator.execute}. */
export interface ParallelOptions {
  /** Agents running at once. @default all */
  concurrency?: number;
  /** Per-agent time limit: the agent's signal aborts and its entry is a `TimeoutError` failure. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  metadata?: Record<string, unknown>;
}

/**
 * A parallel run's result: each agent's output under its name, typed as that agent's
 * output, or an {@link AgentFailure} when that agent failed.
 *
 * @example
 * ```ts
 * const results: ParallelResult<{ score: Agent<number> }> = { score: 0.9 };
 * ```
 */
export type ParallelResult<A extends Record<string, Agent<unknown>>> = {
  -readonly [K in keyof A]: AgentOutput<A[K]> | AgentFailure;
};

/**
 * Pattern 2, parallel processing: every agent gets the same input concurrently; the result
 * maps each name to its output, or to an `AgentFailure` `{ error }` (nothing is lost).
 *
 * @example
 * ```ts
 * const results = await new ParallelOrchestrator({ sentiment, summary, keywords }).execute(text);
 * if (AgentFailure.is(results.summary)) console.error(results.summary.error);
 * else results.summary; // typed as the summary agent's output
 * ```
 */
export class ParallelOrchestrator<
  A extends Record<string, Agent<unknown>> = Record<string, Agent<unknown>>,
> implements Agent<ParallelResult<A>>
{
  readonly agents: A;

  constructor(agents: A) {
    this.agents = agents;
  }

  /** As an agent: every agent's output (or `AgentFailure`) by name. */
  process(input: AgentInput): Promise<ParallelResult<A>> {
    return this.execute(input.message, agentOptions(input));
  }

  async execute(inputMessage: string, options: ParallelOptions = {}): Promise<ParallelResult<A>> {
    checkTimeoutMs(options.timeoutMs, 'timeoutMs');
    const limit = createLimiter(options.concurrency);
    throwIfAborted(options.signal);
    const entries = await Promise.all(
      Object.entries(this.agents).map(([name, agent]) =>
        limit(async (): Promise<[string, unknown]> => {
          const run = linkedController(options.signal, options.timeoutMs, `Agent "${name}"`);
          try {
            throwIfAborted(run.signal);
            const work = inAgentSpan(
              agent,
              name,
              () =>
                agent.process({
                  message: inputMessage,
                  ...(options.metadata ? { metadata: options.metadata } : {}),
                  signal: run.signal,
                }),
              { 'arshai.branch': name },
            );
            return [name, await raceAbort(work, run.signal)];
          } catch (error) {
            if (Pause.isInstance(error)) throw error; // the run waits for an approval
            return [name, new AgentFailure(asError(error))];
          } finally {
            run.dispose();
          }
        }),
      ),
    );
    throwIfAborted(options.signal);
    return Object.fromEntries(entries) as ParallelResult<A>;
  }
}
