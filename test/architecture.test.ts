/** Dependencies go one way: a folder of src/ imports only folders below it (CONTRIBUTING.md). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const src = join(import.meta.dirname, '../src');

/** The order, bottom first; folders of one tier never import each other. */
const TIERS: string[][] = [
  ['errors'],
  ['utils'],
  ['resilience', 'storage', 'telemetry'],
  ['llm'],
  ['providers', 'memory', 'adapter-kit'],
  ['agents'],
  ['orchestration', 'workflows'],
  ['testing', 'redis', 'mcp', 'postgres', 'studio'],
  ['bullmq'],
  ['showcase'],
  ['cli'],
];

const tierOf = new Map(TIERS.flatMap((folders, tier) => folders.map((f) => [f, tier] as const)));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

it('every folder of src/ is in the order, and imports only folders below it', () => {
  const folders = readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const folder of folders) expect(tierOf.has(folder.name), folder.name).toBe(true);
  const wrong: string[] = [];
  for (const file of files(src)) {
    const from = relative(src, file).split('/')[0] as string;
    if (!tierOf.has(from)) continue; // src/index.ts re-exports every layer
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/from '(\.[^']+)'/g)) {
      const to = relative(src, resolve(dirname(file), spec as string)).split('/')[0] as string;
      if (to === from) continue;
      const a = tierOf.get(from) as number;
      const b = tierOf.get(to);
      if (b === undefined || b >= a) wrong.push(`${relative(src, file)} imports ${spec}`);
    }
  }
  expect(wrong).toEqual([]);
});
