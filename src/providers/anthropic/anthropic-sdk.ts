import { importOptional } from '../../utils/optional-package.js';

/** The `@anthropic-ai/sdk` package, loaded on first use (a typed error names it when missing). */
export function loadAnthropic(): Promise<typeof import('@anthropic-ai/sdk')> {
  return importOptional('@anthropic-ai/sdk', 'arshai/anthropic', () => import('@anthropic-ai/sdk'));
}
