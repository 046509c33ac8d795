import { importOptional } from '../../utils/optional-package.js';

/** The `@google/genai` package, loaded on first use (a typed error names it when missing). */
export function loadGemini(): Promise<typeof import('@google/genai')> {
  return importOptional('@google/genai', 'arshai/gemini', () => import('@google/genai'));
}
