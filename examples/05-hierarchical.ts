/** Pattern 5: a master model coordinating specialist agents (as tools). */
import { HierarchicalOrchestrator } from 'arshai';
import { MockAgent, ScriptedLLMClient } from 'arshai/testing';

const master = new ScriptedLLMClient([
  {
    toolCalls: [
      { name: 'use_research_specialist', args: { query: 'AI trends 2026' } },
      { name: 'use_math_specialist', args: { query: 'market size at 40% growth from $200B' } },
    ],
  },
  { text: 'AI agents lead 2026; the market reaches $280B.' },
]);
const team = new HierarchicalOrchestrator(master, {
  research: new MockAgent(['Agents and small models lead 2026.']),
  math: new MockAgent(['$280B']),
});
console.log(await team.execute('Research AI trends, calculate market size, and write a summary'));
console.log(master.calls[0]?.tools.map((t) => t.name)); // the specialists the master saw
