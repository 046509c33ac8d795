import type { Agent, AgentInput, AgentOutput } from '../agents/agent.js';
import { callAgent } from '../agents/call-agent.js';
import { throwIfAborted } from '../utils/abort.js';
import { Pause } from '../utils/pause.js';
import { agentOptions, outputToMessage } from './agent-output.js';
import { PipelineStageError } from './orchestration-errors.js';

/** Per-call options of {@link SimplePipeline.execute}. */
export interface PipelineOptions {
  signal?: AbortSignal | undefined;
  /** Passed to every agent. */
  metadata?: Record<string, unknown>;
}

/**
 * What a pipeline of agents returns: the last agent's output (the input message itself for
 * an empty pipeline).
 *
 * @example
 * ```ts
 * type Report = PipelineOutput<[Agent<string>, Agent<{ score: number }>]>; // { score: number }
 * ```
 */
export type PipelineOutput<A extends readonly Agent<unknown>[]> = A extends readonly []
  ? string
  : A extends readonly [...unknown[], infer L]
    ? AgentOutput<L>
    : A extends readonly (infer E)[]
      ? AgentOutput<E> | string
      : unknown;

/**
 * Pattern 1, sequential pipeline: each agent's output becomes the next agent's input
 * (non-strings as JSON); the last agent's output is returned as it is, typed as that
 * agent's output. A failure names the stage (`PipelineStageError` with the cause).
 * When `signal` fires, `execute` rejects at once with the typed abort error, even if the
 * running agent ignores the signal.
 *
 * @example
 * ```ts
 * const pipeline = new SimplePipeline([researchAgent, analysisAgent, reportAgent]);
 * const report = await pipeline.execute('What are the latest AI trends?');
 * ```
 */
export class SimplePipeline<const A extends readonly Agent<unknown>[] = Agent<unknown>[]>
  implements Agent<PipelineOutput<A>>
{
  readonly agents: A;

  constructor(agents: A) {
    this.agents = agents;
  }

  /** As an agent (in a workflow node, inside another pattern): `execute` of the message. */
  process(input: AgentInput): Promise<PipelineOutput<A>> {
    return this.execute(input.message, agentOptions(input));
  }

  async execute(initialInput: string, options: PipelineOptions = {}): Promise<PipelineOutput<A>> {
    let current = initialInput;
    let output: unknown = initialInput;
    for (const [stage, agent] of this.agents.entries()) {
      throwIfAborted(options.signal);
      try {
        output = await callAgent(
          agent,
          {
            message: current,
            ...(options.metadata ? { metadata: options.metadata } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
          },
          { name: String(stage) },
        );
      } catch (error) {
        throwIfAborted(options.signal);
        if (Pause.isInstance(error)) throw error; // the run waits for an approval
        throw new PipelineStageError(stage, agent.constructor?.name ?? 'agent', error);
      }
      current = outputToMessage(output);
    }
    return output as PipelineOutput<A>;
  }
}
