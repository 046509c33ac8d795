/** The limit: the same scenarios, hand-written with plain async functions. */
import type { DatabaseSync } from 'node:sqlite';
import { type Check, type Implementation, script, wait } from './harness.ts';

type Msg = { role: string; content: string };

let modelCalls = 0;
let toolCalls = 0;
const reset = () => {
  modelCalls = 0;
  toolCalls = 0;
};
const check = (output: string): Check => ({ output, modelCalls, toolCalls });

async function model(messages: Msg[], reply: (messages: Msg[]) => string): Promise<string> {
  modelCalls++;
  return reply(messages);
}

const stepAgent = (message: string) =>
  model([{ role: 'user', content: message }], (m) => script.step(m.at(-1)?.content ?? ''));

async function s1(input: string): Promise<Check> {
  reset();
  let current = input;
  for (let i = 0; i < 3; i++) current = await stepAgent(current);
  return check(current);
}

async function s4(input: string, delayMs: number): Promise<Check> {
  let current = input;
  for (let i = 0; i < 3; i++) {
    modelCalls++;
    await wait(delayMs);
    current = script.step(current);
  }
  return { output: current, modelCalls: 3, toolCalls: 0 };
}

async function s2(input: string): Promise<Check> {
  reset();
  const outputs = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      model([{ role: 'user', content: input }], (m) => script.label(i, m[0]?.content ?? '')),
    ),
  );
  return check(script.aggregate(outputs));
}

async function s3(input: string): Promise<Check> {
  reset();
  const messages: Msg[] = [{ role: 'user', content: input }];
  for (let turn = 1; ; turn++) {
    modelCalls++;
    if (turn <= 5) {
      const args = script.toolArgs(turn);
      messages.push({ role: 'assistant', content: JSON.stringify({ tool: 'add', args }) });
      toolCalls++;
      messages.push({ role: 'tool', content: String(args.a + args.b) });
    } else {
      return check(script.answer(messages.at(-1)?.content ?? ''));
    }
  }
}

type State = { count: number; path: string[] };
const nodes = Array.from(
  { length: 10 },
  (_, i) =>
    (s: State): State => ({ count: s.count + 1, path: [...s.path, `n${i}`] }),
);

let db: DatabaseSync | undefined;
async function s5sqlite(): Promise<Check> {
  if (!db) {
    const { DatabaseSync } = await import('node:sqlite');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/bench-`);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    db = new DatabaseSync(`${dir}/baseline.db`);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    db.exec('CREATE TABLE cp (run TEXT, step INTEGER, state TEXT)');
  }
  const insert = db.prepare('INSERT INTO cp VALUES (?, ?, ?)');
  let state: State = { count: 0, path: [] };
  for (const [i, node] of nodes.entries()) {
    state = node(state);
    insert.run('run', i, JSON.stringify(state));
  }
  return { output: `count:${state.count}`, modelCalls: 0, toolCalls: 0 };
}

export const implementation: Implementation = {
  name: 'baseline',
  versions: { node: process.version },
  s1,
  s2,
  s3,
  s4,
  modelCalls: () => modelCalls,
  s5: {
    none: async () => {
      let state: State = { count: 0, path: [] };
      for (const node of nodes) state = node(state);
      return { output: `count:${state.count}`, modelCalls: 0, toolCalls: 0 };
    },
    memory: async () => {
      const saved: string[] = [];
      let state: State = { count: 0, path: [] };
      for (const node of nodes) {
        state = node(state);
        saved.push(JSON.stringify(state));
      }
      return { output: `count:${state.count}`, modelCalls: 0, toolCalls: 0 };
    },
    sqlite: s5sqlite,
  },
};
