import { closeSync, openSync, writeSync } from 'node:fs';
import sharp, { type Sharp } from 'sharp';

/**
 * Real image files for tests: camera-like frames in every input flavour the
 * engine accepts, and real broken files (truncated, empty, not an image,
 * corrupt, decompression bomb, flat "no signal", too small).
 */

/**
 * Camera-like pixels as a sharp pipeline, ready for any encoder: a sky
 * gradient, a darker ground, a few blocks with hard edges, and sensor noise.
 * Depends on nothing but sharp, so image tests need no database.
 */
export function scene(width = 640, height = 480, seed = 1): Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  let state = (seed * 2654435761) >>> 0;
  const horizon = Math.round(height * 0.55);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1664525 + 1013904223) >>> 0;
      const noise = (state >>> 28) - 8;
      const block =
        Math.floor((x * 6) / width + seed) % 3 === 0 && y > horizon * 0.6 && y < horizon;
      const base = block
        ? [70, 60, 55]
        : y < horizon
          ? [120 + (y * 80) / horizon, 160, 230]
          : [60, 110 + (x * 40) / width, 40];
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++)
        pixels[i + c] = Math.max(0, Math.min(255, Math.round(base[c]! + noise)));
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

export async function baselineJpeg(width = 640, height = 480, seed = 1): Promise<Buffer> {
  return scene(width, height, seed).jpeg({ quality: 90 }).toBuffer();
}

export async function progressiveJpeg(width = 640, height = 480): Promise<Buffer> {
  return scene(width, height).jpeg({ quality: 90, progressive: true }).toBuffer();
}

export async function cmykJpeg(width = 640, height = 480): Promise<Buffer> {
  return scene(width, height).toColourspace('cmyk').jpeg({ quality: 90 }).toBuffer();
}

export async function greyscaleJpeg(width = 640, height = 480): Promise<Buffer> {
  return scene(width, height).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer();
}

/** A PNG with an alpha channel, as screenshots and some cameras produce. */
export async function rgbaPng(width = 640, height = 480): Promise<Buffer> {
  return scene(width, height).ensureAlpha(0.8).png().toBuffer();
}

export async function webp(width = 640, height = 480): Promise<Buffer> {
  return scene(width, height).webp({ quality: 90 }).toBuffer();
}

export const MARKER_RGB = { r: 255, g: 0, b: 0 } as const;

/**
 * A frame stored sideways with EXIF Orientation 6 ("rotate 90° clockwise to
 * show"): stored landscape `width`×`height` with a red marker in the stored
 * top-left corner, which shows in the top-right corner once upright.
 */
export async function exifRotatedJpeg(width = 640, height = 480): Promise<Buffer> {
  const marker = await sharp({
    create: { width: width / 4, height: height / 4, channels: 3, background: MARKER_RGB },
  })
    .png()
    .toBuffer();
  const stored = await scene(width, height)
    .composite([{ input: marker, left: 0, top: 0 }])
    .png()
    .toBuffer();
  return sharp(stored).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
}

/** A frame carrying EXIF (camera make, GPS-like text), XMP and a Display P3 ICC profile. */
export async function jpegWithMetadata(width = 640, height = 480): Promise<Buffer> {
  return scene(width, height)
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'TestCam', Model: 'Leaky 9000', Copyright: 'private location' } })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>',
    )
    .withIccProfile('p3')
    .toBuffer();
}

/** The first `share` of a real JPEG: what a crash mid-write leaves behind. */
export function truncated(bytes: Buffer, share = 0.6): Buffer {
  return Buffer.from(bytes.subarray(0, Math.floor(bytes.length * share)));
}

export function zeroBytes(): Buffer {
  return Buffer.alloc(0);
}

/** Text saved under a .jpg name. */
export function textAsJpeg(): Buffer {
  return Buffer.from('HTTP/1.1 503 Service Unavailable\r\n\r\nCamera busy, try again later\n');
}

/**
 * A complete JPEG (intact header and end marker) whose entropy-coded data is
 * damaged in the middle: only a decoder that reads every byte notices.
 */
export function corruptJpeg(bytes: Buffer): Buffer {
  const damaged = Buffer.from(bytes);
  const start = Math.floor(damaged.length / 2);
  for (let i = start; i < start + 2000 && i < damaged.length - 2; i += 7)
    damaged[i] = damaged[i]! ^ 0x5a;
  return damaged;
}

/** A decompression bomb: a few hundred KB of PNG that decodes to 10240×10240 (105 megapixels). */
export async function bombPng(side = 10240): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: '#808080' } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/**
 * A "no signal" frame: flat colour with mild sensor noise and, optionally, an
 * on-screen caption (bright bars the size of an OSD clock line).
 */
export async function uniformFrame(
  width = 1280,
  height = 720,
  { grey = 128, noise = 6, caption = false } = {},
): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = 12345;
  for (let i = 0; i < pixels.length; i += 3) {
    state = (state * 1103515245 + 12345) >>> 0;
    const value = Math.max(0, Math.min(255, grey + ((state >>> 24) / 255 - 0.5) * noise * 2));
    pixels.fill(Math.round(value), i, i + 3);
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  if (caption) image.composite([{ input: captionBars(width, height), left: 0, top: 0 }]);
  return image.jpeg({ quality: 90 }).toBuffer();
}

function captionBars(width: number, height: number): Buffer {
  const bars = Array.from({ length: 18 }, (_, i) => {
    const x = Math.round(width * 0.05 + i * width * 0.025);
    return `<rect x="${x}" y="${Math.round(height * 0.05)}" width="${Math.round(width * 0.015)}" height="${Math.round(height * 0.04)}" fill="#fff"/>`;
  });
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${bars.join('')}</svg>`,
  );
}

/** A real, valid JPEG far smaller than any camera frame. */
export async function tooSmallJpeg(): Promise<Buffer> {
  return baselineJpeg(64, 48);
}

/**
 * A sparse file of `size` bytes that starts as a real JPEG and ends with an
 * end marker: no disk is used, but every size check sees `size` (1.5 GB, say).
 */
export async function sparseJpeg(path: string, size: number): Promise<void> {
  const head = await baselineJpeg(640, 480, 5);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head, 0, head.length, 0);
    writeSync(fd, Buffer.from([0xff, 0xd9]), 0, 2, size - 2);
  } finally {
    closeSync(fd);
  }
}
