/** Pattern 6: event-driven orchestration. */
import { EventDrivenOrchestrator } from 'arshai';
import { MockAgent } from 'arshai/testing';

const orchestrator = new EventDrivenOrchestrator({ maxEvents: 100 });
const agent = new MockAgent(['Hello! How can I help?']);
orchestrator.registerHandler('user_message', async (event) => {
  const response = await agent.process({ message: String(event.data.message) });
  await orchestrator.emitEvent({ type: 'agent_response', data: { response } });
});
orchestrator.registerHandler('agent_response', (event) => {
  console.log(`Agent responded: ${String(event.data.response)}`);
});
const history = await orchestrator.execute({ type: 'user_message', data: { message: 'Hello!' } });
console.log(
  history.map((e) => `${e.type}${e.causedBy ? ` (caused by ${e.causedBy.slice(0, 8)})` : ''}`),
);
