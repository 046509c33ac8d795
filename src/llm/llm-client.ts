import type { LLMInput } from './llm-input.js';
import type { LLMResult } from './llm-result.js';
import type { LLMStreamEvent } from './stream-event.js';

/** A background task that settled, as `waitForBackgroundTasks` and `onBackgroundTask` report it. */
export interface BackgroundTaskReport {
  name: string;
  toolCallId: string;
  status: 'fulfilled' | 'rejected';
  /** The task's return value when fulfilled. */
  output?: unknown;
  /** The failure when rejected. */
  error?: Error;
}

/** What `waitForBackgroundTasks` resolves to. */
export interface BackgroundTasksSummary {
  /** Tasks that settled since the previous wait, failures included. */
  settled: BackgroundTaskReport[];
  /** Tasks still running when the wait ended (only on timeout). */
  pending: number;
  /** Settled reports dropped since the previous wait, because the buffer was full. */
  dropped?: number;
}

/**
 * The one interface over every model provider.
 *
 * @example
 * ```ts
 * const result = await client.chat({ systemPrompt: 'Be brief.', userMessage: 'Hi' });
 * console.log(result.llmResponse, result.usage.totalTokens);
 * ```
 */
export interface LLMClient {
  /** Runs the tool loop to the final answer. */
  chat<T = string>(input: LLMInput<T>): Promise<LLMResult<T>>;
  /** Same as `chat`, as a stream of events ending in `finish` (or `error`). */
  stream<T = string>(input: LLMInput<T>): AsyncIterable<LLMStreamEvent<T>>;
  /**
   * Waits until every background task started by this client settles, or `timeoutMs` passes.
   * Never cancels the tasks.
   */
  waitForBackgroundTasks(timeoutMs?: number): Promise<BackgroundTasksSummary>;
}
