/**
 * Builds the package: declarations with tsc (one .d.ts per source file), JavaScript with
 * esbuild — one file per public entry (the package's `exports` and the CLI) plus shared
 * chunks, so that `import('arshai')` reads a handful of files instead of ~150 (import time),
 * and every class exists once whichever subpaths a program imports (`instanceof` holds).
 * Packages stay external: the user's zod, the optional SDKs, Node's modules.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  exports: Record<string, string | { import?: string }>;
  bin: Record<string, string>;
};
const outputs = [
  ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [] : [e.import ?? ''])),
  ...Object.values(pkg.bin),
]
  .map((file) => file.replace(/^\.\//, ''))
  .filter((file) => file.startsWith('dist/') && file.endsWith('.js'));
const entryPoints = outputs.map((file) => file.replace('dist/', 'src/').replace(/\.js$/, '.ts'));

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
await build({
  entryPoints,
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  // Chunks sit two levels deep, as `dist/cli/` and `dist/showcase/` do: the files they
  // find through `import.meta.url` (package.json, the showcase data) stay where they were.
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
