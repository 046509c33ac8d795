import type { Agent, AgentInput } from '../agents/agent.js';
import { callAgent } from '../agents/call-agent.js';
import { TimeoutError } from '../errors/abort-error.js';
import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { retryPolicy, timeoutPolicy, withFallback } from '../resilience/basic-policies.js';
import { AllAttemptsFailedError } from '../resilience/resilience-errors.js';
import { checkCount, checkTimeoutMs } from '../utils/option-checks.js';
import { Pause } from '../utils/pause.js';
import { asError } from './agent-output.js';
import { type AgentAttemptError, AllAgentsFailedError } from './orchestration-errors.js';

/** Options of {@link RobustOrchestrator.execute}. */
export interface RobustOptions {
  /**
   * Retries of the primary agent after its first attempt: `maxRetries: 3` makes up to four
   * primary attempts (the seed's `max_retries=3` made three: pass `2` for that). `0`: one.
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
  timeoutMs?: number | undefined;
  /** @default true */
  jitter?: boolean;
  /**
   * Whether a failed primary attempt is worth another. An attempt that timed out is retried.
   * @default every error that does not say it is not retryable (a 401 or an invalid input is not retried)
   */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  signal?: AbortSignal | undefined;
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

/** Seed semantics: retry failures, except those that say they are not worth repeating. */
function worthRetrying(error: unknown): boolean {
  if (TimeoutError.isInstance(error)) return true;
  if (ArshaiError.isInstance(error)) return error.retryable;
  return (error as { retryable?: unknown } | null)?.retryable !== false;
}

/**
 * Pattern 7, retry and fallback, built from the resilience policies: the primary agent runs
 * under `retryPolicy` (exponential backoff with jitter) with each attempt under
 * `timeoutPolicy` (its work really aborts); then `withFallback` gives each fallback agent one
 * attempt, in order. When every agent fails, `AllAgentsFailedError` carries all errors.
 *
 * @example
 * ```ts
 * const robust = new RobustOrchestrator(primary, [backup]);
 * const { result, agent, attempts } = await robust.execute('Summarise this', { maxRetries: 2 });
 * ```
 */
export class RobustOrchestrator<O = unknown> implements Agent<O> {
  readonly primaryAgent: Agent<O>;
  readonly fallbackAgents: Agent<O>[];

  constructor(primaryAgent: Agent<O>, fallbackAgents: Agent<O>[] = []) {
    this.primaryAgent = primaryAgent;
    this.fallbackAgents = fallbackAgents;
  }

  /** As an agent: the answer of whichever agent answered (for pipelines, workflow nodes). */
  async process(input: AgentInput): Promise<O> {
    const options: RobustOptions = {
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.metadata ? { metadata: input.metadata } : {}),
    };
    return (await this.execute(input.message, options)).result;
  }

  async execute(message: string, options: RobustOptions = {}): Promise<RobustResult<O>> {
    checkOptions(options);
    const errors: AgentAttemptError[] = [];
    let attempts = 0;
    const timeout = timeoutPolicy(options.timeoutMs ?? 10_000, 'Agent attempt');
    const attempt = (agent: Agent<O>, label: AgentAttemptError['agent']) => {
      let tries = 0;
      return async (signal: AbortSignal): Promise<O> => {
        attempts++;
        tries++;
        try {
          return await timeout.execute(
            (s) =>
              callAgent(
                agent,
                {
                  message,
                  signal: s,
                  ...(options.metadata ? { metadata: options.metadata } : {}),
                },
                { name: label, attributes: { 'arshai.attempt': tries } },
              ),
            signal,
          );
        } catch (error) {
          if (!signal.aborted && !Pause.isInstance(error))
            errors.push({ agent: label, attempt: tries, error: asError(error) });
          throw error;
        }
      };
    };
    const primary = retryPolicy({
      maxRetries: options.maxRetries ?? 3,
      initialDelayMs: options.retryDelay ?? 1000,
      jitter: options.jitter ?? true,
      shouldRetry: options.shouldRetry ?? worthRetrying,
    });
    const first = attempt(this.primaryAgent, 'primary');
    try {
      const { value, index } = await withFallback(
        [
          (signal) => primary.execute(first, signal),
          ...this.fallbackAgents.map((agent, i) => attempt(agent, `fallback_${i}`)),
        ],
        options.signal,
      );
      if (index === 0) return { result: value, agent: 'primary', attempts, errors };
      const originalError = errors.filter((e) => e.agent === 'primary').at(-1)?.error;
      return {
        result: value,
        agent: `fallback_${index - 1}`,
        attempts,
        ...(originalError ? { originalError } : {}),
        errors,
      };
    } catch (error) {
      if (AllAttemptsFailedError.isInstance(error)) throw new AllAgentsFailedError(errors);
      throw error;
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
