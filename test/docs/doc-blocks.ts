import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/** A ```ts code block of a Markdown file, written out as a module. */
export interface DocBlock {
  source: string;
  line: number;
  file: string;
}

const root = join(import.meta.dirname, '../..');
export const outDir = join(root, '.tmp/doc-blocks');

/** README.md and every docs/**.md file. */
export function markdownFiles(): string[] {
  const files = [join(root, 'README.md')];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  if (existsSync(join(root, 'docs'))) walk(join(root, 'docs'));
  return files;
}

/**
 * Writes every ```ts block (not those marked ```ts no-run) to `.tmp/doc-blocks/` as its own
 * module. Blocks import from 'arshai' like a user would.
 */
export function extractBlocks(): DocBlock[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const blocks: DocBlock[] = [];
  for (const md of markdownFiles()) {
    const lines = readFileSync(md, 'utf8').split('\n');
    let start = -1;
    let body: string[] = [];
    lines.forEach((text, i) => {
      if (start < 0 && /^```(ts|typescript)\s*$/.test(text)) {
        start = i + 1;
        body = [];
      } else if (start >= 0 && text.startsWith('```')) {
        const name = `${relative(root, md).replace(/[/.]/g, '_')}_L${start}.ts`;
        const file = join(outDir, name);
        writeFileSync(file, `${body.join('\n')}\nexport {};\n`);
        blocks.push({ source: `${basename(md)}:${start}`, line: start, file });
        start = -1;
      } else if (start >= 0) body.push(text);
    });
  }
  return blocks;
}
