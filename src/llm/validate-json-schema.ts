import type { JsonSchema } from './json-schema.js';

/**
 * Checks `value` against the common subset of JSON Schema used for tool parameters: `type`,
 * `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `const`,
 * `anyOf`/`oneOf`. Returns the problems found, each naming its path; empty when valid.
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const problems: string[] = [];
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives)) {
    if (!alternatives.some((s) => validateJsonSchema(s, value, path).length === 0)) {
      problems.push(`${path}: does not match any allowed schema`);
    }
    return problems;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => Object.is(e, value))) {
    problems.push(`${path}: must be one of ${JSON.stringify(schema.enum)}`);
  }
  if ('const' in schema && !Object.is(schema.const, value)) {
    problems.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  }
  const types = schema.type === undefined ? [] : ([] as unknown[]).concat(schema.type);
  if (types.length > 0 && !types.some((t) => matchesType(t, value))) {
    problems.push(`${path}: expected ${types.join(' or ')}, got ${typeName(value)}`);
    return problems;
  }
  if (isPlainObject(value)) {
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in value)) problems.push(`${path}.${key}: required`);
    }
    for (const [key, v] of Object.entries(value)) {
      const sub = props[key];
      if (sub) problems.push(...validateJsonSchema(sub, v, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}.${key}: not allowed`);
    }
  }
  if (Array.isArray(value) && isPlainObject(schema.items)) {
    value.forEach((item, i) => {
      problems.push(...validateJsonSchema(schema.items as JsonSchema, item, `${path}[${i}]`));
    });
  }
  return problems;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function matchesType(t: unknown, v: unknown): boolean {
  switch (t) {
    case 'object':
      return isPlainObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      return true;
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
