import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** An option a command accepts. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  /** Shown as `<hint>` after a string option. */
  hint?: string;
}

/** A command's help and the options it accepts. */
export interface CommandSpec {
  usage: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** The command works without the store (it takes no `--store`). */
  storeless?: boolean;
}

/** The options every command has. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  store: {
    type: 'string',
    hint: 'path',
    description: 'SQLite store of runs and memory (default .arshai/arshai.db)',
  },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

/** Parses `argv` strictly against a command's options; any problem is a `UsageError`. */
export function parseCommand(
  spec: CommandSpec,
  argv: string[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const options = { ...commonOptions(spec), ...spec.options };
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          o.short ? { type: o.type, short: o.short } : { type: o.type },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new UsageError(`${problemOf(error)} (see: arshai ${spec.usage.split(' ')[0]} --help)`);
  }
}

/** The options of every command (`--store` only where the command uses the store). */
function commonOptions(spec: CommandSpec): Record<string, OptionSpec> {
  if (!spec.storeless) return COMMON_OPTIONS;
  const { store: _, ...rest } = COMMON_OPTIONS;
  return rest;
}

/** What `parseArgs` refused, in one line of ours naming the flag (never Node's own wording). */
function problemOf(error: unknown): string {
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1] ?? 'an option';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing|ambiguous/.test(message)
        ? `${flag} needs a value (for one starting with "-", write ${flag}=<value>)`
        : `${flag} takes no value`;
    default:
      return message.split('\n')[0] ?? 'bad arguments';
  }
}

/** The `--help` text of a command. */
export function helpText(spec: CommandSpec): string {
  const options = { ...spec.options, ...commonOptions(spec) };
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.hint ? ` <${o.hint}>` : ''}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return [
    `Usage: arshai ${spec.usage}`,
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`),
    '',
  ].join('\n');
}
