import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegLoadShrink, shrinkOnLoadInput } from '../../src/main/imaging/shrink-on-load';
import { baselineJpeg } from '../helpers/images';
import { useScratchDir } from './engine-support';

const dir = useScratchDir('timelapser-shrink-');
const jpeg = (width: number, height: number) => ({ format: 'jpeg' as const, width, height });

describe('jpegLoadShrink', () => {
  it.each([
    [1920, 1080, 800, 450, 2],
    [3840, 2160, 800, 450, 4],
    [1920, 1080, 200, 113, 8],
    [1280, 720, 800, 450, 1],
    [1600, 900, 800, 450, 2],
    [1599, 900, 800, 450, 1],
    [1080, 1920, 338, 600, 2],
    [15360, 8640, 800, 450, 8],
  ])('decodes %i×%i for %i×%i at 1/%i', (width, height, targetWidth, targetHeight, expected) => {
    expect(jpegLoadShrink({ width, height }, { width: targetWidth, height: targetHeight })).toBe(
      expected,
    );
  });
});

describe('shrinkOnLoadInput', () => {
  it('names the load shrink for a JPEG that has room for it', () => {
    expect(shrinkOnLoadInput('/d/f.jpg', jpeg(1920, 1080), { width: 800, height: 450 })).toBe(
      '/d/f.jpg[shrink=2]',
    );
  });

  it('leaves the name alone for other formats, for no shrink, and where sharp would reload', () => {
    const png = { format: 'png' as const, width: 1920, height: 1080 };
    expect(shrinkOnLoadInput('/d/f.png', png, { width: 800, height: 450 })).toBe('/d/f.png');
    expect(shrinkOnLoadInput('/d/f.jpg', jpeg(1280, 720), { width: 800, height: 450 })).toBe(
      '/d/f.jpg',
    );
    // 7680/8 = 960 is still 4.8× the thumbnail: sharp reloads by the name, and picks 8× itself.
    expect(shrinkOnLoadInput('/d/f.jpg', jpeg(7680, 4320), { width: 200, height: 113 })).toBe(
      '/d/f.jpg',
    );
  });

  it('makes libvips decode at the reduced size, even under a folder with brackets in its name', async () => {
    const folder = join(dir.path, 'library [old]');
    mkdirSync(folder);
    const path = join(folder, 'frame.jpg');
    writeFileSync(path, await baselineJpeg(1920, 1080));
    const input = shrinkOnLoadInput(path, jpeg(1920, 1080), { width: 800, height: 450 });
    expect(await sharp(input).metadata()).toMatchObject({ width: 960, height: 540 });
    const { info } = await sharp(input)
      .resize(800, 450, { fit: 'fill' })
      .jpeg()
      .toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 800, height: 450 });
  });
});
