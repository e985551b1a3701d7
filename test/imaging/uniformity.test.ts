import { describe, expect, it } from 'vitest';
import { isFlat, measureFlatness, MAX_OVERLAY_ROWS } from '../../src/main/imaging/uniformity';

const WIDTH = 64;
const ROWS = 36;

/** A grey grid (one channel) with `paint(column, row)` giving a cell another value. */
function grid(
  paint: (column: number, row: number) => number | undefined = () => undefined,
): Uint8Array {
  return Uint8Array.from(
    { length: WIDTH * ROWS },
    (_, i) => paint(i % WIDTH, Math.floor(i / WIDTH)) ?? 128,
  );
}

describe('measureFlatness', () => {
  it('finds no detail in a flat grid, nor in one whose cells differ by sensor noise', () => {
    expect(measureFlatness(grid(), WIDTH, 1)).toEqual({ detail_rows: 0, detail_cells: 0 });
    expect(
      measureFlatness(
        grid((c, r) => 128 + ((c * 7 + r * 3) % 9) - 4),
        WIDTH,
        1,
      ).detail_rows,
    ).toBe(0);
  });

  it('calls lines of text on a flat screen flat: their rows are few', () => {
    const caption = (c: number, r: number) =>
      r >= 16 && r < 20 && c > 20 && c < 44 && (c + r) % 3 ? 255 : undefined;
    const clock = (c: number, r: number) => (r >= 1 && r < 3 && c < 22 && c % 2 ? 240 : undefined);
    const flatness = measureFlatness(
      grid((c, r) => caption(c, r) ?? clock(c, r)),
      WIDTH,
      1,
    );
    expect(flatness.detail_rows).toBeCloseTo(6 / ROWS);
    expect(isFlat(flatness)).toBe(true);
  });

  it('calls a thin ring a scene: its few cells reach most rows', () => {
    const ring = (c: number, r: number) =>
      Math.abs(Math.hypot((c - 32) / 1.1, r - 18) - 12) < 0.7 ? 90 : undefined;
    const flatness = measureFlatness(grid(ring), WIDTH, 1);
    expect(flatness.detail_cells).toBeLessThan(0.06);
    expect(flatness.detail_rows).toBeGreaterThan(MAX_OVERLAY_ROWS);
    expect(isFlat(flatness)).toBe(false);
  });

  it('calls a gentle gradient a scene, and looks at every channel', () => {
    expect(
      isFlat(
        measureFlatness(
          grid((_c, r) => 110 + r),
          WIDTH,
          1,
        ),
      ),
    ).toBe(false);
    const green = new Uint8Array(WIDTH * ROWS * 3).fill(100);
    for (let i = 0; i < WIDTH * ROWS; i++) green[i * 3 + 1] = 100 + (i % WIDTH) / 4;
    expect(isFlat(measureFlatness(green, WIDTH, 3))).toBe(false);
  });
});
