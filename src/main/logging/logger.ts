import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

/** What every service logs with: pino's logger (services take a child per component). */
export type { Logger } from 'pino';
export type LogLevel = LevelWithSilent;

/** Overrides every default level below (trace, debug, info, warn, error, fatal, silent). */
export const LOG_LEVEL_ENV = 'TIMELAPSER_LOG_LEVEL';

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** TIMELAPSER_LOG_LEVEL when it names a level, else `fallback`. */
export function logLevel(fallback: LogLevel, env: NodeJS.ProcessEnv = process.env): LogLevel {
  const wanted = env[LOG_LEVEL_ENV]?.trim().toLowerCase();
  return LEVELS.find((level) => level === wanted) ?? fallback;
}

/**
 * A logger writing JSON lines to `destination` in the main thread (no
 * worker-thread transport: those resolve their target by module name at run
 * time, which a bundled, asar-packed app cannot promise). Errors go under `err`.
 */
export function createLogger(destination: DestinationStream, level: LogLevel): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** JSON lines on stderr, written synchronously so nothing is lost when the process exits. */
export function createStderrLogger(level: LogLevel): Logger {
  return createLogger(pino.destination({ fd: 2, sync: true }), level);
}

/**
 * The core's logger when its caller gives none (tests, benches, scripts):
 * stderr at TIMELAPSER_LOG_LEVEL, else `info`, and `silent` under vitest so
 * tests that provoke failures on purpose print nothing.
 */
export function defaultLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  return createStderrLogger(logLevel(env.VITEST ? 'silent' : 'info', env));
}
