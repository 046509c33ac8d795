// The scenarios on Mastra: Agents over an in-process AI SDK model (specification v3),
// createTool, and createWorkflow/createStep for the graph scenario.
import { Agent } from '@mastra/core/agent';
import { createTool } from '@mastra/core/tools';
import { createStep, createWorkflow } from '@mastra/core/workflows';
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
const lastUser = (prompt) => {
  const m = prompt.findLast((p) => p.role === 'user');
  return m?.content.map((c) => c.text ?? '').join('') ?? '';
};
const stop = { unified: 'stop', raw: 'stop' };

/** A LanguageModelV3 answering by a rule (Mastra streams, so doStream is the path used). */
function model(reply, delayMs = 0) {
  const answer = async (options) => {
    counts.model++;
    if (delayMs) await wait(delayMs);
    return reply(options.prompt);
  };
  return {
    specificationVersion: 'v3',
    provider: 'fake',
    modelId: 'fake',
    supportedUrls: {},
    async doGenerate(options) {
      return { ...(await answer(options)), usage, warnings: [] };
    },
    async doStream(options) {
      const { content, finishReason } = await answer(options);
      const parts = [{ type: 'stream-start', warnings: [] }];
      for (const c of content) {
        if (c.type === 'text')
          parts.push(
            { type: 'text-start', id: 't' },
            { type: 'text-delta', id: 't', delta: c.text },
            { type: 'text-end', id: 't' },
          );
        else parts.push(c);
      }
      parts.push({ type: 'finish', finishReason, usage });
      return {
        stream: new ReadableStream({
          start(controller) {
            for (const p of parts) controller.enqueue(p);
            controller.close();
          },
        }),
      };
    },
  };
}
const text = (t) => ({ content: [{ type: 'text', text: t }], finishReason: stop });
const agent = (i, m) =>
  new Agent({ id: `a${i}`, name: `a${i}`, instructions: `agent ${i}`, model: m });

const steps = [1, 2, 3].map((i) =>
  agent(
    i,
    model((p) => text(script.step(lastUser(p)))),
  ),
);
const slowSteps = [1, 2, 3].map((i) =>
  agent(
    i,
    model((p) => text(script.step(lastUser(p))), 50),
  ),
);
const pipeline = async (input, agents) => {
  let current = input;
  for (const a of agents) current = (await a.generate(current)).text;
  return current;
};
const labels = Array.from({ length: 10 }, (_, i) =>
  agent(
    i,
    model((p) => text(script.label(i, lastUser(p)))),
  ),
);
const add = createTool({
  id: 'add',
  description: 'Adds two numbers',
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => {
    counts.tool++;
    return a + b;
  },
});
const toolAgent = new Agent({
  id: 'agent',
  name: 'agent',
  instructions: 'agent',
  tools: { add },
  model: model((prompt) => {
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
    return text(script.answer(String(last.output?.value ?? last.output)));
  }),
});

const count = z.object({ count: z.number() });
let workflow = createWorkflow({ id: 'counter', inputSchema: count, outputSchema: count });
for (let i = 0; i < 10; i++) {
  workflow = workflow.then(
    createStep({
      id: `n${i}`,
      inputSchema: count,
      outputSchema: count,
      execute: async ({ inputData }) => ({ count: inputData.count + 1 }),
    }),
  );
}
workflow.commit();

export const implementation = {
  name: 'Mastra',
  versions: { '@mastra/core': packageVersion(import.meta.url, '@mastra/core') },
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
    const outs = await Promise.all(labels.map((a) => a.generate(input)));
    return {
      output: script.aggregate(outs.map((o) => o.text)),
      modelCalls: counts.model,
      toolCalls: counts.tool,
    };
  },
  async s3(input) {
    reset();
    const r = await toolAgent.generate(input, { maxSteps: 10 });
    return { output: r.text, modelCalls: counts.model, toolCalls: counts.tool };
  },
  modelCalls: () => counts.model,
  async s4(input) {
    return { output: await pipeline(input, slowSteps), modelCalls: 3, toolCalls: 0 };
  },
  s5: {
    none: async () => {
      const run = await workflow.createRun();
      const r = await run.start({ inputData: { count: 0 } });
      return { output: `count:${r.result?.count}`, modelCalls: 0, toolCalls: 0 };
    },
  },
  notes: {
    's5-memory':
      'Mastra persists workflow snapshots through a Mastra storage instance; not configured here',
    's5-sqlite': 'needs @mastra/libsql; not installed',
  },
};
