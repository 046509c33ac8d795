import type { Agent } from '../agents/agent.js';
import type { MemoryKey, MemoryManager } from '../memory/memory-types.js';
import { assertId } from '../memory/memory-validation.js';
import { createLimiter, type Limiter } from '../utils/limiter.js';

/** One line of a conversation's history. */
export type HistoryEntry =
  | { message: string; timestamp: string }
  | { response: unknown; timestamp: string };

/** The state kept per user and conversation. */
export interface OrchestrationState {
  conversationId: string;
  userId: string;
  interactionCount: number;
  history: HistoryEntry[];
  context: Record<string, unknown>;
  createdAt: string;
}

/** Options of {@link StatefulOrchestrator}. */
export interface StatefulOrchestratorOptions {
  /**
   * Interactions (message + response) included in the context the agent sees.
   * @default 5
   */
  historyWindow?: number;
  /**
   * Interactions kept in the stored history (older ones are dropped).
   * @default 100
   */
  maxHistory?: number;
  /** Clock, for tests. @default () => new Date() */
  now?: () => Date;
}

/**
 * Pattern 4, stateful orchestration: per user and conversation, the interaction count,
 * history and context are persisted through a `MemoryManager` (so another process with the
 * same SQLite file or Redis continues the conversation). Calls on one conversation run one at
 * a time; the state is written with an atomic update, so none is lost.
 *
 * @example
 * ```ts
 * const chat = new StatefulOrchestrator(agent, new SqliteMemoryManager());
 * await chat.execute('user-1', 'conv-1', 'Hello');
 * ```
 */
export class StatefulOrchestrator<O = unknown> {
  readonly agent: Agent<O>;
  readonly memoryManager: MemoryManager;
  readonly #window: number;
  readonly #max: number;
  readonly #now: () => Date;
  readonly #locks = new Map<string, { limit: Limiter; users: number }>();

  constructor(
    agent: Agent<O>,
    memoryManager: MemoryManager,
    options: StatefulOrchestratorOptions = {},
  ) {
    this.agent = agent;
    this.memoryManager = memoryManager;
    this.#window = options.historyWindow ?? 5;
    this.#max = options.maxHistory ?? 100;
    this.#now = options.now ?? (() => new Date());
  }

  /** Processes `message` in the conversation's context and records the exchange. */
  async execute(
    userId: string,
    conversationId: string,
    message: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<O> {
    assertId(userId, 'userId');
    assertId(conversationId, 'conversationId');
    return this.#serialised(`${userId}\u0000${conversationId}`, async () => {
      const key = this.#key(userId, conversationId);
      const state =
        (await this.getState(userId, conversationId, options)) ??
        this.#fresh(userId, conversationId);
      const asked = { message, timestamp: this.#now().toISOString() };
      const result = await this.agent.process({
        message,
        metadata: {
          userId,
          conversationId,
          interactionCount: state.interactionCount + 1,
          context: buildContext([...state.history, asked], this.#window),
        },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const answered = { response: result, timestamp: this.#now().toISOString() };
      await this.memoryManager.update<OrchestrationState>(
        key,
        (current) => {
          const base = current?.content ?? this.#fresh(userId, conversationId);
          const history = [...base.history, asked, answered].slice(-this.#max * 2);
          return { content: { ...base, interactionCount: base.interactionCount + 1, history } };
        },
        { signal: options.signal },
      );
      return result;
    });
  }

  /** The stored state of a conversation, if any. */
  async getState(
    userId: string,
    conversationId: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<OrchestrationState | undefined> {
    const key = this.#key(userId, conversationId);
    const entries = await this.memoryManager.retrieve<OrchestrationState>(
      { conversationId: key.conversationId, type: key.type },
      options,
    );
    return entries.find((e) => e.id === key.id)?.content;
  }

  #key(userId: string, conversationId: string): MemoryKey {
    return { conversationId, type: 'working', id: `orchestration-state.${userId}` };
  }

  #fresh(userId: string, conversationId: string): OrchestrationState {
    return {
      conversationId,
      userId,
      interactionCount: 0,
      history: [],
      context: {},
      createdAt: this.#now().toISOString(),
    };
  }

  async #serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
    let lock = this.#locks.get(key);
    if (!lock) {
      lock = { limit: createLimiter(1), users: 0 };
      this.#locks.set(key, lock);
    }
    lock.users++;
    try {
      return await lock.limit(work);
    } finally {
      if (--lock.users === 0) this.#locks.delete(key);
    }
  }
}

/** The last `window` interactions as `User:` / `Assistant:` lines. */
export function buildContext(history: HistoryEntry[], window: number): string {
  return history
    .slice(-window * 2)
    .map((e) =>
      'message' in e
        ? `User: ${e.message}`
        : `Assistant: ${typeof e.response === 'string' ? e.response : JSON.stringify(e.response)}`,
    )
    .join('\n');
}
