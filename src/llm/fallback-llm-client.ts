import { AbortError } from '../errors/abort-error.js';
import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { AllAttemptsFailedError } from '../resilience/resilience-errors.js';
import { throwIfAborted } from '../utils/abort.js';
import { type Logger, silentLogger } from '../utils/logger.js';
import { Pause } from '../utils/pause.js';
import type { BackgroundTasksSummary, LLMClient } from './llm-client.js';
import type { LLMInput } from './llm-input.js';
import type { LLMResult } from './llm-result.js';
import type { LLMStreamEvent } from './stream-event.js';

/** A move from one client to the next, as `onFallback` reports it. */
export interface FallbackEvent {
  /** Index of the client that failed. */
  from: number;
  /** Index of the client tried next. */
  to: number;
  error: unknown;
}

/** Options of {@link FallbackLLMClient}. */
export interface FallbackLLMClientOptions {
  /**
   * Whether a client's failure moves the call on to the next client.
   * @default retryable errors (outages, rate limits, an open circuit) that are not aborts: a
   * 400 or 401 is the caller's to see, and the caller's own abort or time limit ends the call
   */
  shouldFallback?: (error: unknown, index: number) => boolean;
  /** Called before each move to the next client. */
  onFallback?: (event: FallbackEvent) => void;
  /** Receives a warning for each fallback (never prompts or keys). @default silent */
  logger?: Logger;
}

function defaultShouldFallback(error: unknown): boolean {
  return ArshaiError.isInstance(error) && error.retryable && !AbortError.isInstance(error);
}

/**
 * An `LLMClient` over an ordered list of clients — "GPT, then Claude": each call goes to the
 * first client, and to the next one when it fails with a retryable error (after that client's
 * own retries), or with an error `shouldFallback` accepts. A stream falls back only before it
 * has produced anything (text, a tool call, usage); after that its failure is the caller's.
 * The result's `usage` names the model that answered, and `fallback` says which client it was
 * and what failed before. Give each client a `circuitBreaker` so a provider that keeps failing
 * is skipped at once. When every client fails, `AllAttemptsFailedError` carries each failure.
 *
 * @example
 * ```ts no-run
 * const llm = new FallbackLLMClient([
 *   new OpenAIClient({ model: 'gpt-4o-mini', circuitBreaker: new CircuitBreaker() }),
 *   new AnthropicClient({ model: 'claude-sonnet-4-5' }),
 * ]);
 * const { llmResponse, usage } = await llm.chat({ systemPrompt: 'Be brief.', userMessage: 'Hi' });
 * console.log(usage.provider, usage.model); // whichever answered
 * ```
 */
export class FallbackLLMClient implements LLMClient {
  readonly clients: readonly LLMClient[];
  readonly #shouldFallback: (error: unknown, index: number) => boolean;
  readonly #onFallback: ((event: FallbackEvent) => void) | undefined;
  readonly #logger: Logger;

  constructor(clients: LLMClient[], options: FallbackLLMClientOptions = {}) {
    if (!Array.isArray(clients) || clients.length === 0) {
      throw new InvalidInputError('clients', 'at least one LLM client is required');
    }
    this.clients = Object.freeze([...clients]);
    this.#shouldFallback = options.shouldFallback ?? defaultShouldFallback;
    this.#onFallback = options.onFallback;
    this.#logger = options.logger ?? silentLogger;
  }

  async chat<T = string>(input: LLMInput<T>): Promise<LLMResult<T>> {
    const errors: unknown[] = [];
    for (const [index, client] of this.clients.entries()) {
      throwIfAborted(input?.signal);
      try {
        const result = await client.chat(input);
        return index === 0 ? result : { ...result, fallback: { index, errors } };
      } catch (error) {
        this.#moveOn(error, index, input?.signal);
        errors.push(error);
      }
    }
    throw new AllAttemptsFailedError(errors, 'model clients');
  }

  async *stream<T = string>(input: LLMInput<T>): AsyncGenerator<LLMStreamEvent<T>> {
    const errors: unknown[] = [];
    for (const [index, client] of this.clients.entries()) {
      throwIfAborted(input?.signal);
      const iterator = client.stream(input)[Symbol.asyncIterator]();
      // `turn-start` says nothing of the model yet: it is held until something real comes.
      const held: LLMStreamEvent<T>[] = [];
      let committed = false;
      try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          const event = next.value;
          if (!committed) {
            if (event.type === 'turn-start') {
              held.push(event);
              continue;
            }
            if (event.type === 'error') throw event.error;
            committed = true;
            yield* held;
          }
          yield event.type === 'finish' && index > 0
            ? { ...event, result: { ...event.result, fallback: { index, errors } } }
            : event;
        }
        return;
      } catch (error) {
        if (committed) throw error;
        try {
          this.#moveOn(error, index, input?.signal);
        } catch (final) {
          yield { type: 'error', error: typed(final) };
          throw final;
        }
        errors.push(error);
      } finally {
        await iterator.return?.(undefined);
      }
    }
    const failure = new AllAttemptsFailedError(errors, 'model clients');
    yield { type: 'error', error: failure };
    throw failure;
  }

  /** Waits for the background tasks of every client. */
  async waitForBackgroundTasks(timeoutMs?: number): Promise<BackgroundTasksSummary> {
    const all = await Promise.all(this.clients.map((c) => c.waitForBackgroundTasks(timeoutMs)));
    return {
      settled: all.flatMap((s) => s.settled),
      pending: all.reduce((n, s) => n + s.pending, 0),
    };
  }

  /** Returns when the next client should be tried; throws `error` when not. */
  #moveOn(error: unknown, index: number, signal: AbortSignal | undefined): void {
    if (signal?.aborted || Pause.isInstance(error) || !this.#shouldFallback(error, index))
      throw error;
    if (index === this.clients.length - 1) return; // the caller throws AllAttemptsFailedError
    this.#logger.warn('arshai: falling back to the next model client', {
      from: index,
      to: index + 1,
      error: error instanceof Error ? error.name : typeof error,
      status: (error as { status?: unknown } | null)?.status,
    });
    this.#onFallback?.({ from: index, to: index + 1, error });
  }
}

function typed(error: unknown): ArshaiError {
  return ArshaiError.isInstance(error)
    ? error
    : new ProviderError(String(error), { provider: 'fallback', cause: error, retryable: false });
}
