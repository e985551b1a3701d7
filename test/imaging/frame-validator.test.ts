import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFrame, type FrameVerdict } from '../../src/main/imaging/frame-validator';
import { ImageProcessingError } from '../../src/main/imaging/image-errors';
import {
  baselineJpeg,
  bombPng,
  exifRotatedJpeg,
  rgbaPng,
  textAsJpeg,
  tooSmallJpeg,
  truncated,
  webp,
  zeroBytes,
} from '../helpers/images';
import {
  bitFlipped,
  encodeAs,
  garbageScan,
  JPEG_FLAVOURS,
  libjpegWarning,
} from '../helpers/jpeg-flavours';
import {
  KEPT_SCENES,
  lowContrastPhoto,
  NO_SIGNAL_SCREENS,
  noSignalScreen,
  SCENE_SIZES,
  type NoSignalScreen,
} from '../helpers/scenes';
import { useScratchDir } from './engine-support';

const dir = useScratchDir('timelapser-validator-');

async function fileWith(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(path, bytes);
  return path;
}

/** 'ok', 'flagged <reason>' or the refusal's reason. */
function outcomeOf(verdict: FrameVerdict): string {
  if (!verdict.ok) return verdict.reason;
  return verdict.flag ? `flagged ${verdict.flag.reason}` : 'ok';
}

describe('validateFrame: what is not a frame is refused', () => {
  let frame: Buffer;
  beforeAll(async () => {
    frame = await baselineJpeg(1280, 720);
  });

  it('accepts a camera frame, from a path or from its bytes, with its size and content hash', async () => {
    const fromPath = await validateFrame(await fileWith('frame.jpg', frame));
    const fromBytes = await validateFrame(frame);
    expect(fromPath).toEqual(fromBytes);
    expect(fromPath).toMatchObject({
      ok: true,
      format: 'jpeg',
      width: 1280,
      height: 720,
      size: frame.length,
      flag: null,
    });
    const { createHash } = await import('node:crypto');
    expect(fromPath.ok && fromPath.contentHash).toBe(
      createHash('sha256').update(frame).digest('hex'),
    );
  });

  it('accepts PNG and WebP frames and reports EXIF-rotated ones as displayed', async () => {
    expect(await validateFrame(await rgbaPng(640, 480))).toMatchObject({ ok: true, format: 'png' });
    expect(await validateFrame(await webp(640, 480))).toMatchObject({ ok: true, format: 'webp' });
    expect(await validateFrame(await exifRotatedJpeg(640, 480))).toMatchObject({
      ok: true,
      width: 480,
      height: 640,
    });
  });

  it('says missing for a path that does not exist, and not_an_image for a directory', async () => {
    expect(outcomeOf(await validateFrame(join(dir.path, 'nope.jpg')))).toBe('missing');
    const folder = join(dir.path, 'folder.jpg');
    await mkdir(folder);
    expect(outcomeOf(await validateFrame(folder))).toBe('not_an_image');
  });

  it('says empty for a zero-byte file and not_an_image for text renamed .jpg', async () => {
    const empty = await validateFrame(await fileWith('zero.jpg', zeroBytes()));
    expect(empty).toMatchObject({ ok: false, reason: 'empty' });
    expect(empty.ok || empty.message).toMatch(/empty/);
    expect(outcomeOf(await validateFrame(await fileWith('text.jpg', textAsJpeg())))).toBe(
      'not_an_image',
    );
  });

  it('says truncated for a JPEG, PNG or WebP cut off mid-write, even at header depth', async () => {
    const png = await rgbaPng(640, 480);
    const web = await webp(640, 480);
    for (const depth of ['header', 'pixels'] as const) {
      for (const bytes of [frame, png, web])
        expect(outcomeOf(await validateFrame(truncated(bytes), { depth }))).toBe('truncated');
    }
  });

  it('accepts zero padding after the JPEG end marker', async () => {
    expect(outcomeOf(await validateFrame(Buffer.concat([frame, Buffer.alloc(100)])))).toBe('ok');
  });

  it('says too_large for a decompression bomb without decoding it', async () => {
    const bomb = await bombPng();
    expect(bomb.length).toBeLessThan(2_000_000);
    for (const depth of ['header', 'pixels'] as const) {
      const verdict = await validateFrame(await fileWith('bomb.jpg', bomb), { depth });
      expect(verdict).toMatchObject({
        ok: false,
        reason: 'too_large',
        details: { width: 10240, height: 10240 },
      });
    }
    expect(outcomeOf(await validateFrame(frame, { limitInputPixels: 1280 * 720 - 1 }))).toBe(
      'too_large',
    );
    expect(outcomeOf(await validateFrame(frame, { limitInputPixels: 1280 * 720 }))).toBe('ok');
  });

  it('throws a transient error, not a verdict, when the file cannot be read for another reason', async () => {
    // root reads anything: a path whose parent is a file (ENOTDIR) fails for everyone.
    const parent = await fileWith('plain.jpg', frame);
    await expect(validateFrame(join(parent, 'child.jpg'))).rejects.toBeInstanceOf(
      ImageProcessingError,
    );
  });
});

