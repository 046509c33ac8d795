import type { Agent, AgentInput } from '../agents/agent.js';
import { callAgent } from '../agents/call-agent.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { ConversationHistory } from '../memory/conversation-history.js';
import type { MemoryKey, MemoryManager } from '../memory/memory-types.js';
import { checkKey } from '../memory/memory-validation.js';
import { deadline, raceAbort } from '../utils/abort.js';
import { assertId } from '../utils/ids.js';
import { createLimiter, type Limiter } from '../utils/limiter.js';
import { checkCount, checkTimeoutMs } from '../utils/option-checks.js';
import { outputToMessage } from './agent-output.js';

/** One line of a conversation's history (a response is its text: JSON for non-strings). */
export type HistoryEntry =
  | { message: string; timestamp: string }
  | { response: unknown; timestamp: string };

/**
 * The state kept per user and conversation. `history` is read from the conversation's
 * `ConversationHistory` (the one store of conversation messages), oldest first.
 */
export interface OrchestrationState {
  conversationId: string;
  userId: string;
  interactionCount: number;
  history: HistoryEntry[];
  context: Record<string, unknown>;
  createdAt: string;
}

/** What is stored in the state record; `history` only in records of earlier versions. */
type StateRecord = Omit<OrchestrationState, 'history'> & { history?: HistoryEntry[] };

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
  /**
   * Time limit of each `execute` call, waiting for the conversation's turn included: past it
   * the agent's signal aborts, the call rejects with `TimeoutError` and the conversation is
   * free for the next call (a hung agent cannot block it). Per call: `execute(..., { timeoutMs })`.
   * @default no limit
   */
  timeoutMs?: number | undefined;
  /** Clock, for tests. @default () => new Date() */
  now?: () => Date;
}

/** Per-call options of {@link StatefulOrchestrator.execute}. */
export interface StatefulCallOptions {
  /** Cancels the call: waiting for the conversation's turn, the agent, the state write. */
  signal?: AbortSignal | undefined;
  /** Overrides the orchestrator's `timeoutMs` for this call. */
  timeoutMs?: number | undefined;
}

const STATE_ID_PREFIX = 'orchestration-state.';

/**
 * Pattern 4, stateful orchestration: per user and conversation, the interaction count,
 * history and context are persisted through a `MemoryManager` (so another process with the
 * same SQLite file or Redis continues the conversation). Calls on one conversation run one at
 * a time; the state is written with an atomic update, so none is lost. Ids are checked before
 * the agent runs, with the memory managers' own rule. A call whose signal fires (or whose
 * `timeoutMs` passes) rejects at once, also while it waits for its turn.
 *
 * @example
 * ```ts
 * const chat = new StatefulOrchestrator(agent, new SqliteMemoryManager());
 * await chat.execute('user-1', 'conv-1', 'Hello');
 * ```
 */
export class StatefulOrchestrator<O = unknown> implements Agent<O> {
  readonly agent: Agent<O>;
  readonly memoryManager: MemoryManager;
  readonly #window: number;
  readonly #max: number;
  readonly #now: () => Date;
  readonly #timeoutMs: number | undefined;
  /** The exchanges, kept apart from any history the agent keeps itself. */
  readonly #history: ConversationHistory;
  readonly #locks = new Map<string, { limit: Limiter; users: number }>();

  constructor(
    agent: Agent<O>,
    memoryManager: MemoryManager,
    options: StatefulOrchestratorOptions = {},
  ) {
    this.agent = agent;
    this.memoryManager = memoryManager;
    checkCount(options.historyWindow, 'historyWindow', 0);
    checkCount(options.maxHistory, 'maxHistory');
    checkTimeoutMs(options.timeoutMs, 'timeoutMs');
    this.#window = options.historyWindow ?? 5;
    this.#max = options.maxHistory ?? 100;
    this.#now = options.now ?? (() => new Date());
    this.#timeoutMs = options.timeoutMs;
    this.#history = new ConversationHistory(memoryManager, { kind: 'orchestration' });
  }

  /** As an agent: the input's `metadata.userId` and `metadata.conversationId` name the conversation. */
  async process(input: AgentInput): Promise<O> {
    const { userId, conversationId } = input.metadata ?? {};
    if (typeof userId !== 'string') throw new InvalidInputError('metadata.userId', 'is required');
    if (typeof conversationId !== 'string') {
      throw new InvalidInputError('metadata.conversationId', 'is required');
    }
    return this.execute(
      userId,
      conversationId,
      input.message,
      input.signal ? { signal: input.signal } : {},
    );
  }

