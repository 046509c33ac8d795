/**
 * Where arshai reports what it does. The library never writes to the console by itself:
 * pass a logger (for example `console`, or a pino/winston child) to see its messages.
 * Fields never contain API keys, prompts or tool arguments.
 *
 * @example
 * ```ts
 * const client = new ScriptedLLMClient([{ text: 'hi' }], { logger: console });
 * ```
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const noop = (): void => {};

/** The default logger: drops everything. */
export const silentLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
});
