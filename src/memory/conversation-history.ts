import type { Message } from '../llm/message.js';
import { assertId } from '../utils/ids.js';
import type { MemoryCallOptions, MemoryManager } from './memory-types.js';

/** Options of {@link ConversationHistory}. */
export interface ConversationHistoryOptions {
  /**
   * How many of the newest messages `messages()` returns by default.
   * @default 20
   */
  window?: number;
}

/** Per-call options of {@link ConversationHistory}. */
export interface ConversationHistoryCallOptions extends MemoryCallOptions {
  /**
   * Whose messages: with a user, a conversation id shared by two users holds two separate
   * histories, and one user never reads the other's. Without one, only messages stored
   * without a user are read.
   */
  userId?: string;
}

/**
 * The messages of a conversation, kept in a `MemoryManager` as short-term entries, ready for
 * `LLMInput.messages`. Messages stored for a user (`userId`) are that user's only.
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
    options?: ConversationHistoryCallOptions,
  ): Promise<void> {
    const user = checkedUser(options);
    for (const message of messages) {
      await this.memory.store(
        {
          conversationId,
          type: 'short-term',
          content: message,
          metadata: { kind: 'message', role: message.role, ...(user ? { user } : {}) },
        },
        options,
      );
    }
  }

  /** The newest `limit` messages, oldest first. */
  async messages(
    conversationId: string,
    limit = this.#window,
    options?: ConversationHistoryCallOptions,
  ): Promise<Message[]> {
    const entries = await this.memory.retrieve<Message>(
      { conversationId, type: 'short-term', filters: messageFilter(options), limit },
      options,
    );
    const messages = entries.map((e) => e.content);
    // Never start with tool results whose calls fell out of the window.
    while (messages[0]?.role === 'tool') messages.shift();
    return messages;
  }

  /** Forgets the conversation's messages. */
  async clear(conversationId: string, options?: ConversationHistoryCallOptions): Promise<void> {
    const entries = await this.memory.retrieve(
      { conversationId, type: 'short-term', filters: messageFilter(options) },
      options,
    );
    for (const e of entries)
      await this.memory.delete({ conversationId, type: 'short-term', id: e.id }, options);
  }
}

function checkedUser(options: ConversationHistoryCallOptions | undefined): string | undefined {
  if (options?.userId !== undefined) assertId(options.userId, 'userId');
  return options?.userId;
}

/** The user's messages; without a user, the messages stored without one (`user` absent). */
function messageFilter(options: ConversationHistoryCallOptions | undefined) {
  return { kind: 'message', user: checkedUser(options) };
}
