/**
 * The README's quick start and one sample per docs page, as a user runs them: the package
 * packed with `npm pack` and unpacked into a project's node_modules, the samples type-checked
 * there (strict, NodeNext) and run with `node sample.ts`. Where a `console.log` line states its
 * output in a comment, the printed line must say it. No alias, no `src/`, no environment but
 * what the sample itself documents.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, sse, startFakeServer } from '../providers/fake-server.js';
import { chunk, usageChunk } from '../providers/openai-wire.js';
import { markdownFiles } from './doc-blocks.js';

const root = join(import.meta.dirname, '../..');

interface Sample {
  name: string;
  source: string;
  code: string;
  /** The output each commented `console.log` states, in order. */
  stated: string[];
}

/** ```ts blocks of a Markdown file (those marked `packed` included), with their first line. */
function blocksOf(md: string): Array<{ line: number; code: string; packed: boolean }> {
  const out: Array<{ line: number; code: string; packed: boolean }> = [];
  let start = -1;
  let packed = false;
  let body: string[] = [];
  readFileSync(md, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const open = /^```(ts|typescript)( packed)?\s*$/.exec(text);
      if (start < 0 && open) {
        start = i + 1;
        packed = open[2] !== undefined;
        body = [];
      } else if (start >= 0 && text.startsWith('```')) {
        out.push({ line: start, code: body.join('\n'), packed });
        start = -1;
      } else if (start >= 0) body.push(text);
    });
  return out;
}

const LOG = /^\s*console\.log\(.*\);\s*(?:\/\/\s*(.*))?$/;

/** What each `console.log` line states, or undefined when one of them states nothing. */
function statedOutput(code: string): string[] | undefined {
  const lines = code.split('\n').filter((l) => /^\s*console\.log\(/.test(l));
  if (lines.length === 0) return undefined;
  const stated = lines.map((l) => LOG.exec(l)?.[1]);
  return stated.every((s) => s !== undefined && s !== '') ? (stated as string[]) : undefined;
}

/** Needs nothing but the package: no server, no file a previous block made. */
function standalone(code: string): boolean {
  return !/process\.env\.|inject\(|redis|postgres|mcpTools|createStudio|SqliteCheckpointer|SqliteMemory/i.test(
    code,
  );
}

/** The quick start, and per page the first standalone block whose output is stated. */
function samples(): Sample[] {
  const chosen: Sample[] = [];
  for (const md of markdownFiles()) {
    const name = relative(root, md);
    const blocks = blocksOf(md);
    for (const b of blocks.filter((x) => x.packed)) {
      chosen.push({
        name: `${basename(md, '.md')}-quickstart`,
        source: `${name}:${b.line}`,
        code: b.code,
        stated: [],
      });
    }
    const first = blocks.find((b) => !b.packed && standalone(b.code) && statedOutput(b.code));
    if (first) {
      chosen.push({
        name: `${basename(md, '.md')}-L${first.line}`,
        source: `${name}:${first.line}`,
        code: first.code,
        stated: statedOutput(first.code) as string[],
      });
    }
  }
  return chosen;
}

/**
 * A printed line says what its comment states: the same up to spaces (Node prints `[ 'a' ]`
 * where a comment writes `['a']`), `...` standing for anything, and the comment may go on
 * after a colon or in parentheses.
 */
function says(printed: string, stated: string): boolean {
  const p = printed.replace(/\s+/g, '');
  const s = stated.replace(/\s+/g, '');
  const pattern = s
    .split('...')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}((:|\\().*)?$`).test(p);
}

/** Printed lines, an object Node spread over several lines joined back into one. */
function records(out: string): string[] {
  const lines: string[] = [];
  for (const line of out.trimEnd().split('\n')) {
    if (lines.length > 0 && /^(\s|[}\]])/.test(line)) lines[lines.length - 1] += ` ${line.trim()}`;
    else lines.push(line);
  }
  return lines;
}

/** The packages a sample imports besides arshai (a user installs them too). */
function importsOf(code: string): string[] {
  const names = [...code.matchAll(/from '([^'.][^']*)'/g)].map((m) => m[1] as string);
  return names
    .filter((n) => n !== 'arshai' && !n.startsWith('arshai/') && !n.startsWith('node:'))
    .map((n) =>
      n.startsWith('@') ? n.split('/').slice(0, 2).join('/') : (n.split('/')[0] as string),
    );
}

const all = samples();
let dir: string;
let openai: FakeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'arshai-packed-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  execFileSync('tar', ['xzf', join(dir, tarball), '-C', modules]);
  execFileSync('mv', [join(modules, 'package'), join(modules, 'arshai')]);
  // The packages a user installs beside arshai (zod, the provider SDK), and Node's types.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    peerDependencies: Record<string, string>;
  };
  const used = all.flatMap((x) => importsOf(x.code));
  for (const name of new Set([...Object.keys(pkg.peerDependencies), ...used, '@types/node'])) {
    const target = join(modules, name);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), target, 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const s of all) writeFileSync(join(dir, `${s.name}.ts`), `${s.code}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2023',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['*.ts'],
    }),
  );
  // The quick start's model: a local server speaking OpenAI's Chat Completions stream.
  openai = await startFakeServer([
    {
      sse: [
        chunk({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              index: 0,
              id: 'call_1',
              type: 'function',
              function: { name: 'getWeather', arguments: '' },
            },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Lisbon"}' } }] }),
        chunk({}, 'tool_calls'),
        usageChunk,
        sse('[DONE]'),
      ],
    },
    {
      sse: [
        chunk({ role: 'assistant', content: 'It is 21 °C ' }),
        chunk({ content: 'in Lisbon.' }),
        chunk({}, 'stop'),
        usageChunk,
        sse('[DONE]'),
      ],
    },
  ]);
}, 120_000);

