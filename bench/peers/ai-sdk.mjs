// The scenarios on the Vercel AI SDK: generateText with an in-process LanguageModelV4.
import { generateText, isStepCount, stepCountIs, tool } from 'ai';
import { z } from 'zod';
import { packageVersion, script, wait } from '../harness.ts';

const counts = { model: 0, tool: 0 };
const reset = () => {
  counts.model = 0;
  counts.tool = 0;
};
const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 1, text: 1, reasoning: 0 },
};
const stop = { unified: 'stop', raw: 'stop' };
const lastUser = (prompt) => {
  const m = prompt.findLast((p) => p.role === 'user');
  return m?.content.map((c) => c.text ?? '').join('') ?? '';
};

/** A minimal LanguageModelV4 answering by a rule. */
function model(reply, delayMs = 0) {
  return {
    specificationVersion: 'v4',
    provider: 'fake',
    modelId: 'fake',
    supportedUrls: {},
    async doGenerate(options) {
      counts.model++;
      if (delayMs) await wait(delayMs);
      return { ...reply(options.prompt), usage, warnings: [] };
    },
    async doStream() {
      throw new Error('not used');
    },
  };
}
const text = (t) => ({ content: [{ type: 'text', text: t }], finishReason: stop });

const stepModel = model((p) => text(script.step(lastUser(p))));
const slowModel = model((p) => text(script.step(lastUser(p))), 50);
const pipeline = async (input, m) => {
  let current = input;
  for (let i = 1; i <= 3; i++)
    current = (await generateText({ model: m, system: `agent ${i}`, prompt: current })).text;
  return current;
};
const labelModels = Array.from({ length: 10 }, (_, i) =>
  model((p) => text(script.label(i, lastUser(p)))),
);
const toolModel = model((prompt) => {
  const turn = prompt.filter((m) => m.role === 'assistant').length + 1;
  if (turn <= 5) {
    return {
      content: [
        {
          type: 'tool-call',
          toolCallId: `c${turn}`,
          toolName: 'add',
          input: JSON.stringify(script.toolArgs(turn)),
        },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    };
  }
  const last = prompt.at(-1).content.at(-1);
  return text(script.answer(String(last.output.value)));
});
const add = tool({
  description: 'Adds two numbers',
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => {
    counts.tool++;
    return a + b;
  },
});
const stopAfter = (stepCountIs ?? isStepCount)(10);

export const implementation = {
  name: 'Vercel AI SDK',
  versions: { ai: packageVersion(import.meta.url, 'ai') },
  async s1(input) {
    reset();
    return {
      output: await pipeline(input, stepModel),
      modelCalls: counts.model,
      toolCalls: counts.tool,
    };
  },
  async s2(input) {
    reset();
    const outs = await Promise.all(
      labelModels.map((m, i) => generateText({ model: m, system: `agent ${i}`, prompt: input })),
    );
    return {
      output: script.aggregate(outs.map((o) => o.text)),
      modelCalls: counts.model,
      toolCalls: counts.tool,
    };
  },
  async s3(input) {
    reset();
    const r = await generateText({
      model: toolModel,
      system: 'agent',
      prompt: input,
      tools: { add },
      stopWhen: stopAfter,
    });
    return { output: r.text, modelCalls: counts.model, toolCalls: counts.tool };
  },
  modelCalls: () => counts.model,
  async s4(input) {
    return { output: await pipeline(input, slowModel), modelCalls: 3, toolCalls: 0 };
  },
  notes: { s5: 'the AI SDK has no graph/workflow engine' },
};
