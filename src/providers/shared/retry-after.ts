/** Reads a header from a `Headers` object or a plain record, case-insensitively. */
export function headerValue(
  headers: Headers | Record<string, string | undefined> | null | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | undefined>)) {
    if (k.toLowerCase() === lower) return v;
  }
  return undefined;
}

/**
 * The wait a server asks for: `retry-after-ms` (milliseconds), else `Retry-After` as seconds
 * or an HTTP date. `undefined` when absent or unreadable.
 *
 * @example
 * ```ts
 * retryAfterMs(new Headers({ 'retry-after': '2' })); // 2000
 * ```
 */
export function retryAfterMs(
  headers: Headers | Record<string, string | undefined> | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const ms = Number.parseFloat(headerValue(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headerValue(headers, 'retry-after');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
