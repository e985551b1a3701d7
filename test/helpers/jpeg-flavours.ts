import { spawnSync } from 'node:child_process';
import type { Sharp } from 'sharp';
import { lcg } from './scenes';

/**
 * One scene as the JPEGs real encoders write: sharp (libvips/mozjpeg),
 * libjpeg-turbo's cjpeg and ffmpeg's mjpeg encoder (as RTSP grabs and many
 * cameras produce), baseline and progressive, with restart markers,
 * arithmetic-coded, 4:4:4, 4:2:2, 4:2:0, greyscale and CMYK, and a motion-JPEG
 * frame without Huffman tables. And the same JPEGs damaged as transmission
 * and storage damage them: flipped bits and a run of garbage in the scan.
 */

export type JpegFlavour = (typeof JPEG_FLAVOURS)[number];

export const JPEG_FLAVOURS = [
  'sharp 4:2:0',
  'sharp 4:4:4',
  'sharp progressive',
  'sharp mozjpeg (progressive, trellis)',
  'sharp greyscale',
  'sharp CMYK',
  'cjpeg',
  'cjpeg optimized tables',
  'cjpeg progressive',
  'cjpeg restart markers every row',
  'cjpeg restart markers every 7 MCUs',
  'cjpeg arithmetic-coded',
  'cjpeg 4:4:4',
  'cjpeg 4:2:2',
  'cjpeg greyscale',
  'ffmpeg mjpeg',
  'ffmpeg mjpeg 4:2:2',
  'motion-JPEG frame without Huffman tables',
] as const;

/** The scene encoded as `flavour`, at quality 90 (ffmpeg: -q:v 3). */
export async function encodeAs(scene: Sharp, flavour: JpegFlavour): Promise<Buffer> {
  const jpeg = (options: Parameters<Sharp['jpeg']>[0]) =>
    scene
      .clone()
      .jpeg({ quality: 90, ...options })
      .toBuffer();
  switch (flavour) {
    case 'sharp 4:2:0':
      return jpeg({});
    case 'sharp 4:4:4':
      return jpeg({ chromaSubsampling: '4:4:4' });
    case 'sharp progressive':
      return jpeg({ progressive: true });
    case 'sharp mozjpeg (progressive, trellis)':
      return jpeg({ mozjpeg: true });
    case 'sharp greyscale':
      return scene.clone().toColourspace('b-w').jpeg({ quality: 90 }).toBuffer();
    case 'sharp CMYK':
      return scene.clone().toColourspace('cmyk').jpeg({ quality: 90 }).toBuffer();
    case 'cjpeg':
      return cjpeg(scene, []);
    case 'cjpeg optimized tables':
      return cjpeg(scene, ['-optimize']);
    case 'cjpeg progressive':
      return cjpeg(scene, ['-progressive']);
    case 'cjpeg restart markers every row':
      return cjpeg(scene, ['-restart', '1']);
    case 'cjpeg restart markers every 7 MCUs':
      return cjpeg(scene, ['-restart', '7B']);
    case 'cjpeg arithmetic-coded':
      return cjpeg(scene, ['-arithmetic']);
    case 'cjpeg 4:4:4':
      return cjpeg(scene, ['-sample', '1x1']);
    case 'cjpeg 4:2:2':
      return cjpeg(scene, ['-sample', '2x1']);
    case 'cjpeg greyscale':
      return cjpeg(scene, ['-grayscale']);
    case 'ffmpeg mjpeg':
      return ffmpegMjpeg(scene, 'yuvj420p');
    case 'ffmpeg mjpeg 4:2:2':
      return ffmpegMjpeg(scene, 'yuvj422p');
    case 'motion-JPEG frame without Huffman tables':
      // cjpeg's default tables are the standard ones a decoder assumes when a frame carries none.
      return withoutSegments(await cjpeg(scene, []), 0xc4);
  }
}

async function cjpeg(scene: Sharp, flags: string[]): Promise<Buffer> {
  return run('cjpeg', ['-quality', '90', ...flags], await ppm(scene));
}

async function ffmpegMjpeg(scene: Sharp, pixelFormat: string): Promise<Buffer> {
  return run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-f', 'image2pipe', '-c:v', 'ppm', '-i', '-'].concat([
      '-c:v',
      'mjpeg',
      '-pix_fmt',
      pixelFormat,
      '-q:v',
      '3',
      '-f',
      'image2pipe',
      '-',
    ]),
    await ppm(scene),
  );
}

async function ppm(scene: Sharp): Promise<Buffer> {
  const { data, info } = await scene
    .clone()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.concat([Buffer.from(`P6\n${info.width} ${info.height}\n255\n`), data]);
}

function run(command: string, args: string[], input: Buffer): Buffer {
  const result = spawnSync(command, args, { input, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr?.toString()}`);
  return result.stdout;
}

/** The JPEG without its marker segments of this type (DHT: 0xc4), as some encoders write it. */
export function withoutSegments(jpeg: Buffer, type: number): Buffer {
  const parts = [jpeg.subarray(0, 2)];
  let at = 2;
  while (at < jpeg.length && jpeg[at + 1] !== 0xda) {
    const end = at + 2 + jpeg.readUInt16BE(at + 2);
    if (jpeg[at + 1] !== type) parts.push(jpeg.subarray(at, end));
    at = end;
  }
  parts.push(jpeg.subarray(at));
  return Buffer.concat(parts);
}

// ------------------------------------------------------------------ damage

/** Where the first scan's entropy-coded data begins (after its SOS header). */
export function scanStart(jpeg: Buffer): number {
  let at = 2;
  while (at < jpeg.length) {
    const type = jpeg[at + 1]!;
    const length = jpeg.readUInt16BE(at + 2);
    if (type === 0xda) return at + 2 + length;
    at += 2 + length;
  }
  throw new Error('no scan in this JPEG');
}

/**
 * `flips` single-bit errors at random places of the entropy-coded data (never
 * in the last two bytes, the end marker), as a flaky link or a bad sector makes them.
 */
export function bitFlipped(jpeg: Buffer, flips: number, seed: number): Buffer {
  const damaged = Buffer.from(jpeg);
  const random = lcg(seed);
  const start = scanStart(jpeg);
  for (let i = 0; i < flips; i++) {
    const at = start + Math.floor(random() * (damaged.length - 2 - start));
    damaged[at] = damaged[at]! ^ (1 << Math.floor(random() * 8));
  }
  return damaged;
}

/** `length` bytes of garbage written over the scan at `share` (0–1) of its way, as a torn write leaves. */
export function garbageScan(jpeg: Buffer, share: number, length: number, seed: number): Buffer {
  const damaged = Buffer.from(jpeg);
  const random = lcg(seed);
  const start = scanStart(jpeg);
  const at = start + Math.floor((damaged.length - 2 - start - length) * share);
  for (let i = 0; i < length; i++) damaged[at + i] = Math.floor(random() * 256);
  return damaged;
}

/** What libjpeg itself (djpeg, at the 1/8 scale the check decodes at) says about a JPEG: its first warning, or null. */
export function libjpegWarning(jpeg: Buffer): string | null {
  const result = spawnSync('djpeg', ['-scale', '1/8'], {
    input: jpeg,
    maxBuffer: 64 * 1024 * 1024,
  });
  const warning = result.stderr.toString('latin1').split('\n')[0]!.trim();
  return warning === '' ? null : warning;
}
