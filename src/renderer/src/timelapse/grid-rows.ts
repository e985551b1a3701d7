import type { DayStart } from './frame-index';

/** A row of the frame grid: a day's heading, or up to `cols` frames of one day. */
export type GridRow =
  { kind: 'day'; day: DayStart } | { kind: 'frames'; start: number; end: number };

/** The grid's rows: each day starts on a new row under its heading ("Day 3 · Tue 28 Nov"). */
export function gridRows(days: readonly DayStart[], cols: number): GridRow[] {
  const rows: GridRow[] = [];
  for (const day of days) {
    rows.push({ kind: 'day', day });
    const end = day.position + day.count;
    for (let start = day.position; start < end; start += cols) {
      rows.push({ kind: 'frames', start, end: Math.min(end, start + cols) });
    }
  }
  return rows;
}

/**
 * The index of the frames row holding `position`: the last row starting at
 * or before it (a day's heading comes just before its first frames row, which
 * starts at the same position, so the last one is always a frames row).
 */
export function rowOf(rows: readonly GridRow[], position: number): number {
  const startOf = (row: GridRow) => (row.kind === 'frames' ? row.start : row.day.position);
  let low = 0;
  let high = rows.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (startOf(rows[middle]!) <= position) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Where an arrow key moves from `position`: ±1 across the whole timelapse,
 * up and down to the same column of the frames row above or below (past a
 * day's heading), clamped to that row's frames.
 */
export function moveInGrid(
  rows: readonly GridRow[],
  position: number,
  key: string,
  total: number,
): number | null {
  if (key === 'ArrowLeft') return Math.max(0, position - 1);
  if (key === 'ArrowRight') return Math.min(total - 1, position + 1);
  const step = key === 'ArrowUp' ? -1 : key === 'ArrowDown' ? 1 : 0;
  if (step === 0) return null;
  const here = rowOf(rows, position);
  const current = rows[here];
  if (current?.kind !== 'frames') return null;
  for (let i = here + step; i >= 0 && i < rows.length; i += step) {
    const row = rows[i]!;
    if (row.kind === 'frames') return Math.min(row.end - 1, row.start + (position - current.start));
  }
  return position;
}
