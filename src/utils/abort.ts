import { AbortError, TimeoutError } from '../errors/abort-error.js';
import { ArshaiError } from '../errors/arshai-error.js';

/** The typed error for an aborted signal: its reason when that is already an ArshaiError. */
export function abortErrorFrom(signal: AbortSignal): ArshaiError {
  const reason: unknown = signal.reason;
  if (ArshaiError.isInstance(reason)) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new AbortError('The operation timed out', { cause: reason });
  }
  return new AbortError('The operation was aborted', { cause: reason });
}

/** Throws the typed abort error when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortErrorFrom(signal);
}

/** A signal that aborts when `parent` aborts or `timeoutMs` passes; `dispose()` clears the timer. */
export interface Deadline {
  signal: AbortSignal;
  dispose(): void;
}

/** A controller of its own that also aborts with a parent signal or after a time limit. */
export interface LinkedController extends Deadline {
  controller: AbortController;
}

/**
 * An `AbortController` that also aborts when `parent` aborts or `timeoutMs` passes (with a
 * `TimeoutError` naming `what`); abort it yourself to stop the work under it.
 */
export function linkedController(
  parent: AbortSignal | undefined,
  timeoutMs: number | undefined,
  what = 'The operation',
): LinkedController {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(new TimeoutError(timeoutMs, what)), timeoutMs);
  return {
    controller,
    signal: controller.signal,
    dispose() {
      if (timer) clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Combines an optional parent signal with an optional time limit. The timeout aborts with a
 * `TimeoutError` naming `what`.
 */
export function deadline(
  parent: AbortSignal | undefined,
  timeoutMs: number | undefined,
  what = 'The operation',
): Deadline {
  if (timeoutMs === undefined) return { signal: parent ?? neverAborts(), dispose: noop };
  return linkedController(parent, timeoutMs, what);
}

function noop(): void {}

/**
 * A signal that never aborts, for work whose caller gave none. A fresh one per call (or per
 * run): listeners that the work adds to it are freed with it, where one shared signal would
 * keep every listener ever added for the life of the process.
 *
 * @example
 * ```ts
 * const signal = input.signal ?? neverAborts();
 * ```
 */
export function neverAborts(): AbortSignal {
  return new AbortController().signal;
}

/**
 * Settles with `promise`, or rejects with the typed abort error as soon as `signal` aborts
 * (the underlying work is expected to observe the same signal and stop). Without a signal it
 * is `promise` itself.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(noop);
    return Promise.reject(abortErrorFrom(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortErrorFrom(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // Work that fails because of the abort reports the abort, typed.
        reject(signal.aborted ? abortErrorFrom(signal) : e);
      },
    );
  });
}

/** Waits `ms`, or rejects with the typed abort error when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortErrorFrom(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
