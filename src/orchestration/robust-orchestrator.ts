import type { Agent } from '../agents/agent.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { linkedController, raceAbort, sleep, throwIfAborted } from '../utils/abort.js';
import { checkCount, checkTimeoutMs } from '../utils/option-checks.js';
import { retryDelay } from '../utils/retry.js';
import { asError } from './agent-output.js';
import { type AgentAttemptError, AllAgentsFailedError } from './orchestration-errors.js';

/** Options of {@link RobustOrchestrator.execute}; defaults as in the seed. */
export interface RobustOptions {
  /**
   * Retries of the primary agent after its first attempt (`0`: exactly one attempt).
   * @default 3
   */
  maxRetries?: number;
  /**
   * Base delay before a retry, in milliseconds; doubled each retry, with jitter.
   * @default 1000
   */
  retryDelay?: number;
  /**
   * Time limit of each attempt: past it the agent's signal aborts (its LLM call stops).
   * @default 10000
   */
  timeoutMs?: number;
  /** @default true */
  jitter?: boolean;
  signal?: AbortSignal;
  metadata?: Record<string, unknown>;
}

/** What a robust execution returns. */
export interface RobustResult<O> {
  result: O;
  /** Which agent answered. */
  agent: 'primary' | `fallback_${number}`;
  /** Attempts made in all, fallbacks included. */
  attempts: number;
  /** The primary's last error, when a fallback answered. */
  originalError?: Error;
  /** Every failed attempt, in order. */
  errors: AgentAttemptError[];
}

/**
 * Pattern 7, retry and fallback: the primary agent is retried with exponential backoff and
 * jitter, each attempt under a timeout that really aborts its work; then each fallback gets
 * one attempt, in order. When every agent fails, `AllAgentsFailedError` carries all errors.
 *
 * @example
 * ```ts
 * const robust = new RobustOrchestrator(primary, [backup]);
 * const { result, agent, attempts } = await robust.execute('Summarise this', { maxRetries: 2 });
 * ```
 */
export class RobustOrchestrator<O = unknown> {
  readonly primaryAgent: Agent<O>;
  readonly fallbackAgents: Agent<O>[];

  constructor(primaryAgent: Agent<O>, fallbackAgents: Agent<O>[] = []) {
    this.primaryAgent = primaryAgent;
    this.fallbackAgents = fallbackAgents;
  }

  async execute(message: string, options: RobustOptions = {}): Promise<RobustResult<O>> {
    checkOptions(options);
    const maxRetries = options.maxRetries ?? 3;
    const errors: AgentAttemptError[] = [];
    let attempts = 0;
    for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
      attempts++;
      try {
        const result = await this.#attempt(this.primaryAgent, message, options);
        return { result, agent: 'primary', attempts, errors };
      } catch (error) {
        throwIfAborted(options.signal);
        errors.push({ agent: 'primary', attempt, error: asError(error) });
        if (attempt <= maxRetries) {
          const delay = retryDelay(attempt, undefined, {
            initialDelayMs: options.retryDelay ?? 1000,
            jitter: options.jitter ?? true,
          });
          await sleep(delay, options.signal);
        }
      }
    }
    const originalError = errors.at(-1)?.error;
    for (const [i, fallback] of this.fallbackAgents.entries()) {
      attempts++;
      try {
        const result = await this.#attempt(fallback, message, options);
        return {
          result,
          agent: `fallback_${i}`,
          attempts,
          ...(originalError ? { originalError } : {}),
          errors,
        };
      } catch (error) {
        throwIfAborted(options.signal);
        errors.push({ agent: `fallback_${i}`, attempt: 1, error: asError(error) });
      }
    }
    throw new AllAgentsFailedError(errors);
  }

  async #attempt(agent: Agent<O>, message: string, options: RobustOptions): Promise<O> {
    const limit = linkedController(options.signal, options.timeoutMs ?? 10_000, 'Agent attempt');
    try {
      const work = agent.process({
        message,
        signal: limit.signal,
        ...(options.metadata ? { metadata: options.metadata } : {}),
      });
      return await raceAbort(work, limit.signal);
    } finally {
      limit.dispose();
    }
  }
}

function checkOptions(options: RobustOptions): void {
  checkCount(options.maxRetries, 'maxRetries', 0);
  checkTimeoutMs(options.timeoutMs, 'timeoutMs');
  const delay = options.retryDelay;
  if (delay !== undefined && !(Number.isFinite(delay) && delay >= 0)) {
    throw new InvalidInputError('retryDelay', 'must be a non-negative number of milliseconds');
  }
}
