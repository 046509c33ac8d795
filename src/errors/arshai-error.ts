/** A class of arshai errors, as `isInstance` sees it. */
interface ErrorClass<T> {
  readonly code: string;
  readonly prototype: T;
}

/**
 * Base of every error arshai throws.
 *
 * Each class has a literal `code` (its name, written out, so minified code keeps it) and is
 * recognisable with `ClassName.isInstance(value)`: one check for every class, which works
 * across package copies and realms (it reads a `Symbol.for` marker, not the prototype chain).
 * Call it on the class (`ProviderError.isInstance(e)`, or `(e) => ProviderError.isInstance(e)`
 * as a callback).
 *
 * @example
 * ```ts
 * try { await client.chat(input) } catch (e) {
 *   if (ProviderError.isInstance(e) && e.retryable) { ... }
 * }
 * ```
 */
export class ArshaiError extends Error {
  /** The kind of error, stable across builds; every subclass sets its own. */
  static readonly code: string = 'ArshaiError';
  /** Whether repeating the same operation may succeed. */
  readonly retryable: boolean;

  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const own = new.target as unknown as ErrorClass<unknown>;
    this.name = Object.hasOwn(own, 'code') ? own.code : new.target.name;
    this.retryable = options.retryable ?? false;
    // One marker per class in the chain, by its literal code.
    for (let c: object | null = new.target; c && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, 'code')) {
        const code = (c as ErrorClass<unknown>).code;
        Object.defineProperty(this, markerOf(code), { value: true });
      }
    }
  }

  /** True when `value` is an error of this class (or a subclass), from any copy of the package. */
  static isInstance<T>(this: ErrorClass<T>, value: unknown): value is T {
    // `this` is the class the check is called on: one check serves every class.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass, not ArshaiError
    if (this === undefined) {
      throw new TypeError('Call isInstance on the error class: (e) => ProviderError.isInstance(e)');
    }
    // biome-ignore lint/complexity/noThisInStatic: as above
    return hasMarker(value, this.code);
  }
}

/** The markers by code, made once each (checks run on hot paths: every node's outcome). */
const markers = new Map<string, symbol>();

/** `Symbol.for('arshai.error.<code>')`, the same in every copy of the package. */
function markerOf(code: string): symbol {
  let marker = markers.get(code);
  if (marker === undefined) {
    marker = Symbol.for(`arshai.error.${code}`);
    markers.set(code, marker);
  }
  return marker;
}

/** @internal Checks the `Symbol.for('arshai.error.<code>')` marker. */
export function hasMarker(value: unknown, code: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[markerOf(code)] === true
  );
}
