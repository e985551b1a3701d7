import { describe, expect, it } from 'vitest';
import { bestGrid, pageCapacity, variantForWidth } from '../../src/renderer/src/wall/grid-layout';

const ASPECT = 4 / 3;

/** Picture width in a `cols`×`rows` grid: an independent statement of what "best" means. */
function pictureWidth(cols: number, rows: number, width: number, height: number, gap: number): number {
  return Math.min((width - gap * (cols - 1)) / cols, ((height - gap * (rows - 1)) / rows) * ASPECT);
}

describe('bestGrid', () => {
  it('gives one camera the whole window, limited by its aspect ratio', () => {
    expect(bestGrid(1, 1600, 900)).toMatchObject({ cols: 1, rows: 1, tileWidth: 1200, tileHeight: 900 });
  });

  it('picks 2×2 for four cameras in a 4:3 window, one row on a wide strip and one column when tall', () => {
    expect(bestGrid(4, 1600, 1200)).toMatchObject({ cols: 2, rows: 2 });
    expect(bestGrid(3, 1920, 480)).toMatchObject({ cols: 3, rows: 1 });
    expect(bestGrid(4, 600, 1600)).toMatchObject({ cols: 1, rows: 4 });
  });

  it('for 1 to 64 cameras fits every tile without scrolling and no other grid gives a larger picture', () => {
    const windows = [
      [1920, 1080],
      [1280, 800],
      [800, 1280],
      [3840, 1080],
      [1024, 768],
    ] as const;
    const gap = 6;
    for (const [width, height] of windows) {
      for (let count = 1; count <= 64; count++) {
        const layout = bestGrid(count, width, height, { gap });
        expect(layout.cols * layout.rows).toBeGreaterThanOrEqual(count);
        expect((layout.rows - 1) * layout.cols).toBeLessThan(count); // no empty row
        expect(layout.cols * layout.tileWidth + gap * (layout.cols - 1)).toBeLessThanOrEqual(width + 1e-6);
        expect(layout.rows * layout.tileHeight + gap * (layout.rows - 1)).toBeLessThanOrEqual(height + 1e-6);
        for (let cols = 1; cols <= count; cols++) {
          const rows = Math.ceil(count / cols);
          expect(pictureWidth(cols, rows, width, height, gap)).toBeLessThanOrEqual(layout.tileWidth + 0.5);
        }
      }
    }
  });

  it('answers an empty grid for no cameras or an unmeasured window', () => {
    expect(bestGrid(0, 1000, 1000).cols).toBe(0);
    expect(bestGrid(5, 0, 0).cols).toBe(0);
  });
});

describe('pageCapacity', () => {
  it('is the most tiles that stay at least the minimum width', () => {
    const capacity = pageCapacity(100, 1920, 1080, 240);
    expect(bestGrid(capacity, 1920, 1080).tileWidth).toBeGreaterThanOrEqual(240);
    expect(bestGrid(capacity + 1, 1920, 1080).tileWidth).toBeLessThan(240);
  });

  it('never exceeds the cameras there are, and shows at least one', () => {
    expect(pageCapacity(3, 1920, 1080, 240)).toBe(3);
    expect(pageCapacity(10, 100, 100, 240)).toBe(1);
  });
});

describe('variantForWidth', () => {
  it('uses the thumbnail for small tiles, the small for larger ones and the full frame beyond', () => {
    expect(variantForWidth(180)).toBe('thumbnail');
    expect(variantForWidth(250)).toBe('thumbnail');
    expect(variantForWidth(251)).toBe('small');
    expect(variantForWidth(180, 2)).toBe('small');
    expect(variantForWidth(1000)).toBe('small');
    expect(variantForWidth(1200)).toBe('full');
  });
});
