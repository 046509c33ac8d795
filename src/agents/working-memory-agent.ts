import type { LLMClient } from '../llm/llm-client.js';
import type { MemoryManager } from '../memory/memory-types.js';
import { throwIfAborted } from '../utils/abort.js';
import { assertId } from '../utils/ids.js';
import { type Logger, silentLogger } from '../utils/logger.js';
import { Pause } from '../utils/pause.js';
import type { AgentInput } from './agent.js';
import { BaseAgent } from './base-agent.js';
import { conversationIdOf, userIdOf } from './conversation-id.js';

/** Options of {@link WorkingMemoryAgent}. */
export interface WorkingMemoryAgentOptions {
  /** Where the working memory lives (type `working`, id `summary`, per conversation). */
  memory: MemoryManager;
  /** Instructions for the model that rewrites the working memory after each exchange. */
  updatePrompt?: string;
  /** Told when the memory could not be updated (the answer is still returned). @default silent */
  logger?: Logger;
}

/** What {@link WorkingMemoryAgent.run} returns. */
export interface WorkingMemoryResult {
  /** The answer to the user. */
  answer: string;
  /** Whether the working memory was rewritten and stored. */
  memoryUpdated: boolean;
  /** Why it was not (the rewrite call or the store failed); the answer stands. */
  memoryError?: Error;
}

/** The default instructions for updating the working memory. */
export const DEFAULT_WORKING_MEMORY_PROMPT =
  'You maintain the working memory of a conversation: a short, factual summary of what is known ' +
  'about the user, their goals, decisions made and open questions. Rewrite the memory to include ' +
  'the latest exchange. Reply with the updated memory only.';

/**
 * An agent that keeps a per-conversation working-memory summary: it answers with the memory in
 * its system prompt, then asks the model to update the memory with the exchange and stores it.
 * Inputs must carry `metadata.conversationId`; with `metadata.userId` (as `StatefulOrchestrator`
 * passes it) the memory is that user's own. When rewriting or storing the memory fails,
 * the answer is still returned and the failure reported (`logger`, and `run()`'s result).
 *
 * @example
 * ```ts
 * const agent = new WorkingMemoryAgent(llm, 'You are a travel assistant.', { memory });
 * await agent.process({ message: 'I want to visit Japan', metadata: { conversationId: 'c1' } });
 * ```
 */
export class WorkingMemoryAgent extends BaseAgent<string> {
  readonly memory: MemoryManager;
  readonly #updatePrompt: string;
  readonly #logger: Logger;

  constructor(llmClient: LLMClient, systemPrompt: string, options: WorkingMemoryAgentOptions) {
    super(llmClient, systemPrompt, { updatePrompt: options.updatePrompt });
    this.memory = options.memory;
    this.#updatePrompt = options.updatePrompt ?? DEFAULT_WORKING_MEMORY_PROMPT;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * The conversation's current working memory (empty string when none); with `userId`, that
   * user's own (entry `summary@<userId>`), so users sharing a conversation id stay apart.
   */
  async workingMemory(
    conversationId: string,
    signal?: AbortSignal,
    userId?: string,
  ): Promise<string> {
    const id = summaryId(userId);
    const entries = await this.memory.retrieve<string>(
      { conversationId, type: 'working' },
      { signal },
    );
    return entries.find((e) => e.id === id)?.content ?? '';
  }

  async process(input: AgentInput): Promise<string> {
    return (await this.run(input)).answer;
  }

  /** Like `process`, saying whether the working memory was updated. */
  async run(input: AgentInput): Promise<WorkingMemoryResult> {
    const conversationId = conversationIdOf(input, true);
    const userId = userIdOf(input);
    // Checked before any model call: the summary's id must be a valid memory id.
    assertId(summaryId(userId), 'metadata.userId');
    const { signal } = input;
    const memory = await this.workingMemory(conversationId, signal, userId);
    const answer = await this.llmClient.chat({
      systemPrompt: `${this.systemPrompt}\n\nWorking memory of this conversation:\n${memory || '(empty)'}`,
      userMessage: input.message,
      ...(signal ? { signal } : {}),
    });
    try {
      const update = await this.llmClient.chat({
        systemPrompt: this.#updatePrompt,
        userMessage:
          `Current working memory:\n${memory || '(empty)'}\n\n` +
          `Latest exchange:\nUser: ${input.message}\nAssistant: ${answer.llmResponse}`,
        ...(signal ? { signal } : {}),
      });
      await this.memory.update<string>(
        { conversationId, type: 'working', id: summaryId(userId) },
        { content: update.llmResponse.trim() },
        { signal },
      );
      return { answer: answer.llmResponse, memoryUpdated: true };
    } catch (error) {
      throwIfAborted(signal); // the caller gave up: no answer is wanted
      if (Pause.isInstance(error)) throw error; // the run waits for an approval
      const memoryError = error instanceof Error ? error : new Error(String(error));
      this.#logger.warn('arshai: working memory not updated', {
        conversationId,
        error: memoryError.name,
      });
      return { answer: answer.llmResponse, memoryUpdated: false, memoryError };
    }
  }
}

/** The memory entry of a conversation's summary: one per user when the input names one. */
function summaryId(userId: string | undefined): string {
  return userId === undefined ? 'summary' : `summary@${userId}`;
}
