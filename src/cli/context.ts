import type { Output } from './progress.js';

/** What a command runs with: all passed in, so tests can drive commands directly. */
export interface CliContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: Output;
  /** Where errors go (never `process.stderr` directly). */
  stderr: Output;
  stdin: NodeJS.ReadStream;
  cwd: string;
}

/** A command: its help and what it does; returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  run(context: CliContext): Promise<number>;
}
