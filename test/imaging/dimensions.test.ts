import { describe, expect, it } from 'vitest';
import {
  calculateThumbnailDimensions,
  SMALL_SIZE,
  THUMBNAIL_SIZE,
} from '../../src/main/imaging/dimensions';
import { ValidationError } from '../../src/main/errors';

describe('calculateThumbnailDimensions', () => {
  it.each([
    // source, target, expected
    [{ width: 1920, height: 1080 }, THUMBNAIL_SIZE, { width: 200, height: 113 }],
    [{ width: 1920, height: 1080 }, SMALL_SIZE, { width: 800, height: 450 }],
    [{ width: 3840, height: 2160 }, SMALL_SIZE, { width: 800, height: 450 }],
    [{ width: 640, height: 480 }, THUMBNAIL_SIZE, { width: 200, height: 150 }],
    [{ width: 1080, height: 1920 }, THUMBNAIL_SIZE, { width: 84, height: 150 }],
    [{ width: 2000, height: 100 }, SMALL_SIZE, { width: 800, height: 40 }],
    [{ width: 100, height: 2000 }, SMALL_SIZE, { width: 30, height: 600 }],
  ])('fits %o inside %o as %o', (source, target, expected) => {
    expect(calculateThumbnailDimensions(source, target)).toEqual(expected);
  });

  it('never enlarges a frame smaller than the target', () => {
    expect(calculateThumbnailDimensions({ width: 320, height: 240 }, SMALL_SIZE)).toEqual({
      width: 320,
      height: 240,
    });
    expect(calculateThumbnailDimensions({ width: 150, height: 100 }, THUMBNAIL_SIZE)).toEqual({
      width: 150,
      height: 100,
    });
  });

  it('shrinks when only one side is over the target', () => {
    expect(calculateThumbnailDimensions({ width: 400, height: 100 }, THUMBNAIL_SIZE)).toEqual({
      width: 200,
      height: 50,
    });
  });

  it('keeps the aspect ratio within rounding for any size', () => {
    for (let width = 7; width < 5000; width += 331) {
      for (let height = 5; height < 5000; height += 397) {
        const out = calculateThumbnailDimensions({ width, height }, SMALL_SIZE);
        expect(out.width).toBeLessThanOrEqual(Math.min(width, SMALL_SIZE.width));
        expect(out.height).toBeLessThanOrEqual(Math.min(height, SMALL_SIZE.height));
        expect(
          out.width === SMALL_SIZE.width || out.height === SMALL_SIZE.height || out.width === width,
        ).toBe(true);
        // One pixel of rounding on the shorter side is all the distortion allowed.
        expect(Math.abs(out.width / out.height - width / height)).toBeLessThanOrEqual(
          width / height / Math.min(out.width, out.height) + 1e-9,
        );
      }
    }
  });

  it('never answers a zero dimension for extreme aspect ratios', () => {
    expect(calculateThumbnailDimensions({ width: 10000, height: 1 }, THUMBNAIL_SIZE)).toEqual({
      width: 200,
      height: 1,
    });
  });

  it('refuses non-positive or fractional sizes', () => {
    expect(() => calculateThumbnailDimensions({ width: 0, height: 10 }, THUMBNAIL_SIZE)).toThrow(
      ValidationError,
    );
    expect(() => calculateThumbnailDimensions({ width: 10.5, height: 10 }, THUMBNAIL_SIZE)).toThrow(
      ValidationError,
    );
    expect(() =>
      calculateThumbnailDimensions({ width: 10, height: 10 }, { width: -1, height: 5 }),
    ).toThrow(ValidationError);
  });
});
