import type { ZodType } from 'zod/v4';
import {
  dropNullProperties,
  type JsonSchema,
  toJsonSchema,
  toStrictJsonSchema,
} from './json-schema.js';

/** The outcome of reading a final answer as structured output. */
export type StructuredParse<T> = { success: true; value: T } | { success: false; issues: string };

/** Reads the model's final text as JSON (tolerating a Markdown code fence) and validates it. */
export function parseStructured<T>(text: string, schema: ZodType<T>): StructuredParse<T> {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  const body = fenced ? (fenced[1] ?? '') : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    return { success: false, issues: `not valid JSON (${(e as Error).message})` };
  }
  let parsed = schema.safeParse(json);
  if (!parsed.success) {
    // Strict schemas send optional fields as null; accept the answer without those nulls.
    const retry = schema.safeParse(dropNullProperties(json));
    if (retry.success) parsed = retry;
  }
  if (parsed.success) return { success: true, value: parsed.data };
  const issues = parsed.error.issues
    .map((i) => `${['$', ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
  return { success: false, issues };
}

/** The message asking the model to correct an answer that failed validation. */
export function repairMessage(issues: string): string {
  return (
    `Your answer did not match the required JSON schema: ${issues}. ` +
    'Reply again with only the corrected JSON object.'
  );
}

const formats = new WeakMap<
  ZodType,
  { name: string; schema: JsonSchema; strictSchema: JsonSchema }
>();

/** The response format sent to providers for a schema (computed once per schema). */
export function responseFormatFor(schema: ZodType): {
  name: string;
  schema: JsonSchema;
  strictSchema: JsonSchema;
} {
  let format = formats.get(schema);
  if (!format) {
    const json = toJsonSchema(schema);
    format = { name: 'response', schema: json, strictSchema: toStrictJsonSchema(json) };
    formats.set(schema, format);
  }
  return format;
}
