import type { ZodType } from 'zod/v4';
import { z } from 'zod/v4';
import { type Tool, tool } from '../llm/tool.js';
import { toolOutputText } from '../llm/tool-execution.js';
import type { Agent } from './agent.js';
import { inAgentSpan } from './agent-span.js';

/** Options of {@link agentAsTool}. */
export interface AgentAsToolOptions<A extends { query: string }> {
  /** Tool name shown to the model (also the key you register it under). */
  name: string;
  /** When the model should use this agent. */
  description: string;
  /**
   * Arguments the model sends. Must contain a `query` string: it becomes the agent's message;
   * the other fields go to the agent as `metadata`.
   * @default z.object({ query: z.string() })
   */
  parameters?: ZodType<A>;
  /** Per-call time limit of the agent (its signal aborts). */
  timeoutMs?: number | undefined;
}

const QueryArgs = z.object({ query: z.string().describe('What to ask the agent') });

/**
 * Turns any agent into a tool (the seed's hierarchical pattern). The model's `query` becomes
 * the agent's message, the call's signal reaches the agent, and an error thrown by the agent
 * becomes an error result the model sees.
 *
 * @example
 * ```ts
 * const research = agentAsTool(researchAgent, {
 *   name: 'use_research_specialist',
 *   description: 'Finds facts about a topic',
 * });
 * await llm.chat({ systemPrompt, userMessage, regularFunctions: { use_research_specialist: research } });
 * ```
 */
export function agentAsTool<A extends { query: string } = { query: string }>(
  agent: Agent<unknown>,
  options: AgentAsToolOptions<A>,
): Tool<A, string> {
  const parameters = (options.parameters ?? QueryArgs) as ZodType<A>;
  return tool<A, string>({
    description: options.description,
    parameters,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    execute: async (args, { signal, toolCallId }) => {
      const { query, ...rest } = args;
      const output = await inAgentSpan(agent, options.name, () =>
        agent.process({
          message: query,
          metadata: { ...rest, toolCallId, toolName: options.name },
          signal,
        }),
      );
      return toolOutputText(output);
    },
  });
}
