import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'arshai-user-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/arshai'), 'dir');
  symlinkSync(join(root, 'node_modules/zod'), join(dir, 'node_modules/zod'), 'dir');
  symlinkSync(join(root, 'node_modules/@types'), join(dir, 'node_modules/@types'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built package', () => {
  it('is importable as arshai and arshai/testing, with types', () => {
    const user = `import { z } from 'zod';
import { tool, type LLMResult } from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';

const add = tool({
  description: 'Adds',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});
const llm = new ScriptedLLMClient([{ toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }] }, { text: 'five' }]);
const result: LLMResult = await llm.chat({ systemPrompt: 's', userMessage: 'add', regularFunctions: { add } });
console.log(JSON.stringify([result.llmResponse, result.toolCalls[0]?.output]));
`;
    writeFileSync(join(dir, 'user.ts'), user);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2023',
          strict: true,
          outDir: 'out',
          types: ['node'],
          skipLibCheck: false,
        },
        include: ['user.ts'],
      }),
    );
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', dir], { stdio: 'pipe' });
    const out = execFileSync(process.execPath, [join(dir, 'out/user.js')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['five', 5]);
  });
});

describe('strict user settings', () => {
  it('the docs agent pattern (signal: input.signal) type-checks under exactOptionalPropertyTypes', () => {
    const user = `import { type AgentInput, BaseAgent, InMemoryManager } from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';

class Greeter extends BaseAgent<string> {
  async process(input: AgentInput): Promise<string> {
    const { llmResponse } = await this.llmClient.chat({
      systemPrompt: this.systemPrompt,
      userMessage: input.message,
      signal: input.signal,
    });
    return llmResponse;
  }
}
const maybe: AbortSignal | undefined = undefined;
const memory = new InMemoryManager();
await memory.store({ conversationId: 'c', type: 'short-term', content: 'x' }, { signal: maybe });
console.log(await new Greeter(new ScriptedLLMClient([{ text: 'Hello, Ada!' }]), 'Greet.').process({ message: 'hi', signal: maybe }));
`;
    const strict = join(dir, 'strict');
    mkdirSync(strict, { recursive: true });
    writeFileSync(join(strict, 'user.ts'), user);
    writeFileSync(
      join(strict, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2023',
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: true,
          outDir: 'out',
          types: ['node'],
          typeRoots: [join(dir, 'node_modules/@types')],
        },
        include: ['user.ts'],
      }),
    );
    try {
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', strict], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(String((error as { stdout?: Buffer }).stdout));
    }
    const out = execFileSync(process.execPath, [join(strict, 'out/user.js')], { encoding: 'utf8' });
    expect(out.trim()).toBe('Hello, Ada!');
  });
});

describe('optional provider SDKs', () => {
  it('the root entry imports none of them; each provider subpath imports only its own', () => {
    const bare = (entry: string): Set<string> => {
      const found = new Set<string>();
      const visit = (file: string, visited: Set<string>) => {
        if (visited.has(file)) return;
        visited.add(file);
        const code = readFileSync(file, 'utf8');
        for (const m of code.matchAll(
          /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g,
        )) {
          const spec = m[1] as string;
          if (spec.startsWith('.')) visit(join(dirname(file), spec), visited);
          else found.add(spec);
        }
      };
      visit(join(root, 'dist', entry), new Set());
      return found;
    };
    const sdks = [
      'openai',
      '@anthropic-ai/sdk',
      '@google/genai',
      '@ai-sdk/provider',
      'ioredis',
      'bullmq',
    ];
    const rootImports = [...bare('index.js')];
    expect(
      rootImports.filter((s) => sdks.some((sdk) => s === sdk || s.startsWith(`${sdk}/`))),
    ).toEqual([]);
    const sdkOf = (entry: string) =>
      [...bare(entry)]
        .filter((s) => sdks.some((sdk) => s === sdk || s.startsWith(`${sdk}/`)))
        .sort();
    // Provider SDKs and ioredis are imported on a client's first call, never by a subpath.
    expect(sdkOf('providers/openai/index.js')).toEqual([]);
    expect(sdkOf('providers/anthropic/index.js')).toEqual([]);
    expect(sdkOf('providers/gemini/index.js')).toEqual([]);
    expect(sdkOf('providers/ai-sdk/index.js')).toEqual([]); // types only at runtime
    expect(sdkOf('redis/index.js')).toEqual([]);
    // arshai/bullmq loads both when it is imported (a top-level await): statically none.
    expect(sdkOf('bullmq/index.js')).toEqual([]);
  });
});

