import type { Agent, AgentInput } from '../agents/agent.js';
import { agentAsTool } from '../agents/agent-as-tool.js';
import type { LLMClient } from '../llm/llm-client.js';
import type { LLMResult } from '../llm/llm-result.js';
import type { Tool } from '../llm/tool.js';
import { describeAgent } from './agent-description.js';

/** Options of {@link HierarchicalOrchestrator}. */
export interface HierarchicalOptions {
  /** The master's instructions. */
  systemPrompt?: string;
  /** What each specialist does (tool descriptions). @default its system prompt (first 100 characters) */
  descriptions?: Record<string, string>;
  /** @default 10 */
  maxTurns?: number;
  /** Per specialist call. */
  specialistTimeoutMs?: number;
}

const MASTER_PROMPT =
  'You are a master coordinator. You have access to specialist agents as tools. ' +
  'Analyze the request and use specialists as needed to provide comprehensive answers.';

/**
 * Pattern 5, hierarchical system: a master model coordinates specialist agents, each exposed
 * as a tool `use_<name>_specialist`. Specialist calls made in one turn run concurrently;
 * a specialist's error reaches the master as a tool error.
 *
 * @example
 * ```ts
 * const team = new HierarchicalOrchestrator(masterLlm, { research, math, writing });
 * const answer = await team.execute('Research AI trends, size the market, write a summary');
 * ```
 */
export class HierarchicalOrchestrator implements Agent<string> {
  readonly masterLlm: LLMClient;
  readonly specialists: Record<string, Agent<unknown>>;
  /** The specialist tools the master sees. */
  readonly tools: Record<string, Tool<{ query: string }, string>>;
  readonly #options: HierarchicalOptions;

  constructor(
    masterLlm: LLMClient,
    specialists: Record<string, Agent<unknown>>,
    options: HierarchicalOptions = {},
  ) {
    this.masterLlm = masterLlm;
    this.specialists = specialists;
    this.#options = options;
    this.tools = Object.fromEntries(
      Object.entries(specialists).map(([name, agent]) => {
        const toolName = `use_${name}_specialist`;
        const about = describeAgent(name, agent, options.descriptions);
        return [
          toolName,
          agentAsTool(agent, {
            name: toolName,
            description: `Use the ${name} specialist for: ${about}`,
            ...(options.specialistTimeoutMs ? { timeoutMs: options.specialistTimeoutMs } : {}),
          }),
        ];
      }),
    );
  }

  /** As an agent: the master's final answer. */
  process(input: AgentInput): Promise<string> {
    return this.execute(input.message, input.signal ? { signal: input.signal } : {});
  }

  /** Runs the master to its final answer. */
  async execute(userMessage: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    return (await this.run(userMessage, options)).llmResponse;
  }

  /** Like `execute`, with the whole result (tool calls, usage, transcript). */
  run(userMessage: string, options: { signal?: AbortSignal } = {}): Promise<LLMResult<string>> {
    return this.masterLlm.chat({
      systemPrompt: this.#options.systemPrompt ?? MASTER_PROMPT,
      userMessage,
      regularFunctions: this.tools,
      ...(this.#options.maxTurns ? { maxTurns: this.#options.maxTurns } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
}
