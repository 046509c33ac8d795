/**
 * The root entry beyond Node: the built package as a user installs it, run on Bun, Deno and
 * workerd (each from its npm package), bundled for browsers with esbuild and run in Chromium.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
let dir: string;

// What a user of the core does: a tool call, an agent, a workflow run, memory, a budget.
const work = `import { z } from 'zod';
import { BaseAgent, END, InMemoryCheckpointer, InMemoryManager, InvalidInputError, tool, withBudget, WorkflowGraph, WorkflowRunner } from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';

export async function work(scoped) {
  const add = tool({ description: 'Adds', parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });
  const llm = new ScriptedLLMClient([{ toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }] }, { text: 'five' }, { text: 'hi Ada' }]);
  const chat = () => llm.chat({ systemPrompt: 's', userMessage: 'add', regularFunctions: { add } });
  let answer, calls;
  if (scoped) {
    const { result, spent } = await withBudget({ maxModelCalls: 5 }, chat);
    answer = result.llmResponse;
    calls = spent.modelCalls;
  } else {
    answer = (await chat()).llmResponse;
    calls = await withBudget({ maxModelCalls: 5 }, chat).catch((e) => InvalidInputError.isInstance(e) ? e.field : String(e));
  }
  class Greeter extends BaseAgent {
    async process(input) {
      return (await this.llmClient.chat({ systemPrompt: this.systemPrompt, userMessage: input.message })).llmResponse;
    }
  }
  const greeting = await new Greeter(llm, 'Greet').process({ message: 'hi' });
  const graph = new WorkflowGraph()
    .addNode('a', () => ({ agentData: { n: 1 } }))
    .addNode('b', async (s) => ({ agentData: { n: s.agentData.n + 1 } }))
    .addEdge('a', 'b').addEdge('b', END).setEntryPoint('a');
  const runner = new WorkflowRunner(graph.compile(), { checkpointer: new InMemoryCheckpointer() });
  const run = await runner.executeWorkflow({ userId: 'u' });
  const memory = new InMemoryManager();
  await memory.store({ conversationId: 'c', type: 'short-term', content: 'x' });
  return {
    answer, calls, greeting, status: run.status, n: run.state.agentData.n,
    memories: (await memory.retrieve({ conversationId: 'c' })).length,
    history: (await runner.history(run.runId)).length,
  };
}
`;

const expected = {
  answer: 'five',
  calls: 2,
  greeting: 'hi Ada',
  status: 'completed',
  n: 2,
  memories: 1,
  history: 3,
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'arshai-runtimes-'));
  const pkg = join(dir, 'node_modules/arshai');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(root, 'node_modules/zod'), join(dir, 'node_modules/zod'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'work.mjs'), work);
  writeFileSync(
    join(dir, 'main.mjs'),
    "import { work } from './work.mjs';\nconsole.log(JSON.stringify(await work(true)));\n",
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the root entry on other runtimes', () => {
  it.each([
    ['Bun', () => [bin('bun'), ['main.mjs']] as const],
    ['Deno', () => [bin('deno'), ['run', '--allow-read', '--allow-env', 'main.mjs']] as const],
  ])('%s runs it as Node does', (_name, command) => {
    const [file, args] = command();
    const out = execFileSync(file, [...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    });
    expect(JSON.parse(out)).toEqual(expected);
  });

  it('workerd (Cloudflare Workers, nodejs_compat) runs it bundled as a worker', async () => {
    writeFileSync(
      join(dir, 'worker.mjs'),
      "import { work } from './work.mjs';\nexport default { async fetch() { return Response.json(await work(true)); } };\n",
    );
    await build({
      entryPoints: [join(dir, 'worker.mjs')],
      outfile: join(dir, 'worker.bundle.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      external: ['node:*'],
      logLevel: 'silent',
    });
    const port = await freePort();
    writeFileSync(
      join(dir, 'worker.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "worker.bundle.mjs") ],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
);
`,
    );
    const server = spawn(bin('workerd'), ['serve', join(dir, 'worker.capnp')], { stdio: 'pipe' });
    let log = '';
    server.stderr?.on('data', (d) => {
      log += String(d);
    });
    try {
      const body = await fetchWhenUp(`http://127.0.0.1:${port}/`, server);
      expect(body, log).toEqual(expected);
    } finally {
      server.kill('SIGKILL');
    }
  }, 30_000);
});

describe('the root entry in a browser', () => {
  it('bundles for the browser (no Node module reached) and runs in Chromium', async () => {
    writeFileSync(
      join(dir, 'page.mjs'),
      "import { work } from './work.mjs';\nwork(false).then((r) => { window.result = r; }, (e) => { window.result = { error: String(e) }; });\n",
    );
    // platform 'browser' without externals: any node: import reached would fail the build.
    const bundle = await build({
      entryPoints: [join(dir, 'page.mjs')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      minify: true,
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0]?.text ?? '';
    const browser = await chromium.launch({
      executablePath: inject('chromiumPath'),
      args: ['--no-sandbox'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><title>arshai</title>');
      await page.addScriptTag({ content: code, type: 'module' });
      await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined);
      const result = await page.evaluate(() => (globalThis as { result?: unknown }).result);
      expect(errors).toEqual([]);
      // A budget around many calls needs an async context, which browsers lack: refused, typed.
      expect(result).toEqual({ ...expected, calls: 'budget' });
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('bundles small: only what is imported (sideEffects: false)', async () => {
    const size = async (code: string) => {
      writeFileSync(join(dir, 'entry.mjs'), code);
      const out = await build({
        entryPoints: [join(dir, 'entry.mjs')],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        minify: true,
        external: ['zod', 'zod/*'],
        logLevel: 'silent',
      });
      return out.outputFiles[0]?.contents.length ?? 0;
    };
    const graph = await size(
      "import { END, WorkflowGraph } from 'arshai';\nconsole.log(new WorkflowGraph().addNode('a', () => ({})).addEdge('a', END).setEntryPoint('a').compile());\n",
    );
    const agent = await size(
      "import { BaseAgent } from 'arshai';\nclass A extends BaseAgent { async process() { return ''; } }\nconsole.log(A);\n",
    );
    const everything = await size("import * as arshai from 'arshai';\nconsole.log(arshai);\n");
    // Measured (esbuild, minified, zod not counted): graph 8.9 kB, an agent 0.2 kB, the whole
    // root entry 130 kB. Without sideEffects: false the graph alone would be most of the root.
    expect(graph).toBeLessThan(20_000);
    expect(agent).toBeLessThan(2_000);
    expect(everything).toBeGreaterThan(graph * 3);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

async function fetchWhenUp(url: string, server: ChildProcess): Promise<unknown> {
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error(`workerd exited ${server.exitCode}`);
    try {
      const response = await fetch(url);
      return await response.json();
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('workerd did not answer');
}
