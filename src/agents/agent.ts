/**
 * What an agent receives.
 *
 * @example
 * ```ts
 * const input: AgentInput = { message: 'Summarise this', metadata: { conversationId: 'c1' } };
 * ```
 */
export interface AgentInput {
  message: string;
  metadata?: Record<string, unknown>;
  /** Cancels the agent's work, including its LLM calls and tools. */
  signal?: AbortSignal | undefined;
}

/**
 * An agent: anything that processes an input into an output of its author's choosing.
 *
 * @example
 * ```ts
 * const echo: Agent<string> = { process: async ({ message }) => message };
 * ```
 */
export interface Agent<O = unknown> {
  process(input: AgentInput): Promise<O>;
}

/**
 * The output type of an agent.
 *
 * @example
 * ```ts
 * type Score = AgentOutput<Agent<number>>; // number
 * ```
 */
export type AgentOutput<A> = A extends Agent<infer O> ? O : unknown;
