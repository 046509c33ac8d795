// The scenarios on LangGraph.js: StateGraph nodes calling a LangChain chat model, the prebuilt
// ReAct agent for the tool loop, and MemorySaver checkpoints.
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { Annotation, END, MemorySaver, START, StateGraph } from '@langchain/langgraph';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';
import { packageVersion, script, wait } from '../harness.ts';

const counts = { model: 0, tool: 0 };
const reset = () => {
  counts.model = 0;
  counts.tool = 0;
};

/** A chat model answering by a rule. */
class FakeChat extends BaseChatModel {
  constructor(reply, delayMs = 0) {
    super({});
    this.reply = reply;
    this.delayMs = delayMs;
  }
  _llmType() {
    return 'fake';
  }
  bindTools() {
    return this;
  }
  async _generate(messages) {
    counts.model++;
    if (this.delayMs) await wait(this.delayMs);
    const message = this.reply(messages);
    return {
      generations: [{ text: typeof message.content === 'string' ? message.content : '', message }],
    };
  }
}
const lastText = (messages) => String(messages.at(-1).content);

const Text = Annotation.Root({ text: Annotation() });
function pipelineGraph(model) {
  const g = new StateGraph(Text);
  for (let i = 1; i <= 3; i++) {
    g.addNode(`a${i}`, async (s) => ({ text: String((await model.invoke(s.text)).content) }));
  }
  return g
    .addEdge(START, 'a1')
    .addEdge('a1', 'a2')
    .addEdge('a2', 'a3')
    .addEdge('a3', END)
    .compile();
}
const pipeline = pipelineGraph(new FakeChat((m) => new AIMessage(script.step(lastText(m)))));
const slowPipeline = pipelineGraph(
  new FakeChat((m) => new AIMessage(script.step(lastText(m))), 50),
);

const Fan = Annotation.Root({
  text: Annotation(),
  outputs: Annotation({ reducer: (a, b) => a.concat(b), default: () => [] }),
});
const fan = new StateGraph(Fan);
for (let i = 0; i < 10; i++) {
  const model = new FakeChat((m) => new AIMessage(script.label(i, lastText(m))));
  fan.addNode(`a${i}`, async (s) => ({ outputs: [String((await model.invoke(s.text)).content)] }));
  fan.addEdge(START, `a${i}`).addEdge(`a${i}`, END);
}
const fanOut = fan.compile();

const add = tool(
  async ({ a, b }) => {
    counts.tool++;
    return String(a + b);
  },
  {
    name: 'add',
    description: 'Adds two numbers',
    schema: z.object({ a: z.number(), b: z.number() }),
  },
);
const toolModel = new FakeChat((messages) => {
  const turn = messages.filter((m) => m._getType?.() === 'ai' || m.getType?.() === 'ai').length + 1;
  if (turn <= 5)
    return new AIMessage({
      content: '',
      tool_calls: [{ id: `c${turn}`, name: 'add', args: script.toolArgs(turn) }],
    });
  return new AIMessage(script.answer(lastText(messages)));
});
const reactAgent = createReactAgent({ llm: toolModel, tools: [add] });

const Count = Annotation.Root({ count: Annotation() });
function counter(checkpointer) {
  const g = new StateGraph(Count);
  for (let i = 0; i < 10; i++) {
    g.addNode(`n${i}`, (s) => ({ count: s.count + 1 }));
    g.addEdge(i === 0 ? START : `n${i - 1}`, `n${i}`);
  }
  g.addEdge('n9', END);
  return g.compile(checkpointer ? { checkpointer } : {});
}
const plain = counter();
const saved = counter(new MemorySaver());
let thread = 0;

export const implementation = {
  name: 'LangGraph.js',
  versions: {
    '@langchain/langgraph': packageVersion(import.meta.url, '@langchain/langgraph'),
    '@langchain/core': packageVersion(import.meta.url, '@langchain/core'),
  },
  async s1(input) {
    reset();
    const r = await pipeline.invoke({ text: input });
    return { output: r.text, modelCalls: counts.model, toolCalls: counts.tool };
  },
  async s2(input) {
    reset();
    const r = await fanOut.invoke({ text: input });
    return {
      output: script.aggregate(r.outputs),
      modelCalls: counts.model,
      toolCalls: counts.tool,
    };
  },
  async s3(input) {
    reset();
    const r = await reactAgent.invoke({ messages: [{ role: 'user', content: input }] });
    return {
      output: String(r.messages.at(-1).content),
      modelCalls: counts.model,
      toolCalls: counts.tool,
    };
  },
  modelCalls: () => counts.model,
  async s4(input) {
    const r = await slowPipeline.invoke({ text: input });
    return { output: r.text, modelCalls: 3, toolCalls: 0 };
  },
  s5: {
    none: async () => ({
      output: `count:${(await plain.invoke({ count: 0 })).count}`,
      modelCalls: 0,
      toolCalls: 0,
    }),
    memory: async () => ({
      output: `count:${(await saved.invoke({ count: 0 }, { configurable: { thread_id: String(++thread) } })).count}`,
      modelCalls: 0,
      toolCalls: 0,
    }),
  },
  notes: {
    's5-sqlite':
      'needs @langchain/langgraph-checkpoint-sqlite (native better-sqlite3); not installed',
  },
};
