import type { ApiErrorBody } from '../../../shared/contract';
import { errorResponse } from '../../api';
import { TimelapserError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { commandUsage, groupUsage, UsageError } from './args';
import type { CommandSpec } from './command';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface Output {
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** JSON lines on stderr: the core's warnings, and `serve`'s info lines. */
  log: Logger;
}

/**
 * Success: with --json the HTTP API's exact body, else a readable summary:
 * the title, the result in words (the wording the UI and the menu use), then every field.
 */
export function printData(
  out: Output,
  data: unknown,
  title?: string,
  summary: readonly string[] = [],
): void {
  if (out.json) {
    out.stdout.write(`${JSON.stringify({ success: true, data })}\n`);
    return;
  }
  if (title) out.stdout.write(`${title}\n`);
  for (const line of summary) out.stdout.write(`${line}\n`);
  out.stdout.write(`${formatHuman(data, title ? 1 : 0)}\n`);
}

/** A failure whose message says it all in words: its details go only into the --json body. */
export class ReportedError extends TimelapserError {}

/** Where a failure happened: every command (for a group's usage) and the one that ran, if any. */
export interface FailureContext {
  commands: readonly CommandSpec[];
  command?: CommandSpec | null;
}

/**
 * Failure: the spec's error body (--json on stdout), else one message on
 * stderr, its details in words, and for a usage or validation error (400) the
 * command's usage instead of the schema's internals. Answers the exit code.
 */
export function printError(out: Output, error: unknown, where: FailureContext): number {
  const body: ApiErrorBody = errorResponse(error, out.log);
  const usageError = error instanceof UsageError || body.status_code === 400;
  if (out.json) out.stdout.write(`${JSON.stringify(body)}\n`);
  else {
    out.stderr.write(`timelapser: ${body.error}\n`);
    const { code: _code, issues: _issues, ...details } = body.details;
    if (Object.keys(details).length > 0 && !(error instanceof ReportedError))
      out.stderr.write(`${formatHuman(details, 1)}\n`);
    if (usageError) out.stderr.write(usageHint(error, where));
  }
  return usageError ? EXIT.usage : EXIT.failed;
}

function usageHint(error: unknown, { commands, command }: FailureContext): string {
  const usageError = error instanceof UsageError ? error : null;
  const named = usageError?.command ?? command;
  if (named) return `\n${commandUsage(named)}\n`;
  if (usageError?.group) return `\n${groupUsage(usageError.group, commands)}\n`;
  return 'Run "timelapser --help" for usage.\n';
}

/** Nested data as indented "key: value" lines. */
export function formatHuman(value: unknown, depth = 0): string {
  const pad = '  '.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}(none)`;
    return value
      .map((item) =>
        isObject(item) ? `${pad}-\n${formatHuman(item, depth + 1)}` : `${pad}- ${scalar(item)}`,
      )
      .join('\n');
  }
  if (!isObject(value)) return `${pad}${scalar(value)}`;
  return Object.entries(value)
    .map(([key, item]) => {
      const label = key.replace(/_/g, ' ');
      if (isObject(item) || (Array.isArray(item) && item.length > 0))
        return `${pad}${label}:\n${formatHuman(item, depth + 1)}`;
      return `${pad}${label}: ${Array.isArray(item) ? '(none)' : scalar(item)}`;
    })
    .join('\n');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toFixed(2);
  return String(value);
}
