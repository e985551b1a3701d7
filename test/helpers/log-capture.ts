import { createLogger, type Logger, type LogLevel } from '../../src/main/logging/logger';

/** One JSON line the logger wrote, parsed. */
export interface LogRecord {
  level: number;
  msg: string;
  component?: string;
  err?: { type: string; message: string; stack: string };
  [field: string]: unknown;
}

/** A real logger (the app's format) whose lines land in `records`. */
export function captureLog(level: LogLevel = 'debug'): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = createLogger(
    { write: (line: string) => void records.push(JSON.parse(line) as LogRecord) },
    level,
  );
  return { logger, records };
}