afterAll(async () => {
  await openai?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('docs samples from the packed package', () => {
  it('chooses the quick start and a sample of every page that has one', () => {
    const names = all.map((s) => s.source);
    expect(names).toContain('README.md:47');
    expect(new Set(all.map((s) => s.source.split(':')[0])).size).toBeGreaterThanOrEqual(8);
  });

  it('type-check against the installed package', () => {
    try {
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8' });
    } catch (error) {
      throw new Error(`Samples do not type-check:\n${(error as { stdout?: string }).stdout}`);
    }
  }, 120_000);

  it('the quick start streams a real provider’s answer (its key from the environment)', async () => {
    // Not execFileSync: the model's server answers from this process.
    const { stdout: out } = await promisify(execFile)(
      process.execPath,
      [join(dir, 'README-quickstart.ts')],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          PATH: process.env.PATH ?? '',
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: `${openai.url}/v1`,
        },
      },
    );
    expect(out).toBe('It is 21 °C in Lisbon.\n(58 tokens)\n');
    const [first, second] = openai.requests;
    expect(first?.headers.authorization).toBe('Bearer sk-test');
    expect(
      (first?.body as { tools?: Array<{ function: { name: string } }> } | undefined)?.tools?.[0]
        ?.function.name,
    ).toBe('getWeather');
    expect((second?.body as { messages?: unknown[] } | undefined)?.messages?.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: JSON.stringify({ city: 'Lisbon', celsius: 21 }),
    });
  });

  for (const s of all.filter((x) => x.stated.length > 0)) {
    it(`${s.source} prints what its comments state`, () => {
      const out = execFileSync(process.execPath, [join(dir, `${s.name}.ts`)], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '' },
      });
      const printed = records(out);
      expect(printed.length, out).toBe(s.stated.length);
      s.stated.forEach((stated, i) => {
        expect(
          says(printed[i] as string, stated),
          `printed "${printed[i]}", the comment says "${stated}"`,
        ).toBe(true);
      });
    });
  }
});
