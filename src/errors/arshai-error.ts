/**
 * Base of every error arshai throws.
 *
 * Each subclass is recognisable with its own `static isInstance(value)`, which works across
 * package copies and realms (it checks a `Symbol.for` marker, not the prototype chain).
 *
 * @example
 * ```ts
 * try { await client.chat(input) } catch (e) {
 *   if (ProviderError.isInstance(e) && e.retryable) { ... }
 * }
 * ```
 */
export class ArshaiError extends Error {
  /** Whether repeating the same operation may succeed. */
  readonly retryable: boolean;

  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
    // Mark the instance with one marker per class in its chain.
    let proto: object | null = new.target.prototype;
    while (proto && proto !== Error.prototype) {
      const ctor = (proto as { constructor: { name: string } }).constructor;
      Object.defineProperty(this, Symbol.for(`arshai.error.${ctor.name}`), { value: true });
      proto = Object.getPrototypeOf(proto);
    }
  }

  /** True when `value` is an ArshaiError (or a subclass), from any copy of the package. */
  static isInstance(value: unknown): value is ArshaiError {
    return hasMarker(value, 'ArshaiError');
  }
}

/** @internal Checks the `Symbol.for('arshai.error.<name>')` marker. */
export function hasMarker(value: unknown, className: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[Symbol.for(`arshai.error.${className}`)] === true
  );
}
