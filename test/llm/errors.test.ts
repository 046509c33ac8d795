import {
  AbortError,
  ArshaiError,
  emptyUsage,
  InvalidInputError,
  MaxTurnsExceededError,
  ProviderError,
  TimeoutError,
} from 'arshai';
import { describe, expect, it } from 'vitest';

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
});
