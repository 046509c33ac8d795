/** The `arshai` command line: the showcase, run history, resume, graphs. */
import { ArshaiError } from '../errors/arshai-error.js';
import { demo } from './commands/demo.js';
import { graph } from './commands/graph.js';
import { resume } from './commands/resume.js';
import { runs } from './commands/runs.js';
import { studio } from './commands/studio.js';
import { worker } from './commands/worker.js';
import type { CliContext, Command } from './context.js';
import { EXIT, UsageError } from './usage-error.js';

const COMMANDS: Command[] = [demo, runs, resume, graph, worker, studio];

function mainHelp(): string {
  return [
    'Usage: arshai <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`),
    '',
    'Run "arshai <command> --help" for a command\'s options, "arshai --version" for the version.',
    '',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. */
export async function main(context: CliContext): Promise<number> {
  const [name, ...rest] = context.argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(mainHelp());
    return EXIT.ok;
  }
  // No command: the usage, on stderr, and the usage exit code.
  if (!name) {
    context.stderr.write(mainHelp());
    return EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    context.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command)
      throw new UsageError(
        `unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
      );
    return await command.run({ ...context, argv: rest });
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr.write(`arshai: ${error.message}\n`);
      return EXIT.usage;
    }
    const typed = ArshaiError.isInstance(error) ? `${error.name}: ` : '';
    context.stderr.write(`arshai: ${typed}${(error as Error)?.message ?? String(error)}\n`);
    return EXIT.failed;
  }
}

/** arshai's version, from the package's own package.json (read only when asked). */
function version(): string {
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return String((pkg as { version?: unknown }).version);
}
