import { type Logger, silentLogger } from '../../utils/logger.js';

/** The logger shape the Stainless-generated SDKs (`openai`, `@anthropic-ai/sdk`) accept. */
export interface SdkLogger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/**
 * Routes an SDK's own messages (e.g. model deprecation notices) to the injected logger instead
 * of the console. Only the message text is passed on, never the SDK's extra arguments (which
 * can hold request bodies).
 */
export function sdkLogger(logger: Logger = silentLogger): SdkLogger {
  return {
    debug: (message) => logger.debug(String(message)),
    info: (message) => logger.info(String(message)),
    warn: (message) => logger.warn(String(message)),
    error: (message) => logger.error(String(message)),
  };
}
