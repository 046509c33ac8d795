import { importOptional } from '../../utils/optional-package.js';

/** The `openai` package, loaded on first use (a typed error names it when it is missing). */
export function loadOpenAI(): Promise<typeof import('openai')> {
  return importOptional('openai', 'arshai/openai', () => import('openai'));
}
