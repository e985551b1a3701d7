import type { ImageVariant } from '../../../shared/contract';

/**
 * The wall's geometry: the N×M grid that gives 1–64 camera tiles the largest
 * picture in a given window, without scrolling. Pure, so it is tested alone.
 */
export interface GridLayout {
  cols: number;
  rows: number;
  /** The picture's size inside one cell, keeping the camera's aspect ratio. */
  tileWidth: number;
  tileHeight: number;
}

export interface GridOptions {
  /** Width ÷ height of a camera frame (4:3 for the spec's 200×150 and 800×600). */
  aspect?: number;
  /** Space between cells, in pixels. */
  gap?: number;
}

const EMPTY: GridLayout = { cols: 0, rows: 0, tileWidth: 0, tileHeight: 0 };

export function bestGrid(count: number, width: number, height: number, options: GridOptions = {}): GridLayout {
  const { aspect = 4 / 3, gap = 0 } = options;
  if (count < 1 || width <= 0 || height <= 0) return EMPTY;
  let best = EMPTY;
  let bestEmpty = Infinity;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    // A column count whose last row would stay empty is never better than one fewer row.
    if ((rows - 1) * cols >= count) continue;
    const cellWidth = (width - gap * (cols - 1)) / cols;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    const tileWidth = Math.min(cellWidth, cellHeight * aspect);
    const empty = rows * cols - count;
    const better = tileWidth > best.tileWidth + 0.5 || (Math.abs(tileWidth - best.tileWidth) <= 0.5 && empty < bestEmpty);
    if (better) {
      best = { cols, rows, tileWidth, tileHeight: tileWidth / aspect };
      bestEmpty = empty;
    }
  }
  return best;
}

/**
 * How many tiles fit on one page with each picture at least `minTileWidth`
 * wide: the kiosk rotates pages when a wall screen has more cameras than that.
 */
export function pageCapacity(total: number, width: number, height: number, minTileWidth: number, options: GridOptions = {}): number {
  let capacity = 1;
  for (let n = 1; n <= total; n++) {
    if (bestGrid(n, width, height, options).tileWidth >= minTileWidth) capacity = n;
    else break;
  }
  return Math.min(Math.max(capacity, 1), Math.max(total, 1));
}


/** The spec's variant widths: thumbnail 200×150, small 800×600. */
const THUMBNAIL_WIDTH = 200;
const SMALL_WIDTH = 800;

/**
 * The variant to ask first for a picture drawn `cssWidth` pixels wide: the
 * thumbnail while it is not blown up by more than a quarter, the small for
 * larger tiles, the full frame only beyond the small (a fullscreen tile).
 */
export function variantForWidth(cssWidth: number, devicePixelRatio = 1): ImageVariant {
  const pixels = cssWidth * devicePixelRatio;
  if (pixels <= THUMBNAIL_WIDTH * 1.25) return 'thumbnail';
  if (pixels <= SMALL_WIDTH * 1.25) return 'small';
  return 'full';
}
