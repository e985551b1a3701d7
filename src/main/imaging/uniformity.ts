/**
 * Is a frame a flat "no signal" screen? Recorders show one flat colour (grey,
 * black, green, blue) with a few lines of text: a caption, a channel name, the
 * date and time. Real low-detail scenes are not like that: a thin ring drawn
 * on paper, fog, a night street with a few lights or gravel all have
 * something besides the background colour in most rows of the picture, even
 * where that something is faint or thin.
 *
 * So the test is made on a small grid of cells (each the mean of a block of
 * the frame, which averages sensor noise away): the cells that differ from
 * the frame's median colour by more than a few levels are detail, and a frame
 * is flat when its detail fits in a few rows, as lines of text do.
 */

/** Levels (0–255) a cell may differ from the median colour and still be background. */
export const BACKGROUND_TOLERANCE = 4;
/** Largest share of the grid's rows an overlay's lines of text occupy on a flat screen. */
export const MAX_OVERLAY_ROWS = 0.45;

export interface Flatness {
  /** Share of the grid's rows holding at least one cell that is not the background colour. */
  detail_rows: number;
  /** Share of cells that are not the background colour. */
  detail_cells: number;
}

/** Measures a grid of `width` cells per row, `channels` interleaved values per cell. */
export function measureFlatness(cells: Uint8Array, width: number, channels: number): Flatness {
  const count = Math.floor(cells.length / channels);
  const rows = Math.floor(count / width);
  if (rows === 0) return { detail_rows: 0, detail_cells: 0 };
  const background = Array.from({ length: channels }, (_, c) =>
    channelMedian(cells, channels, c, count),
  );
  let detailRows = 0;
  let detailCells = 0;
  for (let row = 0; row < rows; row++) {
    let rowHasDetail = false;
    for (let column = 0; column < width; column++) {
      const at = (row * width + column) * channels;
      for (let c = 0; c < channels; c++) {
        if (Math.abs(cells[at + c]! - background[c]!) > BACKGROUND_TOLERANCE) {
          rowHasDetail = true;
          detailCells++;
          break;
        }
      }
    }
    if (rowHasDetail) detailRows++;
  }
  return { detail_rows: detailRows / rows, detail_cells: detailCells / (rows * width) };
}

export function isFlat(flatness: Flatness): boolean {
  return flatness.detail_rows <= MAX_OVERLAY_ROWS;
}

/** The median of one channel, by a histogram (the values are bytes). */
function channelMedian(
  cells: Uint8Array,
  channels: number,
  channel: number,
  count: number,
): number {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < count; i++) histogram[cells[i * channels + channel]!]!++;
  let seen = 0;
  for (let value = 0; value < 256; value++) {
    seen += histogram[value]!;
    if (seen * 2 > count) return value;
  }
  return 255;
}
