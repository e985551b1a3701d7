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

/** What the byte checks look at: the first and last bytes of a file, and its size. */
export interface FileEnds {
  head: Uint8Array;
  tail: Uint8Array;
  size: number;
}

/** Bytes to read from each end of a file for the checks (the JPEG padding allowance, with room). */
export const END_BYTES = MAX_JPEG_PADDING + 16;

/** The ends of bytes already in memory. */
export function endsOf(bytes: Uint8Array): FileEnds {
  return { head: bytes, tail: bytes, size: bytes.length };
}

export function sniffFormat(head: Uint8Array): FrameFormat | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (startsWith(head, PNG_SIGNATURE, 0)) return 'png';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  return null;
}

/** True when the file ends as a complete file of that format. */
export function hasCompleteEnding(format: FrameFormat, { head, tail, size }: FileEnds): boolean {
  switch (format) {
    case 'jpeg':
      return hasJpegEndMarker(tail);
    case 'png':
      return startsWith(tail, PNG_IEND, tail.length - PNG_IEND.length);
    case 'webp':
      return head.length >= 8 && riffLength(head) + 8 <= size;
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
