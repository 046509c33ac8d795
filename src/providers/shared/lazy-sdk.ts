/** An SDK client, or a function that makes one on first use (loading the SDK then). */
export type SdkSource<T extends object> = T | (() => Promise<T>);

/**
 * The adapter's SDK client, made once, on the first call, with the SDK's error classes
 * (`E`) loaded beside it: a missing optional SDK is then a typed `MissingPackageError` from
 * that call, never a failed import of the provider's module.
 */
export class LazySdk<T extends object, E> {
  readonly #source: SdkSource<T>;
  readonly #load: () => Promise<E>;
  #client: Promise<T> | undefined;
  #errors: E | undefined;

  constructor(source: SdkSource<T>, load: () => Promise<E>) {
    this.#source = source;
    this.#load = load;
  }

  /** The client (made on the first call). */
  async get(): Promise<T> {
    this.#client ??= Promise.all([
      typeof this.#source === 'function'
        ? (this.#source as () => Promise<T>)()
        : Promise.resolve(this.#source),
      this.#load(),
    ]).then(([client, errors]) => {
      this.#errors = errors;
      return client;
    });
    return this.#client;
  }

  /** The SDK's error classes, once `get()` has succeeded. */
  get errors(): E | undefined {
    return this.#errors;
  }
}
