import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// zod is a peer: the user's own zod is the one arshai reads. Each supported line is
// installed (npm aliases in devDependencies) as the user's `zod`, next to a copy of the
// built package, so types and run time resolve to that zod alone.
const root = join(import.meta.dirname, '../..');
const peerRange = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    peerDependencies: Record<string, string>;
  }
).peerDependencies.zod;

const versions = [
  { alias: 'zod-3.25', v4: 'zod/v4', v3: 'zod' },
  { alias: 'zod-3', v4: 'zod/v4', v3: 'zod' },
  { alias: 'zod-4.0', v4: 'zod', v3: 'zod/v3' },
  { alias: 'zod-4.1', v4: 'zod', v3: 'zod/v3' },
  { alias: 'zod', v4: 'zod', v3: 'zod/v3' },
];

const sample = (v4: string, v3: string) => `import { z } from '${v4}';
import { z as z3 } from '${v3}';
import { END, InvalidInputError, tool, WorkflowGraph, WorkflowRunner } from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';

const add = tool({
  description: 'Adds',
  parameters: z.object({ a: z.number(), b: z.number().optional() }),
  execute: ({ a, b }) => a + (b ?? 0),
});
const Trip = z.object({ city: z.string(), days: z.number().int().optional() });
const llm = new ScriptedLLMClient([
  { toolCalls: [{ name: 'add', args: { a: 2, b: 3 } }] },
  { text: 'five' },
  { text: '{"city":"Paris","days":3}' },
]);
const r1 = await llm.chat({ systemPrompt: 's', userMessage: 'add', regularFunctions: { add } });
const r2 = await llm.chat({ systemPrompt: 's', userMessage: 'plan', structureType: Trip });
const city: string = r2.llmResponse.city;
const days: number | undefined = r2.llmResponse.days;
// @ts-expect-error the structured result is typed, not any
const wrong: number = r2.llmResponse.city;

const graph = new WorkflowGraph({ state: z.object({ count: z.number() }) })
  .addNode('inc', (s) => ({ count: s.count + 1 }))
  .addEdge('inc', END)
  .setEntryPoint('inc');
const run = await new WorkflowRunner(graph.compile()).executeWorkflow({ userId: 'u', state: { count: 1 } });
const count: number = run.state.count;

let refused = '';
try {
  tool({ description: 'old', parameters: z3.object({ a: z3.number() }) as never, execute: () => 0 });
} catch (error) {
  refused = error instanceof InvalidInputError ? error.message : String(error);
}
console.log(JSON.stringify({
  answer: r1.llmResponse, sum: r1.toolCalls[0]?.output, params: llm.calls[0]?.tools[0]?.parameters,
  format: llm.calls[2]?.responseFormat, city, days, wrong, count, refused,
}));
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('zod as a peer dependency', () => {
  it('is a peer with the tested range, not a dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(pkg.dependencies?.zod).toBeUndefined();
    expect(peerRange).toBe('^3.25.45 || ^4.0.0');
  });

  it.each(versions)('works with the user’s $alias (types and run time)', ({ alias, v4, v3 }) => {
    const version = (
      JSON.parse(readFileSync(join(root, 'node_modules', alias, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    const dir = mkdtempSync(join(tmpdir(), 'arshai-zod-'));
    dirs.push(dir);
    const pkg = join(dir, 'node_modules/arshai');
    mkdirSync(pkg, { recursive: true });
    cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    // A copy, not a link: zod imports itself by name, which must find this zod.
    cpSync(join(root, 'node_modules', alias), join(dir, 'node_modules/zod'), { recursive: true });
    symlinkSync(join(root, 'node_modules/@types'), join(dir, 'node_modules/@types'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'user.ts'), sample(v4, v3));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2023',
          strict: true,
          skipLibCheck: true,
          outDir: 'out',
          types: ['node'],
        },
        include: ['user.ts'],
      }),
    );
    try {
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', dir], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`zod ${version}: ${String((error as { stdout?: Buffer }).stdout)}`);
    }
    const out = JSON.parse(
      execFileSync(process.execPath, [join(dir, 'out/user.js')], { encoding: 'utf8' }),
    ) as Record<string, unknown>;
    expect(out).toEqual({
      answer: 'five',
      sum: 5,
      params: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a'],
        additionalProperties: false,
      },
      format: expect.objectContaining({ type: 'object', required: ['city'] }),
      city: 'Paris',
      days: 3,
      wrong: 'Paris',
      count: 2,
      refused: expect.stringContaining('tool.parameters'),
    });
  });
});
