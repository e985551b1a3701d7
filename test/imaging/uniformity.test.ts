import { describe, expect, it } from 'vitest';
import { trimmedDeviation } from '../../src/main/imaging/uniformity';

function cells(values: number[], channels = 1): Uint8Array {
  return Uint8Array.from(values.flatMap((v) => Array<number>(channels).fill(v)));
}

describe('trimmedDeviation', () => {
  it('is zero for a flat preview and for a flat one with a few caption cells', () => {
    expect(trimmedDeviation(cells(Array(1024).fill(90), 3), 3)).toBe(0);
    const captioned = Array(1024).fill(90);
    for (let i = 0; i < 40; i++) captioned[i] = 255; // under 5 % of the cells
    expect(trimmedDeviation(cells(captioned), 1)).toBe(0);
  });

  it('is large for a scene with two regions', () => {
    const halves = [...Array(512).fill(30), ...Array(512).fill(200)];
    expect(trimmedDeviation(cells(halves), 1)).toBeGreaterThan(50);
  });

  it('reports the most varied channel', () => {
    const pixels = new Uint8Array(1024 * 3);
    for (let i = 0; i < 1024; i++) {
      pixels[i * 3] = 100;
      pixels[i * 3 + 1] = i % 2 ? 0 : 200; // green varies, red and blue do not
      pixels[i * 3 + 2] = 100;
    }
    expect(trimmedDeviation(pixels, 3)).toBeGreaterThan(90);
  });

  it('measures a ramp as its spread', () => {
    const ramp = Array.from({ length: 256 }, (_, i) => i);
    const deviation = trimmedDeviation(cells(ramp), 1);
    expect(deviation).toBeGreaterThan(60);
    expect(deviation).toBeLessThan(80);
  });
});
