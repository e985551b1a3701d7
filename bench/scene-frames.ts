/**
 * Camera-like frames for the benches: a scene (sky, buildings with lit
 * windows, foliage), sensor noise and an on-screen caption with a clock, so
 * they compress and decode like what a camera sends, not like a noise pattern.
 */
import type { Size } from '../src/main/imaging/dimensions';

/** Sky gradient, buildings with lit windows, foliage texture, sensor noise and an OSD caption. */
export async function cameraFrame({ width, height }: Size, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  const random = lcg(seed);
  const horizon = Math.round(height * (0.45 + random() * 0.1));
  const buildings = Array.from({ length: 7 }, () => {
    const x0 = Math.floor(random() * width * 0.9);
    return {
      x0,
      x1: x0 + Math.floor(width * (0.05 + random() * 0.12)),
      top: Math.floor(horizon * (0.25 + random() * 0.6)),
      shade: 60 + random() * 90,
    };
  });
  const cell = Math.max(8, Math.round(width / 120));
  const gridWidth = Math.ceil(width / cell) + 1;
  const grid = Float32Array.from({ length: gridWidth * (Math.ceil(height / cell) + 1) }, () =>
    random(),
  );
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const noise = (random() - 0.5) * 8;
      let r: number, g: number, b: number;
      const building = buildings.find(
        (bd) => x >= bd.x0 && x < bd.x1 && y >= bd.top && y < horizon,
      );
      if (building) {
        const window =
          (x - building.x0) % cell < cell / 2 && (y - building.top) % (cell * 1.5) < cell * 0.7;
        const lit = window && (Math.floor(x / cell) * 7 + Math.floor(y / cell) * 13 + seed) % 5 < 2;
        r = lit ? 230 : window ? 40 : building.shade;
        g = lit ? 200 : window ? 45 : building.shade - 5;
        b = lit ? 120 : window ? 60 : building.shade - 15;
      } else if (y < horizon) {
        r = 90 + (y / horizon) * 90;
        g = 140 + (y / horizon) * 70;
        b = 220 - (y / horizon) * 30;
      } else {
        const foliage = smooth(grid, gridWidth, x / cell, y / cell);
        r = 50 + foliage * 80;
        g = 80 + foliage * 100;
        b = 30 + foliage * 40;
      }
      pixels[i] = clamp(r + noise);
      pixels[i + 1] = clamp(g + noise);
      pixels[i + 2] = clamp(b + noise);
    }
  }
  const fontSize = Math.round(height / 24);
  const caption = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="${fontSize}" y="${fontSize * 1.5}" font-family="sans-serif" font-size="${fontSize}" fill="#fff" stroke="#000" stroke-width="2">` +
      `CAM ${seed.toString().padStart(2, '0')}  2024-05-0${(seed % 9) + 1} 14:3${seed % 10}:22</text></svg>`,
  );
  // Imported here: a bench measuring its own RSS loads libvips only when it builds frames.
  const { default: sharp } = await import('sharp');
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .composite([{ input: caption }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

function lcg(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Bilinear value noise: soft blobs like leaves or grass out of focus. */
function smooth(grid: Float32Array, gridWidth: number, gx: number, gy: number): number {
  const x0 = Math.floor(gx);
  const y0 = Math.floor(gy);
  const fx = gx - x0;
  const fy = gy - y0;
  const at = (x: number, y: number) => grid[y * gridWidth + x] ?? 0;
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));
