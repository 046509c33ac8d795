import { type ZodType, z } from 'zod/v4';
import { InvalidInputError } from '../errors/invalid-input-error.js';

/** A JSON Schema object (draft-07 subset that model providers accept). */
export type JsonSchema = { [key: string]: unknown };

/** True when `value` looks like a zod schema rather than a JSON Schema object. */
export function isZodSchema(value: unknown): value is ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/**
 * Refuses a schema arshai cannot read, naming the parameter: a zod 3 schema (arshai reads
 * zod 4's), or (where JSON Schema is allowed) anything but a plain JSON Schema object.
 */
export function checkSchema(value: unknown, field: string, jsonAllowed: boolean): void {
  if (isZodSchema(value)) return;
  const zod3 =
    typeof value === 'object' &&
    value !== null &&
    '_def' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function';
  if (zod3) {
    throw new InvalidInputError(
      field,
      'is a zod 3 schema: arshai reads zod 4 schemas (zod >= 4, or "zod/v4" of zod >= 3.25.45)' +
        (jsonAllowed ? ' or a JSON Schema object' : ''),
    );
  }
  const plain =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype;
  if (!jsonAllowed || !plain) {
    throw new InvalidInputError(
      field,
      jsonAllowed ? 'must be a zod 4 schema or a JSON Schema object' : 'must be a zod 4 schema',
    );
  }
}

/**
 * Converts a zod schema to JSON Schema, keeping nested objects, array `items`, enums,
 * optional fields and descriptions. Objects get `additionalProperties: false`.
 *
 * @example
 * ```ts
 * toJsonSchema(z.object({ city: z.string().describe('City name') }));
 * // { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, ... }
 * ```
 */
export function toJsonSchema(schema: ZodType | JsonSchema): JsonSchema {
  if (!isZodSchema(schema)) return schema;
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  delete json.$schema;
  return closeObjects(json) as JsonSchema;
}

function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) out[k] = closeObjects(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * The schema made valid for strict function calling / strict structured output: every object
 * lists all its properties as required and forbids others; a property that was optional
 * becomes nullable instead (arshai drops those nulls again before validating).
 */
export function toStrictJsonSchema(schema: JsonSchema): JsonSchema {
  return strictNode(schema) as JsonSchema;
}

function strictNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictNode);
  if (typeof node !== 'object' || node === null) return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(src)) out[k] = strictNode(v);
  if (src.type === 'object' && typeof src.properties === 'object' && src.properties !== null) {
    const props = out.properties as JsonSchema;
    const required = new Set(Array.isArray(src.required) ? (src.required as string[]) : []);
    for (const key of Object.keys(props)) {
      if (!required.has(key)) props[key] = makeNullable(props[key] as JsonSchema);
    }
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return out;
}

function makeNullable(schema: JsonSchema): JsonSchema {
  const t = schema.type;
  if (typeof t === 'string') return { ...schema, type: [t, 'null'] };
  if (Array.isArray(t)) return t.includes('null') ? schema : { ...schema, type: [...t, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

/** Removes `null` properties (recursively), undoing `toStrictJsonSchema`'s nullable optionals. */
export function dropNullProperties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullProperties);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNullProperties(v);
  return out;
}
