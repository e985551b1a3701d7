import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { withEndProbe } from '../../src/main/imaging/jpeg-end-probe';
import { bitFlipped, encodeAs, libjpegWarning, type JpegFlavour } from '../helpers/jpeg-flavours';
import { gravel } from '../helpers/scenes';

const SIZE = { width: 1280, height: 720 };

describe('withEndProbe', () => {
  let scene: Awaited<ReturnType<typeof gravel>>;
  beforeAll(async () => {
    scene = await gravel(SIZE);
  });

  it.each<[JpegFlavour, number]>([
    ['sharp 4:2:0', 16],
    ['sharp 4:4:4', 8],
    ['sharp greyscale', 8],
    ['sharp CMYK', 8],
    ['cjpeg 4:2:2', 8],
    ['cjpeg restart markers every row', 16],
    ['ffmpeg mjpeg', 16],
    ['motion-JPEG frame without Huffman tables', 16],
  ])(
    'gives a clean %s a restart marker and blank rows that decode without a warning',
    async (flavour, mcuHeight) => {
      const jpeg = await encodeAs(scene, flavour);
      const probe = withEndProbe(jpeg)!;
      expect(probe).not.toBeNull();
      expect(probe.height).toBe(SIZE.height);
      // Whole MCU rows of blank blocks, at least 128 pixel rows (16 rows at libjpeg's 1/8 scale).
      expect(probe.extraHeight % mcuHeight).toBe(
        (mcuHeight - (SIZE.height % mcuHeight)) % mcuHeight,
      );
      expect(probe.extraHeight).toBeGreaterThanOrEqual(128);
      expect(libjpegWarning(probe.bytes)).toBeNull();
      const { info } = await sharp(probe.bytes, { failOn: 'warning' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([SIZE.width, SIZE.height + probe.extraHeight]);
      // The frame itself is untouched: its rows decode to the same pixels.
      const rows = (bytes: Buffer) =>
        sharp(bytes).extract({ left: 0, top: 0, width: SIZE.width, height: 64 }).raw().toBuffer();
      expect((await rows(probe.bytes)).equals(await rows(jpeg))).toBe(true);
    },
  );

  it.each<JpegFlavour>([
    'sharp progressive',
    'cjpeg progressive',
    'cjpeg arithmetic-coded',
    'cjpeg restart markers every 7 MCUs',
  ])('leaves a %s as it is (libjpeg reads it whole, or the probe cannot fit)', async (flavour) => {
    expect(withEndProbe(await encodeAs(scene, flavour))).toBeNull();
  });

  it('makes libjpeg say, mid-decode, what it would only say at the end of the scan', async () => {
    const jpeg = await encodeAs(scene, 'cjpeg');
    const late = Array.from({ length: 40 }, (_, seed) => bitFlipped(jpeg, 1, seed + 1)).filter(
      (bytes) => /extraneous bytes before marker 0xd9/.test(libjpegWarning(bytes) ?? ''),
    );
    expect(late.length).toBeGreaterThan(0);
    for (const bytes of late)
      expect(libjpegWarning(withEndProbe(bytes)!.bytes)).toMatch(
        /extraneous bytes before marker 0xd0/,
      );
  });
});
