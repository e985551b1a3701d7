import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger, LOG_DIRECTORY, LOG_FILE } from '../../src/main/logging/file-logger';
import { LOG_LEVEL_ENV, logLevel, type Logger } from '../../src/main/logging/logger';
import { useTempDir } from '../helpers/temp-library';

const dir = useTempDir('timelapser-log-');
const MAX_BYTES = 4096;

function logFiles(): string[] {
  return readdirSync(join(dir.path, LOG_DIRECTORY)).sort();
}

function linesOf(name: string): Record<string, unknown>[] {
  return readFileSync(join(dir.path, LOG_DIRECTORY, name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Logs `count` numbered lines of about 200 bytes in one burst (rotation catches up on its own). */
function writeLines(log: Logger, from: number, count: number): void {
  for (let n = from; n < from + count; n++) log.info({ n, padding: 'x'.repeat(120) }, 'a line');
}

describe('the desktop log file', () => {
  it('writes JSON lines to <data root>/logs/timelapser.log and rotates by size, keeping a bounded set', async () => {
    const file = createFileLogger({
      dataRoot: dir.path,
      level: 'info',
      maxBytes: MAX_BYTES,
      files: 3,
    });
    expect(file.path).toBe(join(dir.path, LOG_DIRECTORY, LOG_FILE));
    // ~200 bytes a line: 200 lines are ~10 rotations' worth.
    writeLines(file.logger.child({ component: 'test' }), 0, 200);
    file.logger.debug('below the level: not written');
    await file.close();

    expect(logFiles()).toEqual([LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`]);
    for (const name of logFiles()) {
      // A rotation happens after the write that crosses the limit.
      expect(statSync(join(dir.path, LOG_DIRECTORY, name)).size).toBeLessThan(MAX_BYTES + 400);
    }
    // Oldest to newest, the kept lines run on without a gap and end with the last one.
    const kept = [`${LOG_FILE}.2`, `${LOG_FILE}.1`, LOG_FILE].flatMap(linesOf);
    const numbers = kept.map((line) => line.n);
    expect(numbers.at(-1)).toBe(199);
    expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] as number) + i));
    expect(kept[0]).toMatchObject({
      level: 30,
      component: 'test',
      msg: 'a line',
      pid: process.pid,
    });
    expect(typeof kept[0]!.time).toBe('string'); // ISO time, readable in the file
    expect(kept.some((line) => line.msg === 'below the level: not written')).toBe(false);
  });

  it('appends on the next start and rotates a file already past the limit', async () => {
    const first = createFileLogger({
      dataRoot: dir.path,
      level: 'info',
      maxBytes: MAX_BYTES,
      files: 3,
    });
    writeLines(first.logger, 0, 3);
    await first.close();
    const second = createFileLogger({
      dataRoot: dir.path,
      level: 'info',
      maxBytes: MAX_BYTES,
      files: 3,
    });
    writeLines(second.logger, 3, 3);
    await second.close();
    expect(logFiles()).toEqual([LOG_FILE]);
    expect(linesOf(LOG_FILE).map((line) => line.n)).toEqual([0, 1, 2, 3, 4, 5]);

    const big = createFileLogger({ dataRoot: dir.path, level: 'info', maxBytes: 600, files: 3 });
    writeLines(big.logger, 6, 1);
    await big.close();
    expect(logFiles()).toEqual([LOG_FILE, `${LOG_FILE}.1`]);
    expect(linesOf(LOG_FILE).map((line) => line.n)).toEqual([6]);
  });

  it('drops lines after close instead of failing', async () => {
    const file = createFileLogger({ dataRoot: dir.path, level: 'info' });
    file.logger.warn({ err: new Error('boom') }, 'before close');
    await file.close();
    file.logger.error('after close');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = linesOf(LOG_FILE);
    expect(lines.map((line) => line.msg)).toEqual(['before close']);
    expect(lines[0]!.err).toMatchObject({ type: 'Error', message: 'boom' });
  });
});

describe('log levels', () => {
  it('follow TIMELAPSER_LOG_LEVEL when it names a level', () => {
    expect(logLevel('info', {})).toBe('info');
    expect(logLevel('info', { [LOG_LEVEL_ENV]: 'DEBUG' })).toBe('debug');
    expect(logLevel('warn', { [LOG_LEVEL_ENV]: 'silent' })).toBe('silent');
    expect(logLevel('warn', { [LOG_LEVEL_ENV]: 'loud' })).toBe('warn');
  });
});
