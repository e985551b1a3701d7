import sharp, { type Sharp } from 'sharp';

/**
 * Camera scenes for tests, built to look like what cameras really send:
 * low-detail scenes a timelapse must keep (a thin ring drawn on paper, fog, a
 * washed-out photo, a night street, gravel, a white wall) and the flat
 * "no signal" screens recorders show instead of a picture (grey, black, green
 * or blue, with a caption and a clock). Every builder answers raw pixels as a
 * sharp pipeline, so any encoder (see jpeg-flavours.ts) can turn it into a
 * file, and scales with the frame: the same scene at 640×480 and at 4K. The
 * picture is drawn at up to 1280×720 and scaled up (as a lens would blur it);
 * sensor noise, lines and text are added at the full size.
 */

export interface SceneSize {
  width: number;
  height: number;
}

/** Scenes a timelapse wants: low in detail, never flagged. */
export const KEPT_SCENES = {
  'thin ring on white paper': ringOnPaper,
  'thin ring on evenly lit paper': (size: SceneSize, seed?: number) =>
    ringOnPaper(size, seed, { evenLight: true }),
  fog: fog,
  'low-contrast photo': lowContrastPhoto,
  'night street with a few lights': nightStreet,
  'gravel (noise-like texture)': gravel,
  'white wall with a clock': whiteWall,
} satisfies Record<string, (size: SceneSize, seed?: number) => Promise<Sharp>>;

export type KeptScene = keyof typeof KEPT_SCENES;

/** The screens a recorder shows when a camera has no picture: flagged uniform, and kept. */
export const NO_SIGNAL_SCREENS = {
  'grey NO SIGNAL': { background: [128, 128, 128], text: '#ffffff' },
  'black NO SIGNAL': { background: [0, 0, 0], text: '#ffffff' },
  'green NO SIGNAL': { background: [0, 150, 60], text: '#ffffff' },
  'blue NO VIDEO': { background: [16, 40, 160], text: '#f0f0f0' },
} as const satisfies Record<string, NoSignalStyle>;

export type NoSignalScreen = keyof typeof NO_SIGNAL_SCREENS;

