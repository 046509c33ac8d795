#!/usr/bin/env node
/** The `arshai` executable. */
import { main } from './main.js';

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: { write: (text) => process.stdout.write(text), isTTY: Boolean(process.stdout.isTTY) },
  stderr: { write: (text) => process.stderr.write(text), isTTY: Boolean(process.stderr.isTTY) },
  stdin: process.stdin,
  cwd: process.cwd(),
});
