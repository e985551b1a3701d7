import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type DestinationStream } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { createLogger, type Logger, type LogLevel } from './logger';

/** The desktop app's log: `<data root>/logs/timelapser.log`, then `.1` (newest) … `.4`. */
export const LOG_DIRECTORY = 'logs';
export const LOG_FILE = 'timelapser.log';

export interface FileLoggerOptions {
  /** The data root; the log goes to its `logs/` folder. */
  dataRoot: string;
  level: LogLevel;
  /** Rotate when the current file reaches this size (default 10 MB). */
  maxBytes?: number;
  /** Files kept in all, the current one included (default 5). */
  files?: number;
  /** Also write every line to stderr (a terminal during development). */
  stderr?: boolean;
}

export interface FileLogger {
  logger: Logger;
  /** The current log file. */
  path: string;
  /** Writes out what is buffered and closes the file; later lines are dropped. */
  close(): Promise<void>;
}

/**
 * A logger writing to a size-rotated file in the data root, classical
 * logrotate style (timelapser.log → timelapser.log.1 → … → dropped), so the
 * folder never holds more than `files × maxBytes`. rotating-file-stream does
 * the rotation on a plain writable stream in this thread; an error on the
 * file (disk full, folder removed) is reported once on stderr and never
 * reaches the app.
 */
export function createFileLogger(options: FileLoggerOptions): FileLogger {
  const directory = join(options.dataRoot, LOG_DIRECTORY);
  mkdirSync(directory, { recursive: true });
  const file: RotatingFileStream = createStream(LOG_FILE, {
    path: directory,
    size: `${options.maxBytes ?? 10 * 1024 * 1024}B`,
    rotate: Math.max(1, (options.files ?? 5) - 1),
  });

  let open = true;
  file.on('error', (error) => {
    if (!open) return;
    open = false;
    process.stderr.write(
      `timelapser: the log file ${join(directory, LOG_FILE)} failed: ${error.message}\n`,
    );
  });
  const guarded: DestinationStream = {
    write(line) {
      if (open) file.write(line);
    },
  };
  const destination = options.stderr
    ? pino.multistream([
        { stream: guarded, level: 'trace' },
        { stream: pino.destination({ fd: 2, sync: true }), level: 'trace' },
      ])
    : guarded;

  return {
    logger: createLogger(destination, options.level),
    path: join(directory, LOG_FILE),
    async close() {
      if (!open) return;
      open = false;
      const finished = once(file, 'finish');
      file.end();
      await finished.catch(() => undefined);
    },
  };
}
