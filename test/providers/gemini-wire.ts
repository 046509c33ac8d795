/**
 * Gemini API wire format. Fixtures follow the API reference:
 * - response: https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 *   (`candidates[].content.parts` with `text` / `functionCall`, `finishReason`,
 *   `usageMetadata` with `cachedContentTokenCount` and `thoughtsTokenCount`)
 * - streaming: `models/{model}:streamGenerateContent?alt=sse`, one `data:` event per
 *   GenerateContentResponse chunk; function calls arrive whole (no argument deltas)
 * - errors: https://ai.google.dev/gemini-api/docs/troubleshooting (`{ error: { code, message,
 *   status, details } }`, a 429 carrying `google.rpc.RetryInfo.retryDelay`)
 */

import type { Json } from './provider-fixture.js';

export const usageMetadata = {
  promptTokenCount: 21,
  candidatesTokenCount: 9,
  thoughtsTokenCount: 4,
  cachedContentTokenCount: 6,
  totalTokenCount: 34,
};

export const response = (
  parts: Json[],
  finishReason: string | undefined = 'STOP',
  usage: Json = usageMetadata,
) => ({
  candidates: [
    { content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}), index: 0 },
  ],
  usageMetadata: usage,
  modelVersion: 'gemini-2.5-flash',
  responseId: 'resp-1',
});
