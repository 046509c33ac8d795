import type { LLMClient } from '../llm/llm-client.js';
import type { Agent, AgentInput } from './agent.js';

/**
 * Base class for agents that use an LLM client. Subclasses implement `process`.
 *
 * @example
 * ```ts
 * class Summariser extends BaseAgent<string> {
 *   async process(input: AgentInput): Promise<string> {
 *     const { llmResponse } = await this.llmClient.chat({
 *       systemPrompt: this.systemPrompt,
 *       userMessage: input.message,
 *       signal: input.signal,
 *     });
 *     return llmResponse;
 *   }
 * }
 * ```
 */
export abstract class BaseAgent<O = string> implements Agent<O> {
  readonly llmClient: LLMClient;
  readonly systemPrompt: string;
  readonly config: Record<string, unknown>;

  constructor(llmClient: LLMClient, systemPrompt: string, config: Record<string, unknown> = {}) {
    this.llmClient = llmClient;
    this.systemPrompt = systemPrompt;
    this.config = config;
  }

  abstract process(input: AgentInput): Promise<O>;
}
