import type { Message } from '../llm/message.js';
import { assertId } from '../utils/ids.js';
import type { MemoryCallOptions, MemoryEntry, MemoryManager } from './memory-types.js';

/** Options of {@link ConversationHistory}. */
export interface ConversationHistoryOptions {
  /**
   * How many of the newest messages `messages()` returns by default.
   * @default 20
   */
  window?: number;
  /**
   * Which history of the conversation this is, when several live side by side (the
   * `StatefulOrchestrator` keeps its own, apart from its agent's).
   * @default 'message'
   */
  kind?: string;
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
  readonly #kind: string;

  constructor(memory: MemoryManager, options: ConversationHistoryOptions = {}) {
    this.memory = memory;
    this.#window = options.window ?? 20;
    this.#kind = options.kind ?? 'message';
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
          metadata: { kind: this.#kind, role: message.role, ...(user ? { user } : {}) },
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
    const messages = (await this.entries(conversationId, limit, options)).map((e) => e.content);
    // Never start with tool results whose calls fell out of the window.
    while (messages[0]?.role === 'tool') messages.shift();
    return messages;
  }

  /** The newest `limit` stored messages with their entries (when each was stored), oldest first. */
  entries(
    conversationId: string,
    limit: number | undefined,
    options?: ConversationHistoryCallOptions,
  ): Promise<MemoryEntry<Message>[]> {
    return this.memory.retrieve<Message>(
      {
        conversationId,
        type: 'short-term',
        filters: this.#filter(options),
        ...(limit === undefined ? {} : { limit }),
      },
      options,
    );
  }

  /** Keeps the newest `keep` messages and forgets older ones. */
  async trim(
    conversationId: string,
    keep: number,
    options?: ConversationHistoryCallOptions,
  ): Promise<void> {
    const entries = await this.entries(conversationId, undefined, options);
    for (const e of entries.slice(0, Math.max(0, entries.length - keep))) {
      await this.memory.delete({ conversationId, type: 'short-term', id: e.id }, options);
    }
  }

  /** Forgets the conversation's messages. */
  async clear(conversationId: string, options?: ConversationHistoryCallOptions): Promise<void> {
    await this.trim(conversationId, 0, options);
  }

  /** This history's messages of the user; without a user, those stored without one. */
  #filter(options: ConversationHistoryCallOptions | undefined) {
    return { kind: this.#kind, user: checkedUser(options) };
  }
}

function checkedUser(options: ConversationHistoryCallOptions | undefined): string | undefined {
  if (options?.userId !== undefined) assertId(options.userId, 'userId');
  return options?.userId;
}
