import { describe, expect, it } from 'vitest';
import { FileNameError } from '../../src/main/errors';
import {
  clockOf,
  formatFileName,
  parseFileName,
  tryParseFileName,
  variantFileName,
  type FileKind,
} from '../../src/main/files/names';

describe('file names', () => {
  it('builds the spec\'s names', () => {
    const key = { timelapseId: 12, day: 1, clock: '143022', seq: 0 };
    expect(formatFileName('frame', key)).toBe('timelapse-12_day001_143022.jpg');
    expect(formatFileName('thumbnail', key)).toBe('timelapse-12_thumb_day001_143022.jpg');
    expect(formatFileName('small', key)).toBe('timelapse-12_small_day001_143022.jpg');
  });

  it('round-trips every kind, day past 999 and same-second sequences', () => {
    const kinds: FileKind[] = ['frame', 'thumbnail', 'small'];
    for (const kind of kinds) {
      for (const day of [1, 9, 10, 99, 100, 999, 1000, 12345]) {
        for (const seq of [0, 2, 17]) {
          const key = { timelapseId: 7, day, clock: '235959', seq };
          const name = formatFileName(kind, key);
          expect(parseFileName(name)).toEqual({ kind, ...key });
        }
      }
    }
    expect(formatFileName('frame', { timelapseId: 1, day: 1000, clock: '000000', seq: 0 })).toBe(
      'timelapse-1_day1000_000000.jpg',
    );
  });

  it('maps a frame name to its variants', () => {
    expect(variantFileName('timelapse-3_day002_064512.jpg', 'thumbnail')).toBe('timelapse-3_thumb_day002_064512.jpg');
    expect(variantFileName('timelapse-3_day002_064512-2.jpg', 'small')).toBe('timelapse-3_small_day002_064512-2.jpg');
    expect(() => variantFileName('timelapse-3_thumb_day002_064512.jpg', 'small')).toThrow(FileNameError);
  });

  it.each([
    'timelapse-1_day001_143022.png',
    'timelapse-0_day001_143022.jpg',
    'timelapse-01_day001_143022.jpg',
    'timelapse-1_day01_143022.jpg',
    'timelapse-1_day000_143022.jpg',
    'timelapse-1_day0100_143022.jpg',
    'timelapse-1_day001_246022.jpg',
    'timelapse-1_day001_146022.jpg',
    'timelapse-1_day001_14302.jpg',
    'timelapse-1_tiny_day001_143022.jpg',
    'timelapse-1_day001_143022-1.jpg',
    '../timelapse-1_day001_143022.jpg',
    'timelapse-1_day001_143022.jpg.tmp',
    'notes.txt',
    '',
  ])('rejects %j with a clear error, never a guess', (name) => {
    expect(() => parseFileName(name)).toThrow(FileNameError);
    expect(tryParseFileName(name)).toBeNull();
  });

  it('refuses to build a name from a bad key', () => {
    expect(() => formatFileName('frame', { timelapseId: 0, day: 1, clock: '000000', seq: 0 })).toThrow(FileNameError);
    expect(() => formatFileName('frame', { timelapseId: 1, day: 0, clock: '000000', seq: 0 })).toThrow(FileNameError);
    expect(() => formatFileName('frame', { timelapseId: 1, day: 1, clock: '250000', seq: 0 })).toThrow(FileNameError);
    expect(() => formatFileName('frame', { timelapseId: 1, day: 1, clock: '000000', seq: 1 })).toThrow(FileNameError);
  });

  it('formats local clock time', () => {
    expect(clockOf(new Date(2025, 0, 1, 7, 5, 9))).toBe('070509');
  });
});
