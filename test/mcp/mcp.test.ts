import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpConnectionError, mcpTools } from 'arshai/mcp';
import { ScriptedLLMClient } from 'arshai/testing';
import { afterAll, describe, expect, it } from 'vitest';

// The real "everything" MCP server from npm, run by this Node.
const server = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts the server over Streamable HTTP (or legacy SSE) on a loopback port, once it listens. */
async function httpServer(
  transport: 'streamableHttp' | 'sse' = 'streamableHttp',
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [server, transport], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('MCP server did not start')), 15_000);
    child.stderr?.on('data', (d: Buffer) => {
      if (/listening|is running/.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { url: `http://127.0.0.1:${port}/${transport === 'sse' ? 'sse' : 'mcp'}`, child };
}

const loop = () =>
  new ScriptedLLMClient([
    {
      toolCalls: [
        { name: 'everything_echo', args: { message: 'hello' } },
        { name: 'everything_get-sum', args: { a: 2, b: 3 } },
        { name: 'everything_get-sum', args: { a: 'two' } },
      ],
    },
    { text: 'done' },
  ]);

describe('MCP tools (real servers from npm)', () => {
  it('over stdio: the server’s tools run in a tool loop; bad arguments never reach the server', async () => {
    const mcp = await mcpTools({
      command: process.execPath,
      args: [server, 'stdio'],
      prefix: 'everything_',
    });
    try {
      expect(Object.keys(mcp.tools)).toEqual(
        expect.arrayContaining(['everything_echo', 'everything_get-sum']),
      );
      expect(mcp.tools['everything_get-sum']?.jsonSchema).toMatchObject({
        properties: { a: { type: 'number' }, b: { type: 'number' } },
      });
      const result = await loop().chat({ systemPrompt: 's', userMessage: 'u', tools: mcp.tools });
      const [echo, sum, bad] = result.toolCalls;
      expect(echo).toMatchObject({ isError: false, output: 'Echo: hello' });
      expect(String(sum?.output)).toContain('5');
      expect(bad).toMatchObject({ isError: true });
      expect(String(bad?.output)).toMatch(/invalid arguments/);
    } finally {
      await mcp.close();
    }
  }, 30_000);

  it('over Streamable HTTP on a loopback port; a server that dies mid-call fails the call at once', async () => {
    const { url, child } = await httpServer();
    const mcp = await mcpTools({ url, prefix: 'everything_' });
    try {
      const result = await loop().chat({ systemPrompt: 's', userMessage: 'u', tools: mcp.tools });
      expect(result.toolCalls[0]).toMatchObject({ isError: false, output: 'Echo: hello' });
      const long = mcp.tools['everything_trigger-long-running-operation'];
      expect(long).toBeDefined();
      const started = performance.now();
      const call = Promise.resolve(
        long?.execute(
          { duration: 20, steps: 2 },
          {
            signal: new AbortController().signal,
            toolCallId: 'c1',
            toolName: 'long',
          },
        ),
      );
      setTimeout(() => child.kill('SIGKILL'), 300);
      await expect(call).rejects.toSatisfy(
        (e) => McpConnectionError.isInstance(e) || e instanceof Error,
      );
      expect(performance.now() - started).toBeLessThan(10_000); // not the 20 s of the operation
    } finally {
      await mcp.close();
    }
  }, 40_000);

  it('a server that cannot be reached is a McpConnectionError', async () => {
    const port = await freePort();
    await expect(
      mcpTools({ url: `http://127.0.0.1:${port}/mcp`, timeoutMs: 2_000 }),
    ).rejects.toSatisfy((e) => McpConnectionError.isInstance(e));
  }, 20_000);

  it('a server speaking only the legacy HTTP+SSE transport: the Streamable HTTP attempt falls back to SSE', async () => {
    const { url } = await httpServer('sse');
    const mcp = await mcpTools({ url, prefix: 'everything_' });
    try {
      const result = await loop().chat({ systemPrompt: 's', userMessage: 'u', tools: mcp.tools });
      expect(result.toolCalls[0]).toMatchObject({ isError: false, output: 'Echo: hello' });
      expect(String(result.toolCalls[1]?.output)).toContain('5');
    } finally {
      await mcp.close();
    }
  }, 30_000);

  it('the memory server: a tool loop stores entities and reads them back; two servers side by side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arshai-mcp-'));
    const memoryServer = createRequire(import.meta.url).resolve(
      '@modelcontextprotocol/server-memory/dist/index.js',
    );
    const memory = await mcpTools({
      command: process.execPath,
      args: [memoryServer],
      env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
      prefix: 'memory_',
    });
    const everything = await mcpTools({
      command: process.execPath,
      args: [server, 'stdio'],
      prefix: 'everything_',
    });
    try {
      const llm = new ScriptedLLMClient([
        {
          toolCalls: [
            {
              name: 'memory_create_entities',
              args: {
                entities: [
                  { name: 'Ada', entityType: 'customer', observations: ['prefers email'] },
                ],
              },
            },
          ],
        },
        { toolCalls: [{ name: 'memory_search_nodes', args: { query: 'Ada' } }] },
        { toolCalls: [{ name: 'everything_echo', args: { message: 'stored' } }] },
        { text: 'done' },
      ]);
      const result = await llm.chat({
        systemPrompt: 's',
        userMessage: 'remember Ada',
        tools: { ...memory.tools, ...everything.tools },
      });
      expect(result.llmResponse).toBe('done');
      const [created, found, echoed] = result.toolCalls;
      expect(created?.isError).toBe(false);
      expect(JSON.stringify(found?.output)).toContain('prefers email');
      expect(echoed?.output).toBe('Echo: stored');
      // The server kept it on disk, where the next session finds it.
      expect(readFileSync(join(dir, 'memory.jsonl'), 'utf8')).toContain('"Ada"');
    } finally {
      await memory.close();
      await everything.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);

  it('needsApproval and guardrails apply to a server’s tools: a picked call waits for a human, results are redacted', async () => {
    const asked: string[] = [];
    const mcp = await mcpTools({
      command: process.execPath,
      args: [server, 'stdio'],
      prefix: 'everything_',
      needsApproval: (name, args) => {
        asked.push(name);
        return name === 'echo' && JSON.stringify(args).includes('hello');
      },
      guardrails: {
        output: [
          {
            name: 'redact-5',
            check: (out) => ({ tripwire: false, replace: String(out).replace('5', '#') }),
          },
        ],
      },
    });
    try {
      const llm = loop();
      const input = { systemPrompt: 's', userMessage: 'u', tools: mcp.tools };
      const paused = await llm.chat(input);
      expect(paused.status).toBe('pending-approval');
      expect(paused.pendingApprovals?.map((p) => p.toolName)).toEqual(['everything_echo']);
      expect(asked).toEqual(['echo', 'get-sum']); // the bad call never got as far
      const [pending] = paused.pendingApprovals ?? [];
      const done = await llm.chat({
        ...input,
        resumeFrom: paused.state,
        approvals: { [pending?.callId as string]: { approve: false, reason: 'no echoes' } },
      });
      expect(done.llmResponse).toBe('done');
      const byName = (n: string) => done.toolCalls.filter((c) => c.name === n);
      expect(byName('everything_echo')[0]).toMatchObject({ isError: true });
      expect(String(byName('everything_get-sum')[0]?.output)).not.toContain('5');
      expect(String(byName('everything_get-sum')[0]?.output)).toContain('#');
    } finally {
      await mcp.close();
    }
  }, 30_000);

  it('a server whose tool list changes: the new tool appears in the same tools object and runs', async () => {
    const mcp = await mcpTools({
      command: process.execPath,
      args: [join(import.meta.dirname, 'fixtures/changing-server.mjs')],
    });
    try {
      expect(Object.keys(mcp.tools)).toEqual(['unlock']);
      const tools = mcp.tools;
      const first = await new ScriptedLLMClient([
        { toolCalls: [{ name: 'unlock', args: {} }] },
        { text: 'ok' },
      ]).chat({ systemPrompt: 's', userMessage: 'u', tools });
      expect(first.toolCalls[0]?.output).toBe('unlocked');
      for (let i = 0; i < 100 && !tools.secret; i++) await new Promise((r) => setTimeout(r, 20));
      expect(Object.keys(tools).sort()).toEqual(['secret', 'unlock']);
      expect(tools.secret?.jsonSchema).toMatchObject({ properties: { name: { type: 'string' } } });
      const second = await new ScriptedLLMClient([
        { toolCalls: [{ name: 'secret', args: { name: 'Ada' } }] },
        { text: 'ok' },
      ]).chat({ systemPrompt: 's', userMessage: 'u', tools });
      expect(second.toolCalls[0]?.output).toBe('the word is swordfish, Ada');
    } finally {
      await mcp.close();
    }
  }, 30_000);
});
