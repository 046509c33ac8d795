import type { Message } from '../llm/message.js';
import type { MemoryCallOptions, MemoryManager } from './memory-types.js';

/** Options of {@link ConversationHistory}. */
export interface ConversationHistoryOptions {
  /**
   * How many of the newest messages `messages()` returns by default.
   * @default 20
   */
  window?: number;
}

/**
 * The messages of a conversation, kept in a `MemoryManager` as short-term entries, ready for
 * `LLMInput.messages`.
 *
 * @example
 * ```ts
 * const history = new ConversationHistory(new InMemoryManager());
 * await history.append('c1', [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }]);
 * const messages = await history.messages('c1'); // Message[]
 * ```
 */
export class ConversationHistory {
  readonly memory: MemoryManager;
  readonly #window: number;

  constructor(memory: MemoryManager, options: ConversationHistoryOptions = {}) {
    this.memory = memory;
    this.#window = options.window ?? 20;
  }

  /** Appends messages in order. */
  async append(
    conversationId: string,
    messages: Message[],
    options?: MemoryCallOptions,
  ): Promise<void> {
    for (const message of messages) {
      await this.memory.store(
        {
          conversationId,
          type: 'short-term',
          content: message,
          metadata: { kind: 'message', role: message.role },
        },
        options,
      );
    }
  }

  /** The newest `limit` messages, oldest first. */
  async messages(
    conversationId: string,
    limit = this.#window,
    options?: MemoryCallOptions,
  ): Promise<Message[]> {
    const entries = await this.memory.retrieve<Message>(
      { conversationId, type: 'short-term', filters: { kind: 'message' }, limit },
      options,
    );
    const messages = entries.map((e) => e.content);
    // Never start with tool results whose calls fell out of the window.
    while (messages[0]?.role === 'tool') messages.shift();
    return messages;
  }

  /** Forgets the conversation's messages. */
  async clear(conversationId: string, options?: MemoryCallOptions): Promise<void> {
    const entries = await this.memory.retrieve(
      { conversationId, type: 'short-term', filters: { kind: 'message' } },
      options,
    );
    for (const e of entries)
      await this.memory.delete({ conversationId, type: 'short-term', id: e.id }, options);
  }
}
