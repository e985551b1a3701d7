import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TimelapserError } from '../../errors';
import type { CommandSpec, OptionSpec, OptionValues } from './command';

/** Bad command line: exit code 2, with the usage of the command, of its group, or of the CLI. */
export class UsageError extends TimelapserError {
  constructor(
    message: string,
    /** The command the line named, when known: its usage is shown. */
    readonly command?: CommandSpec,
    /** The group the line named ("thumbnails") when no command of it was given: its commands are listed. */
    readonly group?: string,
  ) {
    super(message, 'usage', 400);
  }
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec & { short?: string }>> = {
  data: {
    type: 'string',
    value: 'DIR',
    description: "the data root (default: $TIMELAPSER_DATA, else the app's library)",
  },
  json: { type: 'boolean', description: 'print exactly the JSON the HTTP API returns' },
  help: { type: 'boolean', short: 'h', description: 'this text' },
};

export interface Invocation {
  /** Null for `timelapser --help` and `timelapser <group> --help`. */
  command: CommandSpec | null;
  /** `timelapser thumbnails --help`: the group whose commands to list. */
  group?: string;
  help: boolean;
  /** Positionals after the command words. */
  rest: string[];
  options: OptionValues;
}

/** Parses argv against the commands' declarations. */
export function parseCommandLine(
  argv: readonly string[],
  commands: readonly CommandSpec[],
): Invocation {
  const config: ParseArgsConfig['options'] = {};
  const all: [string, OptionSpec & { short?: string }][] = [
    ...Object.entries(GLOBAL_OPTIONS),
    ...commands.flatMap((command) => Object.entries(command.options ?? {})),
  ];
  for (const [name, spec] of all) {
    config[name] = {
      type: spec.type,
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  // A lenient pass finds the command, so a strict error can show its usage.
  const loose = parseArgs({
    args: [...argv],
    options: config,
    allowPositionals: true,
    strict: false,
  });
  const command = findCommand(loose.positionals, commands);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, command ?? undefined);
  }
  const values = parsed.values as OptionValues;
  const help = values.help === true;
  if (!command) {
    const group = findGroup(parsed.positionals, commands);
    if (help && (parsed.positionals.length === 0 || group))
      return { command: null, group, help, rest: [], options: values };
    if (group && parsed.positionals.length === 1)
      throw new UsageError(`"${group}" needs a command`, undefined, group);
    const given = parsed.positionals.slice(0, 2).join(' ');
    throw new UsageError(
      given ? `Unknown command "${given}"` : 'No command given',
      undefined,
      group,
    );
  }
  if (help) return { command, help, rest: [], options: values };
  const rest = parsed.positionals.slice(command.name.split(' ').length);
  for (const given of Object.keys(values)) {
    if (!Object.hasOwn(GLOBAL_OPTIONS, given) && !Object.hasOwn(command.options ?? {}, given)) {
      throw new UsageError(`"${command.name}" does not take --${given}`, command);
    }
  }
  const expected = command.positionals ?? [];
  if (rest.length < expected.length)
    throw new UsageError(`"${command.name}" needs ${expected[rest.length]}`, command);
  if (rest.length > expected.length)
    throw new UsageError(`Unexpected argument "${rest[expected.length]}"`, command);
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    if (spec.required && values[name] === undefined)
      throw new UsageError(`"${command.name}" needs --${name}`, command);
  }
  return { command, help, rest, options: values };
}

/** The command whose words start the positionals (the longest match). */
function findCommand(
  words: readonly string[],
  commands: readonly CommandSpec[],
): CommandSpec | null {
  let best: CommandSpec | null = null;
  for (const command of commands) {
    const name = command.name.split(' ');
    if (
      name.every((word, i) => words[i] === word) &&
      (!best || name.length > best.name.split(' ').length)
    )
      best = command;
  }
  return best;
}

/** The first word of the line when it names a group of commands ("thumbnails", "jobs"). */
function findGroup(words: readonly string[], commands: readonly CommandSpec[]): string | undefined {
  const first = words[0];
  return commands.some((command) => command.name.startsWith(`${first} `)) ? first : undefined;
}

const PAD = 34;

function optionUsage(name: string, spec: OptionSpec): string {
  const flag = spec.type === 'string' ? `--${name} ${spec.value ?? 'VALUE'}` : `--${name}`;
  return spec.required ? flag : `[${flag}]${spec.multiple ? '...' : ''}`;
}

/** `serve [--host H] …` */
export function commandLine(command: CommandSpec): string {
  return [
    command.name,
    ...(command.positionals ?? []),
    ...Object.entries(command.options ?? {}).map(([n, s]) => optionUsage(n, s)),
  ].join(' ');
}

function optionLines(options: Readonly<Record<string, OptionSpec & { short?: string }>>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const long = spec.type === 'string' ? `--${name} ${spec.value ?? 'VALUE'}` : `--${name}`;
    const flag = spec.short ? `-${spec.short}, ${long}` : long;
    return `  ${flag.padEnd(PAD - 2)} ${spec.description}`;
  });
}

const EXIT_CODES = 'Exit codes: 0 success, 1 the operation failed, 2 usage error.';

function commandLines(commands: readonly CommandSpec[]): string[] {
  return commands.map((command) => {
    const line = `  ${commandLine(command)}`;
    return line.length < PAD
      ? `${line.padEnd(PAD)} ${command.summary}`
      : `${line}\n${' '.repeat(PAD + 1)}${command.summary}`;
  });
}

/** `timelapser --help`: every command. */
export function usage(commands: readonly CommandSpec[]): string {
  return [
    'Usage: timelapser [--data DIR] <command> [--json]',
    '',
    'Commands:',
    ...commandLines(commands),
    '',
    'Options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run "timelapser <command> --help" for one command.',
    EXIT_CODES,
  ].join('\n');
}

/** `timelapser thumbnails --help`: the group's commands. */
export function groupUsage(group: string, commands: readonly CommandSpec[]): string {
  return [
    `Usage: timelapser [--data DIR] ${group} <command> [--json]`,
    '',
    'Commands:',
    ...commandLines(commands.filter((command) => command.name.startsWith(`${group} `))),
    '',
    'Options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    `Run "timelapser ${group} <command> --help" for one command.`,
    EXIT_CODES,
  ].join('\n');
}

/** `timelapser <command> --help`. */
export function commandUsage(command: CommandSpec): string {
  const options = command.options ?? {};
  return [
    `Usage: timelapser [--data DIR] ${commandLine(command)} [--json]`,
    '',
    command.summary,
    ...(Object.keys(options).length > 0 ? ['', 'Options:', ...optionLines(options)] : []),
    ...optionLines(GLOBAL_OPTIONS),
    '',
    EXIT_CODES,
  ].join('\n');
}
