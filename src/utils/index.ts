export {
  abortErrorFrom,
  type Deadline,
  deadline,
  type LinkedController,
  linkedController,
  neverAborts,
  raceAbort,
  sleep,
  throwIfAborted,
} from './abort.js';
export { createLimiter, type Limiter } from './limiter.js';
export { type Logger, silentLogger } from './logger.js';
export { type Media, parseMedia } from './media.js';
export { checkCount, checkTimeoutMs } from './option-checks.js';
