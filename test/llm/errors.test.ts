import * as root from 'arshai';
import {
  AbortError,
  ArshaiError,
  InvalidInputError,
  MaxTurnsExceededError,
  ProviderError,
  TimeoutError,
} from 'arshai';
import { emptyUsage } from 'arshai/adapter-kit';
import * as redis from 'arshai/redis';
import * as testing from 'arshai/testing';
import { describe, expect, it } from 'vitest';

const errorClasses = Object.entries({ ...root, ...redis, ...testing }).filter(
  ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
) as Array<[string, typeof ArshaiError]>;

describe('typed errors', () => {
  it('are recognised by static isInstance along their chain only', () => {
    const timeout = new TimeoutError(50, 'Tool "x"');
    expect(timeout.message).toBe('Tool "x" timed out after 50 ms');
    expect(TimeoutError.isInstance(timeout)).toBe(true);
    expect(AbortError.isInstance(timeout)).toBe(true);
    expect(ArshaiError.isInstance(timeout)).toBe(true);
    expect(ProviderError.isInstance(timeout)).toBe(false);
    expect(TimeoutError.isInstance(new AbortError())).toBe(false);
    expect(ArshaiError.isInstance(new Error('plain'))).toBe(false);
    expect(ArshaiError.isInstance(null)).toBe(false);
    const turns = new MaxTurnsExceededError(2, [], emptyUsage('p', 'm'));
    expect(MaxTurnsExceededError.isInstance(turns) && turns.name).toBe('MaxTurnsExceededError');
  });

  it('carry status, retryability and cause', () => {
    const cause = new Error('socket hang up');
    const e = new ProviderError('failed', {
      provider: 'openai',
      status: 503,
      requestId: 'req_1',
      cause,
    });
    expect([e.status, e.retryable, e.requestId, e.cause]).toEqual([503, true, 'req_1', cause]);
    expect(new ProviderError('x', { provider: 'p', status: 401 }).retryable).toBe(false);
    expect(new ProviderError('x', { provider: 'p', status: 429 }).retryable).toBe(true);
    expect(new ProviderError('x', { provider: 'p' }).retryable).toBe(true); // no response at all
    expect(new InvalidInputError('maxTurns', 'must be positive').field).toBe('maxTurns');
  });

  it('every error class has a literal code of its own, which identity is built from (not the class name)', () => {
    expect(errorClasses.length).toBeGreaterThan(20);
    for (const [name, cls] of errorClasses) {
      expect(Object.hasOwn(cls, 'code'), name).toBe(true);
      expect(cls.code, name).toBe(name);
    }
    // A minifier renames classes (here: to `a`); identity and `name` come from the code.
    class Minified extends ArshaiError {
      static override readonly code: string = 'CheckoutError';
    }
    Object.defineProperty(Minified, 'name', { value: 'a' });
    const e = new Minified('x');
    expect(Minified.isInstance(e) && ArshaiError.isInstance(e)).toBe(true);
    expect(ProviderError.isInstance(e)).toBe(false);
    expect(e.name).toBe('CheckoutError');
  });

  it('isInstance called off its class says how to call it', () => {
    const detached = ProviderError.isInstance;
    expect(() => detached.call(undefined as never, new Error('x'))).toThrow(
      /Call isInstance on the error class/,
    );
    expect(
      [new ProviderError('x', { provider: 'p' })].filter((e) => ProviderError.isInstance(e)),
    ).toHaveLength(1);
  });
});
