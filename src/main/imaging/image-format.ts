/**
 * Microsecond checks on the raw bytes, run before any decoder sees them: what
 * the container claims to be, and whether it ends where its format says it
 * must (a frame cut off mid-write lacks its end marker).
 */

/** The formats a camera frame may arrive in; anything else is refused unread. */
export type FrameFormat = 'jpeg' | 'png' | 'webp';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
/** Encoders may pad after the JPEG end marker; more than this is not padding. */
const MAX_JPEG_PADDING = 1024;

export function sniffFormat(bytes: Uint8Array): FrameFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg';
  if (startsWith(bytes, PNG_SIGNATURE, 0)) return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  return null;
}

/** True when the bytes end as a complete file of that format. */
export function hasCompleteEnding(format: FrameFormat, bytes: Uint8Array): boolean {
  switch (format) {
    case 'jpeg':
      return hasJpegEndMarker(bytes);
    case 'png':
      return startsWith(bytes, PNG_IEND, bytes.length - PNG_IEND.length);
    case 'webp':
      return bytes.length >= 8 && riffLength(bytes) + 8 <= bytes.length;
  }
}

/** FF D9 (EOI) at the end, allowing a little zero padding after it. */
function hasJpegEndMarker(bytes: Uint8Array): boolean {
  let end = bytes.length;
  const floor = Math.max(0, end - MAX_JPEG_PADDING);
  while (end > floor && bytes[end - 1] === 0x00) end--;
  return end >= 4 && bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
}

function riffLength(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
}

function startsWith(bytes: Uint8Array, expected: number[], offset: number): boolean {
  if (offset < 0 || bytes.length < offset + expected.length) return false;
  return expected.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return bytes.length < to ? '' : String.fromCharCode(...bytes.subarray(from, to));
}
