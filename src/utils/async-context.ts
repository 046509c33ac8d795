import type { AsyncLocalStorage } from 'node:async_hooks';

/** A value carried through the async calls of some work (budgets, approval gates, spans). */
export interface AsyncContext<T> {
  /** Runs `work` with `value` as the store of everything it calls, awaits included. */
  run<R>(value: T, work: () => R): R;
  /** The store of the current work, if any. */
  getStore(): T | undefined;
}

type Storage = new <T>() => AsyncLocalStorage<T>;

interface RuntimeProcess {
  getBuiltinModule?(id: string): unknown;
}

/**
 * The runtime's `AsyncLocalStorage` (Node, Bun, Deno, and workerd with `nodejs_compat` have
 * it), looked up on first use: importing arshai loads no Node module. `undefined` in a browser.
 */
function findStorage(): Storage | undefined {
  const proc = (globalThis as { process?: RuntimeProcess }).process;
  const hooks = proc?.getBuiltinModule?.('node:async_hooks') as
    | { AsyncLocalStorage?: Storage }
    | undefined;
  return hooks?.AsyncLocalStorage;
}

let storage: Storage | null | undefined;

/** True when the runtime carries values through async calls (everywhere but browsers). */
export function hasAsyncContext(): boolean {
  storage ??= findStorage() ?? null;
  return storage !== null;
}

/**
 * A context over the runtime's `AsyncLocalStorage`, made on first use. Where there is none (a
 * browser), `run` runs the work with nothing in scope and `getStore` is `undefined`: what needs
 * a scope across awaits (a budget around many calls) checks `hasAsyncContext()` and refuses.
 */
export function asyncContext<T>(): AsyncContext<T> {
  let own: AsyncLocalStorage<T> | null | undefined;
  const resolve = (): AsyncLocalStorage<T> | null => {
    if (own === undefined) {
      const Ctor = hasAsyncContext() ? (storage as Storage) : undefined;
      own = Ctor ? new Ctor<T>() : null;
    }
    return own;
  };
  return {
    run: (value, work) => {
      const s = resolve();
      return s ? s.run(value, work) : work();
    },
    getStore: () => resolve()?.getStore(),
  };
}
