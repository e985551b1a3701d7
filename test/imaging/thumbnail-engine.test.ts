import { execFileSync } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/main/errors';
import { InvalidImageError, isPermanentImageError } from '../../src/main/imaging/image-errors';
import { ThumbnailEngine, type GenerateResult } from '../../src/main/imaging/thumbnail-engine';
import {
  baselineJpeg,
  bombPng,
  cmykJpeg,
  corruptJpeg,
  exifRotatedJpeg,
  greyscaleJpeg,
  jpegWithMetadata,
  MARKER_RGB,
  progressiveJpeg,
  rgbaPng,
  textAsJpeg,
  truncated,
  uniformFrame,
  webp,
} from '../helpers/images';
import { frameRequest, leftovers, useScratchDir } from './engine-support';

const dir = useScratchDir('timelapser-engine-');
let engine: ThumbnailEngine;

beforeAll(() => {
  engine = new ThumbnailEngine({ poolSize: 2 });
});
afterAll(async () => engine.close());

/** Decodes a written variant and checks it against what the engine reported. */
async function decoded(variant: { path: string; size: number; width: number; height: number }) {
  const metadata = await sharp(variant.path).metadata();
  expect(metadata.format).toBe('jpeg');
  expect({ width: metadata.width, height: metadata.height }).toEqual({
    width: variant.width,
    height: variant.height,
  });
  expect((await stat(variant.path)).size).toBe(variant.size);
  return metadata;
}

async function generate(name: string, bytes: Buffer, options?: Parameters<typeof frameRequest>[3]) {
  return engine.generate(await frameRequest(dir.path, name, bytes, options));
}

