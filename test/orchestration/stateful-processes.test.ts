import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMemoryManager, StatefulOrchestrator } from 'arshai';
import { MockAgent } from 'arshai/testing';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'arshai-stateful-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = (file: string, message: string) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [join(import.meta.dirname, 'fixtures/stateful-child.mjs'), file, message],
      {
        encoding: 'utf8',
      },
    ),
  ) as string;

it('a second process continues the conversation from the SQLite file', async () => {
  const file = join(dir, 'memory.db');
  expect(child(file, 'My order is A1001')).toBe('turn 1 saw [User: My order is A1001]');

  const agent = new MockAgent<string>(['Noted.']);
  const memory = new SqliteMemoryManager({ path: file });
  const chat = new StatefulOrchestrator(agent, memory);
  await chat.execute('u1', 'c1', 'It arrived broken');
  expect(agent.inputs[0]?.metadata).toMatchObject({
    interactionCount: 2,
    context:
      'User: My order is A1001\nAssistant: turn 1 saw [User: My order is A1001]\nUser: It arrived broken',
  });
  await memory.close();

  expect(child(file, 'Refund please')).toMatch(
    /^turn 3 saw \[.*Assistant: Noted\.\nUser: Refund please\]$/s,
  );
});
