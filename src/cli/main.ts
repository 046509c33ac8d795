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
    'Run "arshai <command> --help" for a command\'s options.',
    '',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. */
export async function main(context: CliContext): Promise<number> {
  const [name, ...rest] = context.argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(mainHelp());
    return name ? EXIT.ok : EXIT.usage;
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
