import { AbortError } from '../errors/abort-error.js';
import { ArshaiError } from '../errors/arshai-error.js';
import { ProviderError } from '../errors/provider-error.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { currentSpan, resolveTelemetry } from '../telemetry/spans.js';
import type { TelemetryOptions } from '../telemetry/telemetry-types.js';
import { type Logger, silentLogger } from '../utils/logger.js';
import { pushStream } from '../utils/push-stream.js';
import type { RetryOptions } from '../utils/retry.js';
import { Pause } from './approval-gate.js';
import { BackgroundTasks } from './background-tasks.js';
import type { BackgroundTaskReport, BackgroundTasksSummary, LLMClient } from './llm-client.js';
import type { LLMConfig } from './llm-config.js';
import type { LLMInput } from './llm-input.js';
import type { LLMResult } from './llm-result.js';
import type { ModelAdapter } from './model-adapter.js';
import type { LoopContext } from './model-call.js';
import type { Pricing } from './pricing.js';
import type { LLMStreamEvent } from './stream-event.js';
import { runToolLoop } from './tool-loop.js';

/** Options every LLM client takes. */
export interface LLMClientOptions {
  /**
   * Receives warnings (retries, failed background tasks). Never given prompts or arguments.
   * @default silent
   */
  logger?: Logger;
  /**
   * Retries of model calls on retryable provider errors (429, 5xx, connection failures),
   * honouring `Retry-After`. A stream is retried only before its first event. `false` disables.
   * @default { maxRetries: 2, initialDelayMs: 500 }
   */
  retry?: RetryOptions | false;
  /** Called when a background task settles, failures included (ignored with `backgroundTasks`). */
  onBackgroundTask?: (report: BackgroundTaskReport) => void;
  /**
   * Where this client's background tasks run and report (share one between clients).
   * @default a `BackgroundTasks` of the client's own, with this client's logger and `onBackgroundTask`
   */
  backgroundTasks?: BackgroundTasks;
  /**
   * A circuit breaker (from the resilience toolkit) every model call goes through, outside
   * the retries: once it opens, calls fail at once with a retryable `CircuitOpenError`, so a
   * `FallbackLLMClient` skips this provider without waiting. Count only outages, e.g.
   * `new CircuitBreaker({ isFailure: (e) => ProviderError.isInstance(e) && e.retryable })`.
   * Share one breaker between clients of one provider to trip them together.
   * @default none
   */
  circuitBreaker?: CircuitBreaker;
  /**
   * Values masked (exact value, wherever it appears) in every error this client raises and in
   * their cause chains: provider clients pass their API key. Add your own (a proxy token).
   * @default none
   */
  secrets?: readonly string[];
  /**
   * Prices of models, so that every result's `usage.costUsd` says what the call cost (a cost
   * the provider reports, like OpenRouter's, wins). A model without a price is counted in
   * `usage.unpriced`: its cost is unknown, never 0.
   * @default none: costs are not computed
   */
  pricing?: Pricing;
  /**
   * OpenTelemetry: a `chat {model}` span per model call and an `execute_tool {name}` span per
   * tool call (GenAI semantic conventions), metrics with a meter. Content stays out unless
   * `recordContent`. Agents and patterns use their client's.
   * @default none: no span, no metric
   */
  telemetry?: TelemetryOptions;
}

/**
 * The `LLMClient` every provider shares: it runs the one tool loop over a provider's
 * `ModelAdapter`. Provider clients (`OpenAIClient`, `AnthropicClient`, ...) extend it.
 *
 * @example
 * ```ts
 * const client = new BaseLLMClient(myAdapter, { model: 'my-model' });
 * const { llmResponse } = await client.chat({ systemPrompt: 'Be brief.', userMessage: 'Hi' });
 * ```
 */
export class BaseLLMClient implements LLMClient {
  readonly config: LLMConfig;
  readonly adapter: ModelAdapter;
  /** The background tasks this client starts. */
  readonly backgroundTasks: BackgroundTasks;
  /** The client's telemetry (agents and patterns over this client trace with it). */
  readonly telemetry: TelemetryOptions | undefined;
  readonly #loop: LoopContext;

  constructor(adapter: ModelAdapter, config: LLMConfig, options: LLMClientOptions = {}) {
    this.adapter = adapter;
    this.config = config;
    const logger = options.logger ?? silentLogger;
    const tasks =
      options.backgroundTasks ??
      new BackgroundTasks({
        logger,
        ...(options.onBackgroundTask ? { onSettled: options.onBackgroundTask } : {}),
      });
    this.backgroundTasks = tasks;
    this.telemetry = resolveTelemetry(options.telemetry);
    this.#loop = {
      adapter,
      config,
      logger,
      retry: options.retry === false ? false : withRetryLog(options.retry ?? {}, logger, adapter),
      secrets: options.secrets ?? [],
      ...(options.circuitBreaker ? { breaker: options.circuitBreaker } : {}),
      ...(options.pricing ? { pricing: options.pricing } : {}),
      ...(this.telemetry ? { telemetry: this.telemetry } : {}),
      startBackground: (name, call, tool, args) => tasks.start(name, call, tool, args),
    };
  }

  /** Runs the tool loop to the final answer. */
  chat<T = string>(input: LLMInput<T>): Promise<LLMResult<T>> {
    return runToolLoop(this.#loop, input, undefined, false);
  }

  /** Runs the tool loop as a stream of events ending in `finish`, or `error` then a throw. */
  stream<T = string>(input: LLMInput<T>): AsyncGenerator<LLMStreamEvent<T>> {
    return pushStream<LLMStreamEvent<T>, LLMResult<T>>(
      (emit, signal) => runToolLoop(this.#loop, { ...input, signal }, emit, true),
      (result) => ({ type: 'finish', result }),
      (failure) => {
        // A paused workflow node is not a failure of the stream: it just ends there.
        if (Pause.isInstance(failure)) return { thenThrow: failure };
        const error = ArshaiError.isInstance(failure)
          ? failure
          : new ProviderError(String(failure), { provider: this.adapter.provider, cause: failure });
        return { event: { type: 'error', error }, thenThrow: error };
      },
      {
        signal: input.signal,
        stopReason: () => new AbortError('The stream consumer stopped reading'),
      },
    );
  }

  /** Waits for background tasks to settle (or `timeoutMs`), without cancelling them. */
  waitForBackgroundTasks(timeoutMs?: number): Promise<BackgroundTasksSummary> {
    return this.backgroundTasks.wait(timeoutMs);
  }

  /**
   * Aborts the background tasks still running and waits for them to settle (or for `signal`).
   * Calls already made are not affected; the client starts no background task afterwards.
   */
  close(signal?: AbortSignal): Promise<BackgroundTasksSummary> {
    return this.backgroundTasks.close(signal);
  }
}

function withRetryLog(options: RetryOptions, logger: Logger, adapter: ModelAdapter): RetryOptions {
  return {
    ...options,
    onRetry: (event) => {
      logger.warn('arshai: retrying model call', {
        provider: adapter.provider,
        attempt: event.attempt,
        delayMs: Math.round(event.delayMs),
        status: (event.error as { status?: number } | null)?.status,
      });
      currentSpan()?.addEvent('gen_ai.retry', {
        attempt: event.attempt,
        'retry.delay_ms': Math.round(event.delayMs),
        'error.type': (event.error as Error | null)?.name ?? 'Error',
      });
      options.onRetry?.(event);
    },
  };
}