describe('validateFrame: real corruption is caught', () => {
  /** A photograph-like frame (a hazy street) from the encoders whose damage the tests make. */
  const sources = [
    'sharp 4:2:0',
    'cjpeg',
    'cjpeg restart markers every row',
    'ffmpeg mjpeg',
    'sharp progressive',
    'cjpeg progressive',
  ] as const;
  let clean: Record<(typeof sources)[number], Buffer>;
  beforeAll(async () => {
    const scene = await lowContrastPhoto({ width: 1280, height: 720 });
    clean = Object.fromEntries(
      await Promise.all(sources.map(async (flavour) => [flavour, await encodeAs(scene, flavour)])),
    );
  });

  it('refuses as corrupt_data every bit-flipped or garbage-scan JPEG libjpeg warns about, baseline and progressive', async () => {
    const warned: string[] = [];
    for (const flavour of sources) {
      const damaged = [
        ...[1, 3, 10, 40].flatMap((flips) =>
          [1, 2, 3].map(
            (seed) =>
              [`${flips} flipped bits #${seed}`, bitFlipped(clean[flavour], flips, seed)] as const,
          ),
        ),
        ...[0.2, 0.5, 0.97].map(
          (at) => [`garbage at ${at}`, garbageScan(clean[flavour], at, 600, 7)] as const,
        ),
      ];
      for (const [damage, bytes] of damaged) {
        const warning = libjpegWarning(bytes);
        if (warning === null) continue; // a flip the decoder cannot see (a coefficient changed, in step)
        warned.push(`${flavour}: ${damage}: ${warning}`);
        const verdict = await validateFrame(bytes);
        expect(verdict, `${flavour}, ${damage} (${warning})`).toMatchObject({
          ok: false,
          reason: 'corrupt_data',
          message: expect.stringMatching(/Corrupt JPEG data|JPEG/),
        });
      }
    }
    // The damage must really be of every kind libjpeg names, at the end of the scan and in it.
    expect(warned.length).toBeGreaterThan(40);
    for (const kind of [
      /extraneous bytes before marker 0xd9/,
      /premature end of data segment/,
      /bad Huffman code|found marker|extraneous bytes before marker 0xd[0-7]/,
    ])
      expect(
        warned.some((line) => kind.test(line)),
        String(kind),
      ).toBe(true);
  });

  it('sees damage that shows only at the end of a baseline scan, which a plain decode misses', async () => {
    const { default: sharp } = await import('sharp');
    const plainDecodePasses = (bytes: Buffer) =>
      sharp(bytes, { failOn: 'warning' })
        .resize(64)
        .raw()
        .toBuffer()
        .then(
          () => true,
          () => false,
        );
    // A flipped bit: the decoder falls back into step and ends the scan early or late,
    // which libjpeg says only when it reads the end of the scan: libvips never does.
    let found: Buffer | undefined;
    for (let seed = 1; seed <= 60 && !found; seed++) {
      const bytes = bitFlipped(clean['cjpeg'], 1, seed);
      if (libjpegWarning(bytes) !== null && (await plainDecodePasses(bytes))) found = bytes;
    }
    expect(found).toBeDefined();
    expect(await validateFrame(found!)).toMatchObject({ ok: false, reason: 'corrupt_data' });
    // The quick check reads no pixels: it cannot know.
    expect(outcomeOf(await validateFrame(found!, { depth: 'header' }))).toBe('ok');
  });

  it.each(JPEG_FLAVOURS)('accepts a clean JPEG from %s', async (flavour) => {
    const scene = await lowContrastPhoto({ width: 1280, height: 720 });
    const bytes = await encodeAs(scene, flavour);
    expect(libjpegWarning(bytes)).toBeNull();
    expect(outcomeOf(await validateFrame(bytes))).toBe('ok');
  });
});

describe('validateFrame: a frame that looks wrong is kept and flagged', () => {
  it('flags too_small for an image no camera would send, either way round', async () => {
    const verdict = await validateFrame(await tooSmallJpeg());
    expect(verdict).toMatchObject({
      ok: true,
      width: 64,
      height: 48,
      flag: {
        reason: 'too_small',
        message: expect.stringMatching(/64×48, smaller than a camera frame/),
      },
    });
    expect(outcomeOf(await validateFrame(await baselineJpeg(120, 160)))).toBe('ok');
    expect(
      outcomeOf(
        await validateFrame(await baselineJpeg(120, 160), { minWidth: 200, minHeight: 150 }),
      ),
    ).toBe('flagged too_small');
  });

  describe.each(SCENE_SIZES.map((size) => [`${size.width}×${size.height}`, size] as const))(
    'at %s',
    (_label, size) => {
      it.each(Object.keys(KEPT_SCENES) as (keyof typeof KEPT_SCENES)[])(
        'keeps "%s" unflagged',
        async (name) => {
          const bytes = await (await KEPT_SCENES[name](size)).jpeg({ quality: 90 }).toBuffer();
          const verdict = await validateFrame(bytes);
          expect(outcomeOf(verdict), JSON.stringify(verdict.ok && verdict.flatness)).toBe('ok');
        },
      );

      it.each(
        (Object.keys(NO_SIGNAL_SCREENS) as NoSignalScreen[]).flatMap((screen) =>
          [0, 10].map((noise) => [screen, noise] as const),
        ),
      )('flags the %s screen (noise ±%i) uniform', async (screen, noise) => {
        const bytes = await (
          await noSignalScreen(size, screen, { noise })
        )
          .jpeg({ quality: 85 })
          .toBuffer();
        const verdict = await validateFrame(bytes);
        expect(verdict).toMatchObject({
          ok: true,
          flag: { reason: 'uniform', message: expect.stringMatching(/flat colour/) },
        });
        // The header depth does not look at pixels.
        expect(outcomeOf(await validateFrame(bytes, { depth: 'header' }))).toBe('ok');
      });
    },
  );
});
