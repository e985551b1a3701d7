import { describe, expect, it } from 'vitest';
import type { DayStart, FrameEntry } from '../../src/renderer/src/timelapse/frame-index';
import { gridRows, moveInGrid, rowOf } from '../../src/renderer/src/timelapse/grid-rows';
import { aheadOf, chooseDue, edge, stepFrom } from '../../src/renderer/src/timelapse/playback';

const frames = (flags: boolean[]): FrameEntry[] =>
  flags.map((flagged, i) => ({
    id: i + 1,
    captured_at: i * 1000,
    day_number: 1,
    flag_reason: flagged ? 'uniform' : null,
  }));

describe('walking the frames', () => {
  const plain = { skipFlagged: false, loop: false };
  const skipping = { skipFlagged: true, loop: false };

  it('steps one frame at a time, skipping flagged frames only when asked', () => {
    const list = frames([false, true, true, false, false]);
    expect(stepFrom(list, 0, 1, plain)).toBe(1);
    expect(stepFrom(list, 0, 1, skipping)).toBe(3);
    expect(stepFrom(list, 3, -1, skipping)).toBe(0);
    expect(stepFrom(list, 4, 1, plain)).toBeNull();
    expect(stepFrom(list, 3, 1, skipping)).toBe(4);
    expect([edge(list, 'first', skipping), edge(list, 'last', skipping)]).toEqual([0, 4]);
    expect(edge(frames([true, true]), 'first', skipping)).toBeNull();
  });

  it('lists what plays next, wrapping once around when looping', () => {
    const list = frames([false, false, true, false, false]);
    expect(aheadOf(list, 1, 10, plain)).toEqual([2, 3, 4]);
    expect(aheadOf(list, 3, 10, { skipFlagged: true, loop: true })).toEqual([4, 0, 1]);
    expect(aheadOf(list, 0, 2, plain)).toEqual([1, 2]);
    expect(aheadOf(list, 4, 3, plain)).toEqual([]);
  });

  it('shows the furthest frame due that is ready, waits for one still loading, passes over unloadable ones', () => {
    const ready = new Set([1, 2, 3]);
    const failed = new Set([5]);
    const settled = (p: number) => ready.has(p) || failed.has(p);
    const has = (p: number) => ready.has(p);
    expect(chooseDue([1], settled, has)).toEqual({ steps: 1, draw: true });
    // Two due in one display frame (a rate above its refresh): the later is shown.
    expect(chooseDue([1, 2], settled, has)).toEqual({ steps: 2, draw: true });
    // 4 is on its way: 3 is shown, 4 is waited for rather than skipped.
    expect(chooseDue([3, 4], settled, has)).toEqual({ steps: 1, draw: true });
    expect(chooseDue([4, 5], settled, has)).toEqual({ steps: 0, draw: false });
    // 5 will never load: move past it, keeping the picture.
    expect(chooseDue([5], settled, has)).toEqual({ steps: 1, draw: false });
  });
});

describe('the grid by day', () => {
  const days: DayStart[] = [
    { day: 1, position: 0, count: 5, captured_at: 0 },
    { day: 2, position: 5, count: 2, captured_at: 86_400_000 },
    { day: 4, position: 7, count: 4, captured_at: 3 * 86_400_000 },
  ];
  const rows = gridRows(days, 3);

  it('starts each day on a new row under its heading', () => {
    expect(
      rows.map((row) => (row.kind === 'day' ? `day ${row.day.day}` : `${row.start}-${row.end}`)),
    ).toEqual(['day 1', '0-3', '3-5', 'day 2', '5-7', 'day 4', '7-10', '10-11']);
    expect([0, 4, 5, 6, 10].map((p) => rowOf(rows, p))).toEqual([1, 2, 4, 4, 7]);
  });

  it('moves with the arrow keys through rows and across day headings', () => {
    const move = (p: number, key: string) => moveInGrid(rows, p, key, 11);
    expect([move(0, 'ArrowLeft'), move(4, 'ArrowRight'), move(10, 'ArrowRight')]).toEqual([
      0, 5, 10,
    ]);
    expect(move(1, 'ArrowDown')).toBe(4);
    expect(move(4, 'ArrowDown')).toBe(6);
    expect(move(5, 'ArrowUp')).toBe(3);
    expect(move(9, 'ArrowDown')).toBe(10);
    expect(move(1, 'ArrowUp')).toBe(1);
    expect(move(1, 'Enter')).toBeNull();
  });
});
