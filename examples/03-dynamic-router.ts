/** Pattern 3: LLM-driven dynamic routing. */
import { DynamicRouter } from 'arshai';
import { MockAgent, ScriptedLLMClient } from 'arshai/testing';

const llm = new ScriptedLLMClient([{ object: { agent: 'technical' } }]);
const router = new DynamicRouter(
  llm,
  {
    technical: new MockAgent(['Run the installer, then restart.']),
    sales: new MockAgent(['The pro plan is $20/month.']),
    support: new MockAgent(['Sorry to hear that!']),
  },
  {
    descriptions: {
      technical: 'Technical questions',
      sales: 'Sales inquiries',
      support: 'Support requests',
    },
    defaultAgent: 'support',
    onDecision: (decision) => console.log('routed to', decision.agent, `(${decision.source})`),
  },
);
console.log(await router.execute('How do I install this software?', 'Customer uses Windows 11'));