  /** Processes `message` in the conversation's context and records the exchange. */
  async execute(
    userId: string,
    conversationId: string,
    message: string,
    options: StatefulCallOptions = {},
  ): Promise<O> {
    const key = this.#key(userId, conversationId);
    checkTimeoutMs(options.timeoutMs, 'timeoutMs');
    const limit = deadline(
      options.signal,
      options.timeoutMs ?? this.#timeoutMs,
      'The stateful orchestrator call',
    );
    const { signal } = limit;
    try {
      return await this.#serialised(`${userId}\u0000${conversationId}`, signal, () =>
        this.#interact(key, userId, conversationId, message, signal),
      );
    } finally {
      limit.dispose();
    }
  }

  async #interact(
    key: MemoryKey,
    userId: string,
    conversationId: string,
    message: string,
    signal: AbortSignal,
  ): Promise<O> {
    const scope = { signal, userId };
    const state =
      (await this.getState(userId, conversationId, { signal })) ??
      this.#fresh(userId, conversationId);
    const asked = { message, timestamp: this.#now().toISOString() };
    const result = await callAgent(
      this.agent,
      {
        message,
        metadata: {
          userId,
          conversationId,
          interactionCount: state.interactionCount + 1,
          context: buildContext([...state.history, asked], this.#window),
        },
        signal,
      },
      {
        name: this.agent.constructor?.name ?? 'agent',
        attributes: { 'arshai.interaction': state.interactionCount + 1 },
      },
    );
    await this.#history.append(
      conversationId,
      [
        { role: 'user', content: message },
        { role: 'assistant', content: outputToMessage(result) },
      ],
      scope,
    );
    await this.memoryManager.update<StateRecord>(
      key,
      (current) => {
        const base: StateRecord = current?.content ?? this.#record(userId, conversationId);
        return { content: { ...base, interactionCount: base.interactionCount + 1 } };
      },
      { signal },
    );
    await this.#history.trim(conversationId, this.#max * 2, scope);
    return result;
  }

  /** The stored state of a conversation, if any. */
  async getState(
    userId: string,
    conversationId: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<OrchestrationState | undefined> {
    const key = this.#key(userId, conversationId);
    const entries = await this.memoryManager.retrieve<StateRecord>(
      { conversationId: key.conversationId, type: key.type },
      options,
    );
    const record = entries.find((e) => e.id === key.id)?.content;
    if (!record) return undefined;
    const stored = await this.#history.entries(conversationId, this.#max * 2, {
      ...options,
      userId,
    });
    const history: HistoryEntry[] = stored.map((e) => {
      const timestamp = new Date(e.createdAt).toISOString();
      return e.content.role === 'user'
        ? { message: String(e.content.content), timestamp }
        : { response: e.content.content, timestamp };
    });
    // Records of earlier versions kept their history inline: it comes first.
    return { ...record, history: [...(record.history ?? []), ...history] };
  }

  /** The memory key of a conversation's state, checked whole with the memory managers' rule. */
  #key(userId: string, conversationId: string): MemoryKey {
    assertId(userId, 'userId');
    assertId(conversationId, 'conversationId');
    const key: MemoryKey = { conversationId, type: 'working', id: `${STATE_ID_PREFIX}${userId}` };
    try {
      checkKey(key);
    } catch (error) {
      throw new InvalidInputError(
        'userId',
        `cannot name a stored state ("${STATE_ID_PREFIX}<userId>" must be a valid memory id: ` +
          `at most ${128 - STATE_ID_PREFIX.length} characters, no leading "." and no "..")`,
        { cause: error },
      );
    }
    return key;
  }

  #fresh(userId: string, conversationId: string): OrchestrationState {
    return { ...this.#record(userId, conversationId), history: [] };
  }

  #record(userId: string, conversationId: string): StateRecord {
    return {
      conversationId,
      userId,
      interactionCount: 0,
      context: {},
      createdAt: this.#now().toISOString(),
    };
  }

  async #serialised<T>(
    key: string,
    signal: AbortSignal | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    let lock = this.#locks.get(key);
    if (!lock) {
      lock = { limit: createLimiter(1), users: 0 };
      this.#locks.set(key, lock);
    }
    lock.users++;
    try {
      // Waiting for the turn honours the signal; a call that gives up frees its turn.
      return await lock.limit(() => raceAbort(work(), signal), signal);
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
