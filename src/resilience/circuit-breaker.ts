import { ArshaiError } from '../errors/arshai-error.js';
import { throwIfAborted } from '../utils/abort.js';
import { type Policy, signalOrNever } from './policy.js';
import { CircuitOpenError } from './resilience-errors.js';

/** The breaker's state. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /**
   * Consecutive failures that open the circuit.
   * @default 5
   */
  failureThreshold?: number;
  /**
   * How long the circuit stays open before letting probes through.
   * @default 30000
   */
  resetTimeoutMs?: number;
  /**
   * Probes allowed at once while half-open; others fail fast.
   * @default 1
   */
  halfOpenMaxProbes?: number;
  /**
   * Which failures count. Aborts never do.
   * @default every error but an abort
   */
  isFailure?: (error: unknown) => boolean;
  /** Called on every state change. */
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/**
 * A circuit breaker: closed (calls pass, consecutive failures counted) → open after
 * `failureThreshold` failures (calls fail fast with `CircuitOpenError`) → half-open after
 * `resetTimeoutMs` (up to `halfOpenMaxProbes` probes pass; a success closes it, a failure
 * opens it again).
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 10_000 });
 * const answer = await breaker.execute((signal) => llm.chat({ ...input, signal }));
 * ```
 */
export class CircuitBreaker implements Policy {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probes = 0;
  readonly #threshold: number;
  readonly #resetMs: number;
  readonly #maxProbes: number;
  readonly #isFailure: (error: unknown) => boolean;
  readonly #onChange: ((state: CircuitState, previous: CircuitState) => void) | undefined;
  readonly #now: () => number;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#resetMs = options.resetTimeoutMs ?? 30_000;
    this.#maxProbes = options.halfOpenMaxProbes ?? 1;
    this.#isFailure =
      options.isFailure ?? ((e) => !(ArshaiError.isInstance(e) && e.name === 'AbortError'));
    this.#onChange = options.onStateChange;
    this.#now = options.now ?? Date.now;
  }

  /** The current state (an open circuit whose reset time passed reads as half-open). */
  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#resetMs)
      this.#set('half-open');
    return this.#state;
  }

  async execute<T>(
    operation: (signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    throwIfAborted(signal);
    const state = this.state;
    if (state === 'open')
      throw new CircuitOpenError(this.#resetMs - (this.#now() - this.#openedAt));
    const probing = state === 'half-open';
    if (probing) {
      if (this.#probes >= this.#maxProbes) throw new CircuitOpenError(0);
      this.#probes++;
    }
    try {
      const result = await operation(signalOrNever(signal));
      this.#failures = 0;
      if (probing) this.#set('closed');
      return result;
    } catch (error) {
      if (this.#isFailure(error) && !signal?.aborted) {
        this.#failures++;
        if (probing || this.#failures >= this.#threshold) this.#open();
      }
      throw error;
    } finally {
      if (probing) this.#probes--;
    }
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#set('open');
  }

  #set(state: CircuitState): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    if (state === 'closed') this.#failures = 0;
    this.#onChange?.(state, previous);
  }
}
