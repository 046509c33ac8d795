/** Pattern 1: a sequential pipeline. Run: npm run build && node examples/01-simple-pipeline.ts */
import { type AgentInput, BaseAgent, SimplePipeline } from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';

class StepAgent extends BaseAgent<string> {
  async process(input: AgentInput): Promise<string> {
    const { llmResponse } = await this.llmClient.chat({
      systemPrompt: this.systemPrompt,
      userMessage: input.message,
      signal: input.signal,
    });
    return llmResponse;
  }
}

const llm = new ScriptedLLMClient([
  { text: 'Findings: agents, small models, evals.' },
  { text: 'Analysis: agents lead adoption.' },
  { text: 'Report: 2026 is the year of agents.' },
]);
const pipeline = new SimplePipeline([
  new StepAgent(llm, 'Research information'),
  new StepAgent(llm, 'Analyze findings'),
  new StepAgent(llm, 'Generate report'),
]);
const report = await pipeline.execute('What are the latest AI trends?');
console.log(report);
// Each stage received the previous stage's output:
console.log(llm.calls.map((c) => c.messages[0]?.content));
