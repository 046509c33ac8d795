// The scenarios on the OpenAI Agents SDK: Agents with an in-process Model, run(), tool().
import { Agent, run, setTracingDisabled, tool, Usage } from '@openai/agents';
import { z } from 'zod';
import { packageVersion, script, wait } from '../harness.ts';

setTracingDisabled(true);
const counts = { model: 0, tool: 0 };
const reset = () => {
  counts.model = 0;
  counts.tool = 0;
};

const textOf = (item) =>
  typeof item.content === 'string' ? item.content : item.content.map((c) => c.text ?? '').join('');
const lastUser = (input) =>
  typeof input === 'string' ? input : textOf(input.findLast((i) => i.role === 'user'));
const message = (text) => ({
  type: 'message',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text }],
});

/** A Model answering by a rule. */
function model(reply, delayMs = 0) {
  return {
    async getResponse(request) {
      counts.model++;
      if (delayMs) await wait(delayMs);
      return {
        usage: new Usage({ requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 }),
        output: reply(request.input),
      };
    },
    // biome-ignore lint/correctness/useYield: not used by the scenarios
    async *getStreamedResponse() {
      throw new Error('not used');
    },
  };
}

const steps = [1, 2, 3].map(
  (i) =>
    new Agent({
      name: `a${i}`,
      instructions: `agent ${i}`,
      model: model((input) => [message(script.step(lastUser(input)))]),
    }),
);
const slowSteps = [1, 2, 3].map(
  (i) =>
    new Agent({
      name: `a${i}`,
      instructions: `agent ${i}`,
      model: model((input) => [message(script.step(lastUser(input)))], 50),
    }),
);
const pipeline = async (input, agents) => {
  let current = input;
  for (const agent of agents) current = (await run(agent, current)).finalOutput;
  return current;
};
const labels = Array.from(
  { length: 10 },
  (_, i) =>
    new Agent({
      name: `a${i}`,
      instructions: `agent ${i}`,
      model: model((input) => [message(script.label(i, lastUser(input)))]),
    }),
);
const add = tool({
  name: 'add',
  description: 'Adds two numbers',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => {
    counts.tool++;
    return String(a + b);
  },
});
const toolAgent = new Agent({
  name: 'agent',
  instructions: 'agent',
  tools: [add],
  model: model((input) => {
    const results =
      typeof input === 'string' ? [] : input.filter((i) => i.type === 'function_call_result');
    const turn = results.length + 1;
    if (turn <= 5) {
      return [
        {
          type: 'function_call',
          callId: `c${turn}`,
          name: 'add',
          arguments: JSON.stringify(script.toolArgs(turn)),
          status: 'completed',
        },
      ];
    }
    const last = results.at(-1).output;
    return [message(script.answer(typeof last === 'string' ? last : (last.text ?? String(last))))];
  }),
});

export const implementation = {
  name: 'OpenAI Agents SDK',
  versions: { '@openai/agents': packageVersion(import.meta.url, '@openai/agents') },
  async s1(input) {
    reset();
    return {
      output: await pipeline(input, steps),
      modelCalls: counts.model,
      toolCalls: counts.tool,
    };
  },
  async s2(input) {
    reset();
    const outs = await Promise.all(labels.map((a) => run(a, input)));
    return {
      output: script.aggregate(outs.map((o) => o.finalOutput)),
      modelCalls: counts.model,
      toolCalls: counts.tool,
    };
  },
  async s3(input) {
    reset();
    const r = await run(toolAgent, input, { maxTurns: 10 });
    return { output: r.finalOutput, modelCalls: counts.model, toolCalls: counts.tool };
  },
  modelCalls: () => counts.model,
  async s4(input) {
    return { output: await pipeline(input, slowSteps), modelCalls: 3, toolCalls: 0 };
  },
  notes: { s5: 'the Agents SDK has no graph/workflow engine' },
};
