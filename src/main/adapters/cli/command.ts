import type { LogLevel } from '../../logging/logger';
import type { CliContext } from './context';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once (string options only). */
  multiple?: boolean;
  /** The value's placeholder in usage text (string options). */
  value?: string;
  description: string;
  /** Missing: the command's usage and exit code 2. */
  required?: boolean;
}

/**
 * One `timelapser` command, declared once: its words, usage, options and what
 * it runs. The parser, `timelapser --help` and `timelapser <command> --help`
 * are all derived from these declarations.
 */
export interface CommandSpec {
  /** The words that name it: 'serve', 'thumbnails verify'. */
  name: string;
  summary: string;
  /** Required positional arguments, in order, by placeholder ('<folder>'). */
  positionals?: readonly string[];
  options?: Readonly<Record<string, OptionSpec>>;
  /** The level it logs at on stderr (default warn, so one-shot output stays alone). */
  logLevel?: LogLevel;
  run(ctx: CliContext): Promise<void>;
}

/** What a command's options parse to. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A string option's value; undefined when not given. */
export function stringOption(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}
