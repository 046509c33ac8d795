#!/usr/bin/env node
/** The `arshai` executable. */
import { main } from './main.js';

// Node 22 says "SQLite is an experimental feature" on every run of a command that opens the
// store: the CLI says nothing of it (other warnings still print). The library never does this.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning?.message;
  if (/SQLite is an experimental feature/.test(text ?? '')) return;
  (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: { write: (text) => process.stdout.write(text), isTTY: Boolean(process.stdout.isTTY) },
  stderr: { write: (text) => process.stderr.write(text), isTTY: Boolean(process.stderr.isTTY) },
  stdin: process.stdin,
  cwd: process.cwd(),
});
