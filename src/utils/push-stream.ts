/**
 * Turns a callback-driven job into an async iterable: `run(emit, signal)` pushes events;
 * when it settles, `last(result)` or `failed(error)` gives the final event; `failed` may also
 * name an error to throw right after that event (or instead of one). If the consumer stops early, the job's signal aborts with `stopReason()` and the job
 * is awaited before the iterator returns, so nothing keeps running unseen.
 */
export async function* pushStream<E, R>(
  run: (emit: (event: E) => void, signal: AbortSignal) => Promise<R>,
  last: (result: R) => E,
  failed: (error: unknown) => { event?: E; thenThrow?: unknown },
  options: { signal?: AbortSignal; stopReason: () => unknown },
): AsyncGenerator<E> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const queue: E[] = [];
  let head = 0;
  let wake: (() => void) | undefined;
  let done = false;
  let failure: { error: unknown } | undefined;
  const push = (event: E) => {
    queue.push(event);
    wake?.();
  };
  const running = run(push, signal).then(
    (result) => push(last(result)),
    (error: unknown) => {
      failure = { error };
    },
  );
  void running.then(() => {
    done = true;
    wake?.();
  });
  try {
    for (;;) {
      if (head < queue.length) {
        const event = queue[head] as E;
        queue[head++] = undefined as E;
        yield event;
      } else if (done) break;
      else {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    }
    if (failure) {
      const { event, thenThrow } = failed(failure.error);
      if (event !== undefined) yield event;
      if (thenThrow !== undefined) throw thenThrow;
    }
  } finally {
    if (!done) {
      stop.abort(options.stopReason());
      await running;
    }
  }
}
