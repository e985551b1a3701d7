import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFrame, type FrameVerdict } from '../../src/main/imaging/frame-validator';
import { ImageProcessingError } from '../../src/main/imaging/image-errors';
import {
  baselineJpeg,
  bombPng,
  corruptJpeg,
  exifRotatedJpeg,
  rgbaPng,
  textAsJpeg,
  tooSmallJpeg,
  truncated,
  uniformFrame,
  webp,
  zeroBytes,
} from '../helpers/images';
import { useScratchDir } from './engine-support';

const dir = useScratchDir('timelapser-validator-');

async function fileWith(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(path, bytes);
  return path;
}

function reasonOf(verdict: FrameVerdict): string {
  return verdict.ok ? 'ok' : verdict.reason;
}

describe('validateFrame', () => {
  let frame: Buffer;
  beforeAll(async () => {
    frame = await baselineJpeg(1280, 720);
  });

  it('accepts a camera frame, from a path or from its bytes, with its size and deviation', async () => {
    const fromPath = await validateFrame(await fileWith('frame.jpg', frame));
    const fromBytes = await validateFrame(frame);
    expect(fromPath).toEqual(fromBytes);
    expect(fromPath).toMatchObject({
      ok: true,
      format: 'jpeg',
      width: 1280,
      height: 720,
      size: frame.length,
    });
    expect(fromPath.ok && fromPath.deviation).toBeGreaterThan(10);
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
    const missing = await validateFrame(join(dir.path, 'nope.jpg'));
    expect(missing).toMatchObject({ ok: false, reason: 'missing' });
    const folder = join(dir.path, 'folder.jpg');
    await mkdir(folder);
    expect(reasonOf(await validateFrame(folder))).toBe('not_an_image');
  });

  it('says empty for a zero-byte file', async () => {
    const verdict = await validateFrame(await fileWith('zero.jpg', zeroBytes()));
    expect(verdict).toMatchObject({ ok: false, reason: 'empty' });
    expect(verdict.ok || verdict.message).toMatch(/empty/);
  });

  it('says not_an_image for text renamed .jpg', async () => {
    expect(reasonOf(await validateFrame(await fileWith('text.jpg', textAsJpeg())))).toBe(
      'not_an_image',
    );
  });

  it('says truncated for a JPEG, PNG or WebP cut off mid-write, even at header depth', async () => {
    const png = await rgbaPng(640, 480);
    const web = await webp(640, 480);
    for (const depth of ['header', 'pixels'] as const) {
      expect(
        reasonOf(await validateFrame(await fileWith('cut.jpg', truncated(frame)), { depth })),
      ).toBe('truncated');
      expect(reasonOf(await validateFrame(truncated(png), { depth }))).toBe('truncated');
      expect(reasonOf(await validateFrame(truncated(web), { depth }))).toBe('truncated');
    }
  });

  it('accepts zero padding after the JPEG end marker', async () => {
    expect(reasonOf(await validateFrame(Buffer.concat([frame, Buffer.alloc(100)])))).toBe('ok');
  });

  it('says corrupt for damaged entropy data behind an intact header and end marker', async () => {
    const damaged = corruptJpeg(frame);
    const verdict = await validateFrame(damaged);
    expect(verdict).toMatchObject({ ok: false, reason: 'corrupt' });
    // The header depth never reads the entropy data: only the pixel check can see this.
    expect(reasonOf(await validateFrame(damaged, { depth: 'header' }))).toBe('ok');
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
    expect(reasonOf(await validateFrame(frame, { limitInputPixels: 1280 * 720 - 1 }))).toBe(
      'too_large',
    );
    expect(reasonOf(await validateFrame(frame, { limitInputPixels: 1280 * 720 }))).toBe('ok');
  });

  it('says too_small for an image no camera would send, either way round', async () => {
    expect(reasonOf(await validateFrame(await tooSmallJpeg()))).toBe('too_small');
    expect(reasonOf(await validateFrame(await baselineJpeg(120, 160)))).toBe('ok');
    expect(
      reasonOf(
        await validateFrame(await baselineJpeg(120, 160), { minWidth: 200, minHeight: 150 }),
      ),
    ).toBe('too_small');
  });

  it('says uniform for grey, black and green "no signal" frames, with noise or a caption', async () => {
    const flat = [
      await uniformFrame(1280, 720, { grey: 128, noise: 0 }),
      await uniformFrame(1280, 720, { grey: 128, noise: 12 }),
      await uniformFrame(1280, 720, { grey: 4, noise: 8, caption: true }),
      await uniformFrame(1280, 720, { grey: 128, noise: 6, caption: true }),
    ];
    for (const bytes of flat) {
      const verdict = await validateFrame(bytes);
      expect(verdict).toMatchObject({ ok: false, reason: 'uniform' });
    }
    // The header depth does not look at pixels.
    expect(reasonOf(await validateFrame(flat[0]!, { depth: 'header' }))).toBe('ok');
  });

  it('passes a low-contrast scene that only has a gentle gradient', async () => {
    const { default: sharp } = await import('sharp');
    const width = 640;
    const height = 480;
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++)
      pixels.fill(110 + Math.round((y / height) * 30), y * width * 3, (y + 1) * width * 3);
    const fog = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg()
      .toBuffer();
    expect(reasonOf(await validateFrame(fog))).toBe('ok');
    expect(reasonOf(await validateFrame(fog, { uniformThreshold: 20 }))).toBe('uniform');
  });

  it('throws a transient error, not a verdict, when the file cannot be read for another reason', async () => {
    if (process.getuid?.() === 0) {
      // root reads anything: use a path whose parent is a file (ENOTDIR) instead of permissions.
      const parent = await fileWith('plain.jpg', frame);
      await expect(validateFrame(join(parent, 'child.jpg'))).rejects.toBeInstanceOf(
        ImageProcessingError,
      );
      return;
    }
    const { chmod } = await import('node:fs/promises');
    const locked = await fileWith('locked.jpg', frame);
    await chmod(locked, 0o000);
    await expect(validateFrame(locked)).rejects.toBeInstanceOf(ImageProcessingError);
  });
});
