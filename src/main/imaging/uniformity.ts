/**
 * How far a tiny decode of a frame strays from flat colour. "No signal"
 * frames (grey, black, green) are flat apart from an on-screen clock or a
 * "NO SIGNAL" caption, so the most deviant cells are trimmed before measuring:
 * a caption does not make a flat frame look like a scene.
 */

/** Share of cells per channel ignored as overlay text. */
const TRIM_SHARE = 0.05;

/**
 * Root-mean-square distance from the median, per channel, over the cells that
 * remain after trimming; the largest channel's value (0–255 scale).
 */
export function trimmedDeviation(pixels: Uint8Array, channels: number): number {
  const cells = Math.floor(pixels.length / channels);
  if (cells === 0) return 0;
  const kept = Math.max(1, Math.ceil(cells * (1 - TRIM_SHARE)));
  let worst = 0;
  const values = new Uint8Array(cells);
  const distances = new Uint8Array(cells);
  for (let channel = 0; channel < channels; channel++) {
    for (let i = 0; i < cells; i++) values[i] = pixels[i * channels + channel]!;
    values.sort();
    const median = values[cells >> 1]!;
    for (let i = 0; i < cells; i++) distances[i] = Math.abs(values[i]! - median);
    distances.sort();
    let sumSquares = 0;
    for (let i = 0; i < kept; i++) sumSquares += distances[i]! ** 2;
    worst = Math.max(worst, Math.sqrt(sumSquares / kept));
  }
  return worst;
}
