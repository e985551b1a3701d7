/** Lit segments (a–g) per character of a seven-segment display. */
const SEGMENTS: Record<string, string> = {
  '0': 'abcdef',
  '1': 'bc',
  '2': 'abdeg',
  '3': 'abcdg',
  '4': 'bcfg',
  '5': 'acdfg',
  '6': 'acdefg',
  '7': 'abc',
  '8': 'abcdefg',
  '9': 'abcdfg',
  '-': 'g',
};

/** Rectangle [x, y, w, h] of each segment in a cell w wide, h high, strokes t thick. */
function segmentRects(w: number, h: number, t: number): Record<string, number[]> {
  const half = h / 2;
  return {
    a: [t, 0, w - 2 * t, t],
    b: [w - t, t, t, half - t],
    c: [w - t, half, t, half - t],
    d: [t, h - t, w - 2 * t, t],
    e: [0, half, t, half - t],
    f: [0, t, t, half - t],
    g: [t, half - t / 2, w - 2 * t, t],
  };
}

/**
 * An SVG of `text` (digits, '-', ':', ' ') drawn as seven-segment characters:
 * a timestamp that needs no installed fonts and renders in microseconds.
 */
export function sevenSegmentSvg(
  text: string,
  height: number,
  colour = '#ffffff',
): { svg: string; width: number } {
  const w = Math.round(height * 0.55);
  const t = Math.max(2, Math.round(height / 9));
  const gap = Math.round(height * 0.2);
  const rects = segmentRects(w, height, t);
  const parts: string[] = [];
  let x = gap;
  for (const char of text) {
    if (char === ':') {
      parts.push(rect(x, height * 0.25, t, t), rect(x, height * 0.7, t, t));
      x += t + gap;
      continue;
    }
    for (const segment of SEGMENTS[char] ?? '') {
      const [sx, sy, sw, sh] = rects[segment]!;
      parts.push(rect(x + sx!, sy!, sw!, sh!));
    }
    x += w + gap;
  }
  const width = Math.ceil(x);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 2 * gap}">` +
    `<rect width="100%" height="100%" fill="#000" fill-opacity="0.55"/>` +
    `<g fill="${colour}" transform="translate(0 ${gap})">${parts.join('')}</g></svg>`;
  return { svg, width };
}

function rect(x: number, y: number, w: number, h: number): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}"/>`;
}
