import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { InputGuardrail, OutputGuardrail } from '../llm/guardrails.js';
import type { LLMClient } from '../llm/llm-client.js';
import type { LLMInput } from '../llm/llm-input.js';
import type { Message } from '../llm/message.js';
import type { LLMStreamEvent } from '../llm/stream-event.js';
import type { Tool } from '../llm/tool.js';
import type { ConversationHistory } from '../memory/conversation-history.js';
import type { AgentInput } from './agent.js';
import { BaseAgent } from './base-agent.js';
import { conversationIdOf, userIdOf } from './conversation-id.js';

function scoped(signal: AbortSignal | undefined, userId: string | undefined) {
  return { ...(signal ? { signal } : {}), ...(userId ? { userId } : {}) };
}

/** Options of {@link ChatAgent}. */
export interface ChatAgentOptions {
  /** Tools the agent's model may call. */
  // biome-ignore lint/suspicious/noExplicitAny: tools of any argument type are accepted
  tools?: Record<string, Tool<any, unknown>>;
  /**
   * Conversation memory: with it, inputs carrying `metadata.conversationId` see the earlier
   * messages of that conversation, and each exchange is appended. With `metadata.userId`
   * (`StatefulOrchestrator` passes it) the history is that user's own: two users sharing a
   * conversation id never see each other's messages.
   */
  history?: ConversationHistory;
  /** @default 10 */
  maxTurns?: number;
  /** Time limit of one `process` call. */
  timeoutMs?: number | undefined;
  /** Checks of each message before (or alongside) the model call; see `LLMInput`. */
  inputGuardrails?: InputGuardrail[];
  /** Checks of each answer before it is returned (or remembered); see `LLMInput`. */
  outputGuardrails?: OutputGuardrail<string>[];
}

/**
 * A ready agent: a system prompt, optional tools and optional conversation memory; answers
 * with text, or streams.
 *
 * @example
 * ```ts
 * const agent = new ChatAgent(llm, 'You are a friendly support agent.', { history });
 * const reply = await agent.process({ message: 'Hi', metadata: { conversationId: 'c1' } });
 * ```
 */
export class ChatAgent extends BaseAgent<string> {
  readonly #options: ChatAgentOptions;

  constructor(llmClient: LLMClient, systemPrompt: string, options: ChatAgentOptions = {}) {
    super(llmClient, systemPrompt, { ...options });
    this.#options = options;
  }

  async process(input: AgentInput): Promise<string> {
    const { llmInput, conversationId, userId, prior } = await this.#prepare(input);
    const result = await this.llmClient.chat(llmInput);
    // `process` has no way to wait for a human: an empty answer here would be a silent lie.
    const waiting = result.pendingApprovals?.[0];
    if (result.status === 'pending-approval' && waiting) {
      throw new InvalidInputError(
        `tools.${waiting.toolName}`,
        "needs approval, which ChatAgent.process cannot wait for outside a workflow: run the agent in a workflow node (the run waits for the approval), or call the client's chat() and continue with resumeFrom",
      );
    }
    await this.#remember(conversationId, userId, result.messages.slice(prior), input.signal);
    return result.llmResponse;
  }

  /** Streams the answer; the exchange is remembered when the stream finishes. */
  async *stream(input: AgentInput): AsyncGenerator<LLMStreamEvent> {
    const { llmInput, conversationId, userId, prior } = await this.#prepare(input);
    for await (const event of this.llmClient.stream(llmInput)) {
      if (event.type === 'finish') {
        const said = event.result.messages.slice(prior);
        await this.#remember(conversationId, userId, said, input.signal);
      }
      yield event;
    }
  }

  async #prepare(input: AgentInput) {
    const { history, tools, maxTurns, timeoutMs, inputGuardrails, outputGuardrails } =
      this.#options;
    const conversationId = history ? conversationIdOf(input) : undefined;
    const userId = history ? userIdOf(input) : undefined;
    const messages: Message[] =
      history && conversationId
        ? await history.messages(conversationId, undefined, scoped(input.signal, userId))
        : [];
    const llmInput: LLMInput = {
      systemPrompt: this.systemPrompt,
      userMessage: input.message,
      messages,
      ...(tools ? { regularFunctions: tools } : {}),
      ...(maxTurns ? { maxTurns } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(inputGuardrails ? { inputGuardrails } : {}),
      ...(outputGuardrails ? { outputGuardrails } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    };
    return { llmInput, conversationId, userId, prior: messages.length };
  }

  async #remember(
    conversationId: string | undefined,
    userId: string | undefined,
    messages: Message[],
    signal: AbortSignal | undefined,
  ) {
    if (this.#options.history && conversationId) {
      await this.#options.history.append(conversationId, messages, scoped(signal, userId));
    }
  }
}
