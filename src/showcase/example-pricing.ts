import type { Pricing } from '../llm/pricing.js';

/**
 * AN EXAMPLE pricing table for the showcase's summary: the offline model priced like a small
 * hosted model, and a few real models as they were listed in late 2026. Not a source of
 * truth — pass your provider's current prices to your own clients.
 */
export const EXAMPLE_PRICING: Pricing = {
  'offline-rules': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4o-mini': { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  'claude-haiku-4-5': { inputPerMTok: 1, cachedInputPerMTok: 0.1, outputPerMTok: 5 },
  'gemini-2.5-flash': { inputPerMTok: 0.3, cachedInputPerMTok: 0.075, outputPerMTok: 2.5 },
};