describe('ThumbnailEngine.generate', () => {
  it('makes an 800×450 small and a 200×113 thumbnail from a 1080p frame, and reports them', async () => {
    const source = await baselineJpeg(1920, 1080);
    const result = await generate('hd.jpg', source);
    expect(result.small).toMatchObject({ width: 800, height: 450 });
    expect(result.thumbnail).toMatchObject({ width: 200, height: 113 });
    expect(result.source).toEqual({
      format: 'jpeg',
      width: 1920,
      height: 1080,
      size: source.length,
    });
    await decoded(result.small!);
    await decoded(result.thumbnail);
    expect(result.timings.total_ms).toBeGreaterThan(0);
    expect(result.timings.decode_ms).toBeGreaterThan(0);
    expect(result.timings.encode_ms).toBeGreaterThan(0);
    expect(await leftovers(dir.path)).toEqual(['thumbnails/hd.jpg', 'smalls/hd.jpg']);
  });

  it('keeps the aspect ratio of portrait and panoramic frames', async () => {
    const portrait = await generate('portrait.jpg', await baselineJpeg(720, 1280));
    expect(portrait.small).toMatchObject({ width: 338, height: 600 });
    expect(portrait.thumbnail).toMatchObject({ width: 84, height: 150 });
    const panorama = await generate('panorama.jpg', await baselineJpeg(2400, 400));
    expect(panorama.small).toMatchObject({ width: 800, height: 133 });
    expect(panorama.thumbnail).toMatchObject({ width: 200, height: 33 });
  });

  it('never enlarges a frame smaller than a variant', async () => {
    const result = await generate('small-input.jpg', await baselineJpeg(320, 240));
    expect(result.small).toMatchObject({ width: 320, height: 240 });
    expect(result.thumbnail).toMatchObject({ width: 200, height: 150 });
    const tiny = await generate('tiny-input.jpg', await baselineJpeg(150, 100));
    expect(tiny.small).toMatchObject({ width: 150, height: 100 });
    expect(tiny.thumbnail).toMatchObject({ width: 150, height: 100 });
    await decoded(tiny.thumbnail);
  });

  it.each([
    // Decoded whole, and shrunk on load to half size (libjpeg scaling before the rotation).
    [640, 480, { width: 450, height: 600 }, { width: 113, height: 150 }],
    [1920, 1080, { width: 338, height: 600 }, { width: 84, height: 150 }],
  ])(
    'turns an EXIF-rotated %i×%i frame upright and drops the orientation tag',
    async (width, height, small, thumbnail) => {
      const result = await generate('rotated.jpg', await exifRotatedJpeg(width, height));
      expect(result.source).toMatchObject({ width: height, height: width });
      expect(result.small).toMatchObject(small);
      expect(result.thumbnail).toMatchObject(thumbnail);
      for (const variant of [result.small!, result.thumbnail]) {
        const metadata = await decoded(variant);
        expect(metadata.orientation).toBeUndefined();
        // Stored top-left marker, rotated 90° clockwise: it now sits top-right.
        expect(await cornerColour(variant.path, 'top-right')).toEqual(near(MARKER_RGB));
        expect(await cornerColour(variant.path, 'top-left')).not.toEqual(near(MARKER_RGB));
      }
    },
  );

  it.each([
    ['progressive JPEG', progressiveJpeg],
    ['CMYK JPEG', cmykJpeg],
    ['greyscale JPEG', greyscaleJpeg],
    ['PNG with alpha', rgbaPng],
    ['WebP', webp],
  ])('reads a %s and writes 3-channel sRGB JPEGs, whole or shrunk on load', async (_kind, make) => {
    for (const [width, height, small, thumbnail] of [
      [640, 480, { width: 640, height: 480 }, { width: 200, height: 150 }],
      [1920, 1080, { width: 800, height: 450 }, { width: 200, height: 113 }],
    ] as const) {
      const result = await generate(`input-${width}.img`, await make(width, height));
      for (const variant of [result.small!, result.thumbnail]) {
        const metadata = await decoded(variant);
        expect(metadata.space).toBe('srgb');
        expect(metadata.channels).toBe(3);
      }
      expect(result.small).toMatchObject(small);
      expect(result.thumbnail).toMatchObject(thumbnail);
    }
  });

  it('handles frames so large that sharp picks its own load shrink', async () => {
    // 7680×4320: an 8× load still leaves 4.8× to go for the thumbnail, where sharp reloads by file name.
    const source = await baselineJpeg(7680, 4320);
    const both = await generate('8k.jpg', source);
    expect(both.small).toMatchObject({ width: 800, height: 450 });
    expect(both.thumbnail).toMatchObject({ width: 200, height: 113 });
    const thumbnailOnly = await generate('8k-thumbnail.jpg', source, { small: false });
    expect(thumbnailOnly.thumbnail).toMatchObject({ width: 200, height: 113 });
    await decoded(thumbnailOnly.thumbnail);
  });

  it('converts CMYK to sRGB colours, not raw ink values', async () => {
    const source = await cmykJpeg(640, 480);
    const expected = await meanColour(await sharp(source).toColourspace('srgb').png().toBuffer());
    const result = await generate('cmyk.jpg', source);
    const actual = await meanColour(result.small!.path);
    for (const channel of [0, 1, 2])
      expect(Math.abs(actual[channel]! - expected[channel]!)).toBeLessThan(4);
  });

  it('strips EXIF, XMP and ICC metadata', async () => {
    const source = await jpegWithMetadata(640, 480);
    const input = await sharp(source).metadata();
    expect(input.exif && input.xmp && input.icc).toBeTruthy();
    const result = await generate('meta.jpg', source);
    for (const variant of [result.small!, result.thumbnail]) {
      const metadata = await decoded(variant);
      expect(metadata.exif).toBeUndefined();
      expect(metadata.xmp).toBeUndefined();
      expect(metadata.icc).toBeUndefined();
    }
  });

  it('with smallPath null writes only the thumbnail, at the same size', async () => {
    const source = await baselineJpeg(1920, 1080);
    const result = await generate('thumb-only.jpg', source, { small: false });
    expect(result.small).toBeNull();
    expect(result.thumbnail).toMatchObject({ width: 200, height: 113 });
    await decoded(result.thumbnail);
    expect(await leftovers(dir.path)).toEqual(['thumbnails/thumb-only.jpg']);
  });

  it('honours the quality settings', async () => {
    const source = await baselineJpeg(1280, 720);
    const low = await generate('low.jpg', source, { thumbnailQuality: 20, smallQuality: 20 });
    const high = await generate('high.jpg', source, { thumbnailQuality: 95, smallQuality: 95 });
    expect(high.thumbnail.size).toBeGreaterThan(low.thumbnail.size * 1.5);
    expect(high.small!.size).toBeGreaterThan(low.small!.size * 1.5);
  });

  it('replaces an existing variant atomically when regenerating', async () => {
    const request = await frameRequest(dir.path, 'again.jpg', await baselineJpeg(640, 480, 1));
    await engine.generate(request);
    await writeFile(request.sourcePath, await baselineJpeg(1280, 720, 2));
    const second = await engine.generate(request);
    expect(second.small).toMatchObject({ width: 800, height: 450 });
    await decoded(second.small!);
    expect(await leftovers(dir.path)).toEqual(['thumbnails/again.jpg', 'smalls/again.jpg']);
  });

  it('runs more frames than workers, queueing the rest, with the same results', async () => {
    const frames = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((seed) => baselineJpeg(960, 540, seed)),
    );
    const requests = await Promise.all(
      frames.map((bytes, i) => frameRequest(dir.path, `many-${i}.jpg`, bytes)),
    );
    const pending = requests.map((request) => engine.generate(request));
    const during = engine.stats;
    const before = during.completed_tasks;
    // Two workers, two frames each: four run, two wait.
    expect(during).toMatchObject({
      capacity: 4,
      busy_workers: 2,
      running_tasks: 4,
      queued_tasks: 2,
    });
    const results: GenerateResult[] = await Promise.all(pending);
    for (const result of results) expect(result.small).toMatchObject({ width: 800, height: 450 });
    expect(engine.stats).toMatchObject({
      pool_size: 2,
      busy_workers: 0,
      running_tasks: 0,
      queued_tasks: 0,
      completed_tasks: before + 6,
    });
  });
});

