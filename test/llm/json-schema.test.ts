import { tool } from 'arshai';
import { toJsonSchema, toStrictJsonSchema } from 'arshai/adapter-kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const Order = z.object({
  customer: z.object({ name: z.string().describe('Full name'), vip: z.boolean().optional() }),
  items: z.array(z.object({ sku: z.string(), qty: z.number().int() })).describe('Line items'),
  priority: z.enum(['low', 'high']),
  note: z.string().optional(),
});

describe('JSON Schema from zod', () => {
  it('keeps nested objects, array items, enums, optional fields and descriptions', () => {
    expect(toJsonSchema(Order)).toEqual({
      type: 'object',
      properties: {
        customer: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'Full name' },
            vip: { type: 'boolean' },
          },
          required: ['name'],
          additionalProperties: false,
        },
        items: {
          type: 'array',
          description: 'Line items',
          items: {
            type: 'object',
            properties: {
              sku: { type: 'string' },
              qty: { type: 'integer', minimum: expect.any(Number), maximum: expect.any(Number) },
            },
            required: ['sku', 'qty'],
            additionalProperties: false,
          },
        },
        priority: { type: 'string', enum: ['low', 'high'] },
        note: { type: 'string' },
      },
      required: ['customer', 'items', 'priority'],
      additionalProperties: false,
    });
  });

  it('makes a strict-mode schema: all properties required, optionals nullable', () => {
    const strict = toStrictJsonSchema(toJsonSchema(Order));
    expect(strict.required).toEqual(['customer', 'items', 'priority', 'note']);
    expect((strict.properties as Record<string, unknown>).note).toEqual({
      type: ['string', 'null'],
    });
    const customer = (strict.properties as Record<string, Record<string, unknown>>).customer;
    expect(customer?.required).toEqual(['name', 'vip']);
  });

  it('accepts strict-mode nulls for optional arguments', () => {
    const t = tool({ description: 'd', parameters: Order, execute: (a) => a });
    const check = t.checkArgs({
      customer: { name: 'Ada', vip: null },
      items: [{ sku: 'x', qty: 1 }],
      priority: 'low',
      note: null,
    });
    expect(check).toEqual({
      success: true,
      value: { customer: { name: 'Ada' }, items: [{ sku: 'x', qty: 1 }], priority: 'low' },
    });
  });

  it('validates arguments against a plain JSON Schema too', () => {
    const t = tool({
      description: 'd',
      parameters: {
        type: 'object',
        properties: {
          unit: { type: 'string', enum: ['c', 'f'] },
          days: { type: 'array', items: { type: 'integer' } },
        },
        required: ['unit'],
        additionalProperties: false,
      },
      execute: (a) => a,
    });
    expect(t.checkArgs({ unit: 'c', days: [1, 2] }).success).toBe(true);
    const bad = t.checkArgs({ unit: 'k', days: [1.5], extra: 1 });
    expect(bad.success === false && bad.error).toBe(
      '$.unit: must be one of ["c","f"]; $.days[0]: expected integer, got number; $.extra: not allowed',
    );
  });
});
