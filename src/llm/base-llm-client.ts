import { AbortError } from '../errors/abort-error.js';
import { ArshaiError } from '../errors/arshai-error.js';
import { ProviderError } from '../errors/provider-error.js';
import type { RetryOptions } from '../resilience/retry.js';
import { type Logger, silentLogger } from '../utils/logger.js';
import { pushStream } from '../utils/push-stream.js';
import type { BackgroundTaskReport, BackgroundTasksSummary, LLMClient } from './llm-client.js';
import type { LLMConfig } from './llm-config.js';
import type { LLMInput } from './llm-input.js';
import type { LLMResult } from './llm-result.js';
import type { ToolCall } from './message.js';
import type { ModelAdapter } from './model-adapter.js';
import type { LLMStreamEvent } from './stream-event.js';
import type { Tool } from './tool.js';
import { type LoopContext, runToolLoop } from './tool-loop.js';

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
  /** Called when a background task settles, failures included. */
  onBackgroundTask?: (report: BackgroundTaskReport) => void;
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
  readonly #loop: LoopContext;
  readonly #pending = new Set<Promise<void>>();
  #settled: BackgroundTaskReport[] = [];
  readonly #onBackgroundTask: ((report: BackgroundTaskReport) => void) | undefined;

  constructor(adapter: ModelAdapter, config: LLMConfig, options: LLMClientOptions = {}) {
    this.adapter = adapter;
    this.config = config;
    this.#onBackgroundTask = options.onBackgroundTask;
    const logger = options.logger ?? silentLogger;
    this.#loop = {
      adapter,
      config,
      logger,
      retry: options.retry === false ? false : withRetryLog(options.retry ?? {}, logger, adapter),
      startBackground: (name, call, tool, args) => this.#startBackground(name, call, tool, args),
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
  async waitForBackgroundTasks(timeoutMs?: number): Promise<BackgroundTasksSummary> {
    const until = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    while (this.#pending.size > 0) {
      const all = Promise.all(this.#pending);
      if (until === undefined) {
        await all;
        continue;
      }
      const left = until - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), left);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) break;
    }
    const settled = this.#settled;
    this.#settled = [];
    return { settled, pending: this.#pending.size };
  }

  #startBackground(name: string, call: ToolCall, tool: Tool, args: unknown): void {
    const signal = tool.timeoutMs
      ? AbortSignal.timeout(tool.timeoutMs)
      : new AbortController().signal;
    const task = Promise.resolve()
      .then(() => tool.execute(args, { signal, toolCallId: call.id, toolName: name }))
      .then(
        (output) => this.#report({ name, toolCallId: call.id, status: 'fulfilled', output }),
        (error: unknown) => {
          const err = error instanceof Error ? error : new Error(String(error));
          this.#loop.logger.warn('arshai: background task failed', {
            task: name,
            toolCallId: call.id,
            error: err.name,
          });
          this.#report({ name, toolCallId: call.id, status: 'rejected', error: err });
        },
      )
      .finally(() => this.#pending.delete(task));
    this.#pending.add(task);
  }

  #report(report: BackgroundTaskReport): void {
    this.#settled.push(report);
    try {
      this.#onBackgroundTask?.(report);
    } catch (error) {
      this.#loop.logger.error('arshai: onBackgroundTask callback threw', {
        error: error instanceof Error ? error.name : typeof error,
      });
    }
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
      options.onRetry?.(event);
    },
  };
}