describe('ThumbnailEngine.generate on bad inputs', () => {
  it.each([
    ['missing', async () => null],
    ['not_an_image', async () => textAsJpeg()],
    ['truncated', async () => truncated(await baselineJpeg(1280, 720))],
    ['corrupt_data', async () => corruptJpeg(await baselineJpeg(1280, 720))],
    ['too_large', () => bombPng()],
  ])('fails %s permanently and writes nothing', async (reason, make) => {
    const bytes = await make();
    const request = await frameRequest(dir.path, 'bad.jpg', bytes ?? Buffer.alloc(1));
    if (!bytes) request.sourcePath += '.gone';
    const error = await engine.generate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidImageError);
    expect(error).toMatchObject({ reason, permanent: true });
    expect(isPermanentImageError(error)).toBe(true);
    expect(await leftovers(dir.path)).toEqual([]);
  });

  it('makes thumbnails of frames kept with a flag (uniform, tiny)', async () => {
    const result = await generate('grey.jpg', await uniformFrame(640, 360));
    expect(result.thumbnail).toMatchObject({ width: 200, height: 113 });
  });

  it('refuses relative paths and out-of-range qualities before any work', async () => {
    const request = await frameRequest(dir.path, 'ok.jpg', await baselineJpeg(320, 240));
    await expect(
      engine.generate({ ...request, thumbnailPath: 'thumbnails/ok.jpg' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(engine.generate({ ...request, smallQuality: 0 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(engine.generate({ ...request, thumbnailQuality: 101 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('ThumbnailEngine.validate', () => {
  it('runs the corruption check in the pool, on a path or on bytes', async () => {
    const frame = await baselineJpeg(1280, 720);
    const request = await frameRequest(dir.path, 'check.jpg', frame);
    expect(await engine.validate(request.sourcePath)).toMatchObject({
      ok: true,
      width: 1280,
      height: 720,
    });
    expect(await engine.validate(frame)).toMatchObject({ ok: true, format: 'jpeg' });
    expect(await engine.validate(await uniformFrame(1280, 720, { caption: true }))).toMatchObject({
      ok: true,
      flag: { reason: 'uniform' },
    });
    expect(await engine.validate(truncated(frame))).toMatchObject({
      ok: false,
      reason: 'truncated',
    });
    expect(await engine.validate(await uniformFrame(1280, 720), { depth: 'header' })).toMatchObject(
      { ok: true, flag: null },
    );
  });

  it('converts a PNG or WebP frame to JPEG in the pool, and refuses what it cannot decode', async () => {
    for (const bytes of [await rgbaPng(640, 480), await webp(640, 480)]) {
      const jpeg = await engine.convertToJpeg(bytes, 92);
      expect(await sharp(jpeg).metadata()).toMatchObject({
        format: 'jpeg',
        width: 640,
        height: 480,
        hasAlpha: false,
      });
    }
    const broken = await rgbaPng(640, 480);
    broken.fill(0x41, 200, broken.length - 20); // its compressed data, not its ending
    await expect(engine.convertToJpeg(broken, 92)).rejects.toBeInstanceOf(InvalidImageError);
    await expect(engine.convertToJpeg(broken, 0)).rejects.toBeInstanceOf(ValidationError);
  });

  it("checks a view into a larger buffer and leaves the caller's bytes intact", async () => {
    const frame = await baselineJpeg(640, 480);
    const packet = Buffer.concat([Buffer.from('header:'), frame, Buffer.from(':trailer')]);
    const view = packet.subarray(7, 7 + frame.length);
    expect(await engine.validate(view)).toMatchObject({ ok: true, size: frame.length });
    expect(view.equals(frame)).toBe(true);
    expect(packet.subarray(0, 7).toString()).toBe('header:');
  });

  it("applies the engine's pixel limit", async () => {
    const strict = new ThumbnailEngine({ poolSize: 1, limitInputPixels: 1000 });
    try {
      expect(await strict.validate(await baselineJpeg(320, 240))).toMatchObject({
        ok: false,
        reason: 'too_large',
      });
      const request = await frameRequest(dir.path, 'limited.jpg', await baselineJpeg(320, 240));
      await expect(strict.generate(request)).rejects.toMatchObject({
        reason: 'too_large',
        permanent: true,
      });
    } finally {
      await strict.close();
    }
  });
});

describe('ThumbnailEngine pool', () => {
  it.runIf(process.platform === 'linux')(
    'does not load libvips into the process until a worker needs it',
    () => {
      const probe = [
        "await import('./src/main/imaging/thumbnail-engine.ts');",
        "const { readFileSync } = await import('node:fs');",
        "console.log(readFileSync('/proc/self/maps', 'utf8').includes('libvips') ? 'loaded' : 'absent');",
      ].join('');
      const output = execFileSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', probe],
        { encoding: 'utf8' },
      );
      expect(output.trim()).toBe('absent');
    },
  );

  it('defaults to one worker per CPU core', async () => {
    const defaults = new ThumbnailEngine();
    expect(defaults.stats.pool_size).toBe(Math.max(1, availableParallelism()));
    await defaults.close();
    const zero = new ThumbnailEngine({ poolSize: 0 });
    expect(zero.stats.pool_size).toBe(Math.max(1, availableParallelism()));
    await zero.close();
  });

  it('refuses nonsense options', () => {
    expect(() => new ThumbnailEngine({ poolSize: -1 })).toThrow(ValidationError);
    expect(() => new ThumbnailEngine({ poolSize: 1.5 })).toThrow(ValidationError);
    expect(() => new ThumbnailEngine({ taskTimeoutMs: 0 })).toThrow(ValidationError);
    expect(() => new ThumbnailEngine({ limitInputPixels: -5 })).toThrow(ValidationError);
  });
});

type Corner = 'top-left' | 'top-right';

/** Mean colour of a 10 % square in a corner of an image. */
async function cornerColour(path: string, corner: Corner) {
  const { width = 0, height = 0 } = await sharp(path).metadata();
  const side = Math.max(2, Math.floor(Math.min(width, height) / 10));
  const left = corner === 'top-left' ? 1 : width - side - 1;
  const [r, g, b] = await meanColour(
    await sharp(path).extract({ left, top: 1, width: side, height: side }).png().toBuffer(),
  );
  return { r: Math.round(r! / 16), g: Math.round(g! / 16), b: Math.round(b! / 16) };
}

function near(colour: { r: number; g: number; b: number }) {
  return {
    r: Math.round(colour.r / 16),
    g: Math.round(colour.g / 16),
    b: Math.round(colour.b / 16),
  };
}

async function meanColour(input: string | Buffer): Promise<number[]> {
  const { channels } = await sharp(input).stats();
  return channels.slice(0, 3).map((channel) => channel.mean);
}
