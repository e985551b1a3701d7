import sharp from 'sharp';
import type { DemoSourceOptions } from '../../../shared/contract';
import type { PollingSource } from '../types';
import { sevenSegmentSvg } from './seven-segment';

interface Background {
  pixels: Buffer;
  width: number;
  height: number;
}

/**
 * Synthesized camera-like frames: a street scene (sky, buildings with lit
 * windows, sensor noise) rendered once, then per frame a moving car and a
 * seven-segment timestamp composited over it and JPEG-encoded. All of it runs
 * in libvips threads; the event loop only builds two small SVGs.
 */
export class DemoSource implements PollingSource {
  readonly kind = 'poll';
  private background: Promise<Background> | undefined;
  private readonly width: number;
  private readonly height: number;

  constructor(
    private readonly seed: number,
    options: DemoSourceOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.width = clampDimension(options.width ?? 1280);
    this.height = clampDimension(options.height ?? 720);
  }

  async grab(signal: AbortSignal): Promise<Buffer> {
    this.background ??= renderBackground(this.width, this.height, this.seed);
    const background = await this.background;
    signal.throwIfAborted();
    const time = this.now();
    const clock = sevenSegmentSvg(timestampText(new Date(time)), Math.round(this.height / 20));
    const car = carOverlay(this.width, this.height, time, this.seed);
    return sharp(background.pixels, {
      raw: { width: background.width, height: background.height, channels: 3 },
    })
      .composite([
        { input: Buffer.from(car.svg), left: car.left, top: car.top },
        {
          input: Buffer.from(clock.svg),
          left: Math.max(0, this.width - clock.width - 16),
          top: 16,
        },
      ])
      .jpeg({ quality: 82, mozjpeg: false })
      .toBuffer();
  }
}

function clampDimension(value: number): number {
  return Math.min(3840, Math.max(160, Math.round(value)));
}

/** "YYYY-MM-DD HH:MM:SS" in local time. */
function timestampText(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** A car crossing the street once every 20 s, its lane and colour from the seed. */
function carOverlay(width: number, height: number, time: number, seed: number) {
  const carWidth = Math.round(width / 8);
  const carHeight = Math.round(carWidth / 2.5);
  const progress = ((time + seed * 3_700) % 20_000) / 20_000;
  const left = Math.round(progress * (width - carWidth));
  const top = Math.round(height * (0.78 + (seed % 3) * 0.05)) - carHeight;
  const hue = (seed * 67) % 360;
  const wheel = Math.round(carHeight / 4);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${carWidth}" height="${carHeight}">` +
    `<rect x="0" y="${carHeight * 0.3}" width="${carWidth}" height="${carHeight * 0.5}" rx="6" fill="hsl(${hue},70%,45%)"/>` +
    `<rect x="${carWidth * 0.2}" y="0" width="${carWidth * 0.55}" height="${carHeight * 0.4}" rx="6" fill="hsl(${hue},50%,35%)"/>` +
    `<circle cx="${carWidth * 0.2}" cy="${carHeight - wheel}" r="${wheel}" fill="#111"/>` +
    `<circle cx="${carWidth * 0.8}" cy="${carHeight - wheel}" r="${wheel}" fill="#111"/></svg>`;
  return { svg, left, top };
}

/** The static scene, rendered once per source: gradients, buildings, windows and noise. */
async function renderBackground(width: number, height: number, seed: number): Promise<Background> {
  const noise = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 18 },
    },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  const { data, info } = await sharp(Buffer.from(sceneSvg(width, height, seed)))
    .composite([{ input: noise, blend: 'soft-light' }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

function sceneSvg(width: number, height: number, seed: number): string {
  const horizon = Math.round(height * 0.6);
  const hue = (seed * 41) % 360;
  const buildings: string[] = [];
  let random = seed * 9_301 + 49_297;
  const next = () => (random = (random * 9_301 + 49_297) % 233_280) / 233_280;
  for (let x = 0; x < width;) {
    const w = Math.round(width * (0.05 + next() * 0.08));
    const h = Math.round(horizon * (0.25 + next() * 0.6));
    const shade = 25 + Math.round(next() * 30);
    buildings.push(
      `<rect x="${x}" y="${horizon - h}" width="${w}" height="${h}" fill="hsl(${hue},10%,${shade}%)"/>`,
    );
    for (let wy = horizon - h + 10; wy < horizon - 14; wy += 22) {
      for (let wx = x + 6; wx < x + w - 12; wx += 18) {
        if (next() < 0.35)
          buildings.push(`<rect x="${wx}" y="${wy}" width="8" height="10" fill="#f4e3a1"/>`);
      }
    }
    x += w + Math.round(next() * 12);
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">` +
    `<stop offset="0" stop-color="hsl(${hue},55%,30%)"/><stop offset="1" stop-color="hsl(${(hue + 30) % 360},60%,70%)"/>` +
    `</linearGradient></defs>` +
    `<rect width="${width}" height="${horizon}" fill="url(#sky)"/>` +
    `<rect y="${horizon}" width="${width}" height="${height - horizon}" fill="#3b3b3f"/>` +
    `<rect y="${Math.round(height * 0.82)}" width="${width}" height="4" fill="#d8d8d8"/>` +
    buildings.join('') +
    `</svg>`
  );
}