/** The sizes the flat-frame tests cover, from a small IP camera to 4K. */
export const SCENE_SIZES: readonly SceneSize[] = [
  { width: 640, height: 480 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];

// ------------------------------------------------------------------ kept scenes

/**
 * A sheet of paper photographed under a desk lamp: light falling off towards
 * one corner and the edges, paper grain, and a thin pen ring (about 1/300 of
 * the frame wide). `evenLight`: a scanner-like sheet, blown out to white,
 * where the ring is the only thing in the picture.
 */
export async function ringOnPaper(
  size: SceneSize,
  seed = 1,
  { evenLight = false } = {},
): Promise<Sharp> {
  const { width, height } = size;
  const random = lcg(seed);
  const lampX = 0.3 + random() * 0.2;
  const lampY = 0.2 + random() * 0.2;
  const paper = await render(size, { noise: 3, seed }, (u, v) => {
    if (evenLight) return grey(252);
    const fall = Math.hypot((u - lampX) * 16, (v - lampY) * 9) / Math.hypot(16, 9);
    const tone = 236 - 44 * fall * fall - 10 * fall;
    return [tone, tone - 3, tone - 9];
  });
  const radius = Math.min(width, height) * 0.32;
  const stroke = Math.max(2, Math.round(width / 300));
  const ring = svg(
    size,
    `<circle cx="${width * 0.52}" cy="${height * 0.5}" r="${radius}" fill="none" stroke="#2a2d3a" stroke-width="${stroke}" stroke-opacity="0.85"/>`,
  );
  return paper.composite([{ input: ring }]);
}

/** A field with a tree line and a road on a foggy morning: shapes at a third of their contrast. */
export async function fog(size: SceneSize, seed = 2): Promise<Sharp> {
  const horizon = 0.55;
  const treeLine = lcg(seed * 31);
  const crowns = Array.from({ length: 26 }, () => treeLine());
  const trees = (u: number) => {
    const x = u * (crowns.length - 1);
    const i = Math.floor(x);
    return crowns[i]! + (crowns[Math.min(i + 1, crowns.length - 1)]! - crowns[i]!) * (x - i);
  };
  return render(size, { noise: 2, seed }, (u, v) => {
    const treeTop = horizon - (0.08 + 0.1 * trees(u));
    const road = v > horizon && Math.abs(u - 0.5) < ((v - horizon) / (1 - horizon)) * 0.3;
    const land: Rgb =
      v < treeTop
        ? [150, 165, 180]
        : v < horizon
          ? [40, 60, 40]
          : road
            ? [90, 90, 95]
            : [70, 100, 50];
    // Denser fog further away: the sky and the tree line fade most.
    const density = v < horizon ? 0.72 : 0.72 - 0.35 * ((v - horizon) / (1 - horizon));
    return land.map((c) => c * (1 - density) + 214 * density) as Rgb;
  });
}

/** A hazy, overexposed street scene: everything within about ±15 levels of a light grey. */
export async function lowContrastPhoto(size: SceneSize, seed = 3): Promise<Sharp> {
  const random = lcg(seed);
  const horizon = 0.5;
  const blocks = Array.from({ length: 6 }, () => ({
    u0: random() * 0.85,
    w: 0.06 + random() * 0.12,
    top: horizon * (0.3 + random() * 0.5),
    shade: random(),
  }));
  return render(size, { noise: 2.5, seed }, (u, v) => {
    const block = blocks.find((b) => u >= b.u0 && u < b.u0 + b.w && v >= b.top && v < horizon);
    const tone = block
      ? 0.25 + block.shade * 0.4
      : v < horizon
        ? 0.8 + 0.15 * (v / horizon)
        : 0.45 + 0.1 * Math.sin(u * 80);
    const value = 170 + (tone - 0.6) * 40;
    return [value + 3, value, value - 4];
  });
}

/**
 * A street at night: a dark sky with a little city glow, black buildings with
 * a few lit windows, four street lamps with halos and the pools of light they
 * throw on the road, and the noise of a sensor at high gain.
 */
export async function nightStreet(size: SceneSize, seed = 4): Promise<Sharp> {
  const random = lcg(seed);
  const aspect = size.width / size.height;
  const horizon = 0.62;
  const lamps = [0.12, 0.38, 0.64, 0.9].map((u) => ({ u, v: horizon - (0.18 + random() * 0.04) }));
  const window = 1 / 90;
  const buildings = Array.from({ length: 5 }, (_, i) => ({
    u0: i / 5 + random() * 0.04,
    w: 0.12 + random() * 0.05,
    top: horizon * (0.25 + random() * 0.35),
  }));
  const glow = 0.06;
  return render(size, { noise: 4, seed }, (u, v) => {
    let light = 0;
    for (const lamp of lamps) {
      const d = Math.hypot((u - lamp.u) * aspect, v - lamp.v) / glow;
      light += d < 0.15 ? 255 : 120 / (1 + d * d * 3);
      // The pool of light on the road below each lamp.
      if (v > horizon) {
        const pool = Math.hypot((u - lamp.u) / 0.09, (v - 0.85) / 0.08);
        light += 70 / (1 + pool * pool * 2);
      }
    }
    let base: Rgb;
    const building = buildings.find(
      (b) => u >= b.u0 && u < b.u0 + b.w && v >= b.top && v < horizon,
    );
    if (building) {
      const column = Math.floor((u - building.u0) / (window * 2));
      const row = Math.floor(((v - building.top) * aspect) / (window * 2));
      const inWindow =
        (u - building.u0) % (window * 2) < window &&
        ((v - building.top) * aspect) % (window * 2) < window;
      const lit = inWindow && (column * 7 + row * 13 + seed) % 11 === 0;
      base = lit ? [200, 170, 90] : [8, 8, 10];
    } else if (v < horizon) {
      const sky = 6 + 16 * (v / horizon);
      base = [sky * 1.3, sky, sky * 0.8];
    } else base = [18, 17, 16];
    return [base[0] + light, base[1] + light * 0.85, base[2] + light * 0.5];
  });
}

/** Gravel filling the frame: stones at several sizes (fractal value noise), like grass or sand. */
export async function gravel(size: SceneSize, seed = 5): Promise<Sharp> {
  const octaves = await Promise.all(
    [6, 14, 40, 110].map((cells, i) => valueNoise(renderSize(size), cells, seed + i)),
  );
  const weights = octaves.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((sum, w) => sum + w, 0);
  const { width } = renderSize(size);
  return render(size, { noise: 10, seed }, (_u, _v, x, y) => {
    let value = 0;
    for (let i = 0; i < octaves.length; i++)
      value += (octaves[i]![y * width + x]! / 255) * weights[i]!;
    const tone = 60 + (value / total) * 130;
    return [tone + 12, tone + 4, tone - 6];
  });
}

/** A white wall under a ceiling light, with the camera's own date and clock in the corner. */
export async function whiteWall(size: SceneSize, seed = 6): Promise<Sharp> {
  const wall = await render(size, { noise: 3, seed }, (u, v) => {
    const fall = Math.hypot(u - 0.5, v - 0.1);
    const tone = 222 - 55 * fall * fall;
    return [tone, tone - 2, tone - 6];
  });
  return wall.composite([{ input: clockOverlay(size, '#ffffff', seed) }]);
}

// ------------------------------------------------------------------ flagged screens

interface NoSignalStyle {
  background: readonly [number, number, number];
  text: string;
}

/**
 * A recorder's "no signal" screen: one flat colour, a large caption in the
 * middle, the channel name below it and the date and time in the corner.
 * `noise`: what an analogue capture card adds (± levels per pixel).
 */
export async function noSignalScreen(
  size: SceneSize,
  screen: NoSignalScreen,
  { noise = 0, seed = 7 } = {},
): Promise<Sharp> {
  const style: NoSignalStyle = NO_SIGNAL_SCREENS[screen];
  const { width, height } = size;
  const flat = await render(size, { noise, seed }, () => [...style.background]);
  const caption = screen.includes('VIDEO') ? 'NO VIDEO' : 'NO SIGNAL';
  const big = Math.round(height / 9);
  const small = Math.round(height / 26);
  const text = svg(
    size,
    `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="${big}" fill="${style.text}">${caption}</text>` +
      `<text x="${width / 2}" y="${height / 2 + small * 2}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="${small}" fill="${style.text}">CH ${(seed % 16) + 1}  Check the camera cable</text>`,
  );
  return flat.composite([{ input: text }, { input: clockOverlay(size, style.text, seed) }]);
}

// ------------------------------------------------------------------ parts

type Rgb = [number, number, number];

const grey = (value: number): Rgb => [value, value, value];

/** Scene detail is drawn at most this large, then scaled up: a 4K scene builds in well under a second. */
const MAX_RENDER = { width: 1280, height: 720 };

function renderSize({ width, height }: SceneSize): SceneSize {
  const scale = Math.min(1, MAX_RENDER.width / width, MAX_RENDER.height / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/**
 * A scene from its colour at each point (u, v in 0–1 across and down; x, y in
 * render pixels), drawn at renderSize, scaled to `size`, then given sensor
 * noise of ± `noise` levels at the full size. Values are clamped to 0–255.
 */
async function render(
  size: SceneSize,
  { noise, seed }: { noise: number; seed: number },
  colour: (u: number, v: number, x: number, y: number) => Rgb,
): Promise<Sharp> {
  const drawn = renderSize(size);
  const pixels = Buffer.alloc(drawn.width * drawn.height * 3);
  for (let y = 0; y < drawn.height; y++) {
    for (let x = 0; x < drawn.width; x++) {
      const rgb = colour((x + 0.5) / drawn.width, (y + 0.5) / drawn.height, x, y);
      const i = (y * drawn.width + x) * 3;
      pixels[i] = clamp(rgb[0]);
      pixels[i + 1] = clamp(rgb[1]);
      pixels[i + 2] = clamp(rgb[2]);
    }
  }
  let full = pixels;
  if (drawn.width !== size.width || drawn.height !== size.height) {
    full = await rawImage(pixels, drawn)
      .resize(size.width, size.height, { fit: 'fill', kernel: 'cubic' })
      .raw()
      .toBuffer();
  }
  if (noise > 0) {
    const random = lcg(seed * 104729);
    for (let i = 0; i < full.length; i++) full[i] = clamp(full[i]! + (random() - 0.5) * 2 * noise);
  }
  return rawImage(full, size);
}

function rawImage(pixels: Buffer, { width, height }: SceneSize): Sharp {
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

function svg({ width, height }: SceneSize, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`,
  );
}

/** An on-screen date and clock in the top left corner, as cameras and recorders draw it. */
function clockOverlay(size: SceneSize, colour: string, seed: number): Buffer {
  const fontSize = Math.round(size.height / 24);
  const time = `2025-06-${String(10 + (seed % 9)).padStart(2, '0')} 14:3${seed % 10}:2${seed % 7}`;
  return svg(
    size,
    `<text x="${fontSize}" y="${fontSize * 1.6}" font-family="DejaVu Sans Mono, monospace" font-size="${fontSize}" fill="${colour}" stroke="#000" stroke-width="${Math.max(1, fontSize / 16)}">${time}</text>`,
  );
}

/** Smooth random blobs, about `cells` of them across (a random grid scaled up): 0–255 per pixel. */
async function valueNoise(
  { width, height }: SceneSize,
  cells: number,
  seed: number,
): Promise<Uint8Array> {
  const random = lcg(seed * 7919);
  const rows = Math.max(2, Math.round((cells * height) / width));
  const grid = Buffer.from(Array.from({ length: cells * rows }, () => Math.floor(random() * 256)));
  return sharp(grid, { raw: { width: cells, height: rows, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
}

/** A small deterministic random source (numbers in [0, 1)), so every run builds the same frames. */
export function lcg(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));
