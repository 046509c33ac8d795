import { agentAsTool } from 'arshai';
import { MockAgent, ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';

describe('agentAsTool', () => {
  it('passes the query as the message and reports agent errors as tool errors', async () => {
    const good = new MockAgent<string>(['Paris']);
    const bad = new MockAgent<string>([{ error: new Error('specialist unavailable') }]);
    const llm = new ScriptedLLMClient([
      {
        toolCalls: [
          { name: 'use_geo_specialist', args: { query: 'Capital of France?' } },
          { name: 'use_math_specialist', args: { query: '2+2' } },
        ],
      },
      { text: 'Paris; math failed.' },
    ]);
    const result = await llm.chat({
      systemPrompt: 'coordinate',
      userMessage: 'go',
      regularFunctions: {
        use_geo_specialist: agentAsTool(good, {
          name: 'use_geo_specialist',
          description: 'Geography',
        }),
        use_math_specialist: agentAsTool(bad, { name: 'use_math_specialist', description: 'Math' }),
      },
    });
    expect(good.inputs[0]?.message).toBe('Capital of France?');
    expect(good.inputs[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(result.toolCalls.map((c) => [c.output, c.isError])).toEqual([
      ['Paris', false],
      ['specialist unavailable', true],
    ]);
    expect(llm.calls[0]?.tools[0]).toMatchObject({
      name: 'use_geo_specialist',
      description: 'Geography',
      parameters: { type: 'object', required: ['query'] },
    });
  });
});