describe('optional provider SDKs at run time', () => {
  it('loading arshai or a provider subpath loads no SDK; a client loads only its own on first use', () => {
    // Records every module Node resolves while importing one entry (module.registerHooks).
    writeFileSync(
      join(dir, 'probe.mjs'),
      `import { registerHooks } from 'node:module';
const urls = [];
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); urls.push(r.url); return r; } });
await import(process.argv[2]);
console.log(JSON.stringify(urls));
`,
    );
    const sdks = [
      'openai',
      '@anthropic-ai/sdk',
      '@google/genai',
      '@ai-sdk/provider',
      'ioredis',
      'bullmq',
    ];
    const loadedSdks = (entry: string): string[] => {
      const out = execFileSync(process.execPath, [join(dir, 'probe.mjs'), entry], {
        cwd: dir,
        encoding: 'utf8',
      });
      const urls = JSON.parse(out) as string[];
      return sdks.filter((sdk) => urls.some((url) => url.includes(`/node_modules/${sdk}/`)));
    };
    expect(loadedSdks('arshai')).toEqual([]);
    for (const entry of ['openai', 'anthropic', 'gemini', 'ai-sdk', 'redis']) {
      expect(loadedSdks(`arshai/${entry}`)).toEqual([]);
    }
    expect(loadedSdks('arshai/bullmq')).toEqual(['ioredis', 'bullmq']);
    // A first call loads the client's own SDK and no other.
    const firstCall = (entry: string, code: string): string[] => {
      writeFileSync(
        join(dir, 'first-call.mjs'),
        `import { registerHooks } from 'node:module';
const urls = [];
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); urls.push(r.url); return r; } });
const m = await import('${entry}');
await (${code}).catch(() => {});
console.log(JSON.stringify(urls));
process.exit(0); // an unreachable server's client may keep retrying
`,
      );
      const urls = JSON.parse(
        execFileSync(process.execPath, [join(dir, 'first-call.mjs')], {
          cwd: dir,
          encoding: 'utf8',
        }),
      ) as string[];
      return sdks.filter((sdk) => urls.some((url) => url.includes(`/node_modules/${sdk}/`)));
    };
    const chat = "{ systemPrompt: 's', userMessage: 'hi', timeoutMs: 1 }";
    expect(
      firstCall(
        'arshai/openai',
        `new m.OpenAIClient({ model: 'm', apiKey: 'k', baseURL: 'http://127.0.0.1:1/v1' }).chat(${chat})`,
      ),
    ).toEqual(['openai']);
    expect(
      firstCall(
        'arshai/anthropic',
        `new m.AnthropicClient({ model: 'm', apiKey: 'k', baseURL: 'http://127.0.0.1:1' }).chat(${chat})`,
      ),
    ).toEqual(['@anthropic-ai/sdk']);
    expect(
      firstCall(
        'arshai/gemini',
        `new m.GeminiClient({ model: 'm', apiKey: 'k', baseURL: 'http://127.0.0.1:1' }).chat(${chat})`,
      ),
    ).toEqual(['@google/genai']);
    expect(
      firstCall(
        'arshai/redis',
        `new m.RedisCheckpointer({ url: 'redis://127.0.0.1:1', timeoutMs: 50 }).getLatest('r')`,
      ),
    ).toEqual(['ioredis']);
  });
});
