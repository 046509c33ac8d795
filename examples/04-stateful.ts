/** Pattern 4: stateful orchestration with memory (SQLite: survives restarts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMemoryManager, StatefulOrchestrator } from 'arshai';
import { MockAgent } from 'arshai/testing';

const dir = mkdtempSync(join(tmpdir(), 'arshai-'));
const memory = new SqliteMemoryManager({ path: join(dir, 'memory.db') });
const agent = new MockAgent<string>((input) => `(context so far: ${input.metadata?.context})`);
const chat = new StatefulOrchestrator(agent, memory, { historyWindow: 5 });
await chat.execute('user-1', 'conv-1', 'Hi, I am Ada');
console.log(await chat.execute('user-1', 'conv-1', 'What is my name?'));
console.log((await chat.getState('user-1', 'conv-1'))?.interactionCount); // 2
await memory.close();
rmSync(dir, { recursive: true }); // the example's own folder
