/**
 * libvips never calls jpeg_finish_decompress: it stops after the last MCU,
 * never reads the end of the scan, and does not look at warnings raised while
 * decoding the last strip. Damaged entropy data in a sequential (baseline)
 * JPEG often shows only there: the Huffman decoder drifts, falls back into
 * step, and ends the scan early or late, which libjpeg reports as "N
 * extraneous bytes before marker 0xd9" or "premature end of data segment".
 *
 * So the full check decodes a copy of the frame whose scan is followed by a
 * restart marker and a few blank MCU rows: libjpeg then checks, with rows
 * still to decode, that the real data ends exactly where the restart marker
 * is, and libvips sees its warning. Progressive and multi-scan files need
 * none of this (libjpeg reads every scan before the first row), and files the
 * probe cannot be built for (arithmetic coding, restart intervals that do not
 * fit) are decoded as they are.
 */

/**
 * Pixel rows of blank MCUs after the restart marker: 16 rows at libjpeg's 1/8
 * scale, twice what libvips was seen to leave unchecked at the bottom.
 */
const PROBE_HEIGHT = 128;
/** A restart interval is 16 bits: a frame with more MCUs cannot have the whole scan as one. */
const MAX_INTERVAL = 0xffff;

export interface EndProbe {
  /** The frame with its height grown by `extraHeight` rows of blank MCUs after a restart marker. */
  bytes: Buffer;
  /** Stored (not EXIF-oriented) height of the real frame, and the rows the probe adds below it. */
  height: number;
  extraHeight: number;
}

interface Component {
  id: number;
  h: number;
  v: number;
}

interface HuffmanCode {
  code: number;
  length: number;
}

/** A DHT table: how many codes of each length 1–16, and their symbols in code order. */
interface HuffmanTable {
  counts: Uint8Array;
  symbols: Uint8Array;
}

/** The probed copy of a baseline JPEG, or null when it needs none or cannot have one. */
export function withEndProbe(jpeg: Buffer): EndProbe | null {
  const frame = parseUntilScan(jpeg);
  if (!frame) return null;
  const { width, height, components, scan } = frame;
  const hMax = Math.max(...components.map((c) => c.h));
  const vMax = Math.max(...components.map((c) => c.v));
  // A one-component scan is not interleaved: its MCU is one 8×8 block.
  const single = scan.components.length === 1;
  const mcuWidth = single ? 8 : 8 * hMax;
  const mcuHeight = single ? 8 : 8 * vMax;
  const mcusPerRow = Math.ceil(width / mcuWidth);
  const mcuRows = Math.ceil(height / mcuHeight);
  const mcus = mcusPerRow * mcuRows;
  const interval = frame.restartInterval || mcus;
  if (mcus % interval !== 0 || interval > MAX_INTERVAL) return null;
  const probeRows = Math.ceil(PROBE_HEIGHT / mcuHeight);
  const probedHeight = (mcuRows + probeRows) * mcuHeight;
  if (probedHeight > 0xffff) return null;

  const end = endOfScan(jpeg, scan.dataStart);
  if (end === null || jpeg[end + 1] !== 0xd9) return null;

  const blockCodes = scan.components.map(({ id, dcTable, acTable }) => {
    const component = components.find((c) => c.id === id)!;
    const dc = blankDcCode(frame.tables.get(`0:${dcTable}`), dcTable);
    const eob = endOfBlockCode(frame.tables.get(`1:${acTable}`), acTable);
    return { blocks: single ? 1 : component.h * component.v, dc, eob };
  });
  if (blockCodes.some((b) => !b.dc || !b.eob)) return null;

  const bitsPerMcu = blockCodes.reduce(
    (sum, { blocks, dc, eob }) => sum + blocks * (dc!.length + dc!.category + eob!.length),
    0,
  );
  const writer = new BitWriter(Math.ceil((probeRows * mcusPerRow * bitsPerMcu) / 8) + 64);
  let marker = (mcus / interval) % 8;
  writer.marker(0xd0 + ((mcus / interval - 1) % 8));
  for (let mcu = 0; mcu < probeRows * mcusPerRow; mcu++) {
    if (mcu > 0 && mcu % interval === 0) {
      writer.marker(0xd0 + marker);
      marker = (marker + 1) % 8;
    }
    for (const { blocks, dc, eob } of blockCodes) {
      for (let b = 0; b < blocks; b++) {
        writer.bits(dc!.code, dc!.length);
        writer.bits(0, dc!.category);
        writer.bits(eob!.code, eob!.length);
      }
    }
  }
  writer.marker(0xd9);

  const header = Buffer.from(jpeg.subarray(0, scan.markerStart));
  header.writeUInt16BE(probedHeight, frame.heightOffset);
  const restart = frame.restartInterval
    ? Buffer.alloc(0)
    : Buffer.from([0xff, 0xdd, 0x00, 0x04, interval >> 8, interval & 0xff]);
  return {
    bytes: Buffer.concat([header, restart, jpeg.subarray(scan.markerStart, end), writer.bytes()]),
    height,
    extraHeight: probedHeight - height,
  };
}

interface ParsedFrame {
  width: number;
  height: number;
  /** Where the SOF's height field sits. */
  heightOffset: number;
  components: Component[];
  restartInterval: number;
  /** By "class:id" (class 0 DC, 1 AC), the last definition before the scan. */
  tables: Map<string, HuffmanTable>;
  scan: {
    markerStart: number;
    dataStart: number;
    components: { id: number; dcTable: number; acTable: number }[];
  };
}

/** The markers up to the first scan; null unless it is one Huffman-coded sequential scan of every component. */
function parseUntilScan(jpeg: Buffer): ParsedFrame | null {
  let width = 0;
  let height = 0;
  let heightOffset = 0;
  let components: Component[] = [];
  let restartInterval = 0;
  const tables: ParsedFrame['tables'] = new Map();
  let at = 2;
  while (at + 4 <= jpeg.length) {
    if (jpeg[at] !== 0xff) return null;
    const type = jpeg[at + 1]!;
    if (type === 0xff) {
      at++; // fill byte
      continue;
    }
    const length = jpeg.readUInt16BE(at + 2);
    const body = at + 4;
    const next = at + 2 + length;
    if (next > jpeg.length) return null;
    if (type === 0xc0 || type === 0xc1) {
      if (jpeg[body] !== 8) return null; // 12-bit samples
      height = jpeg.readUInt16BE(body + 1);
      heightOffset = body + 1;
      width = jpeg.readUInt16BE(body + 3);
      components = Array.from({ length: jpeg[body + 5]! }, (_, i) => {
        const sampling = jpeg[body + 7 + i * 3]!;
        return { id: jpeg[body + 6 + i * 3]!, h: sampling >> 4, v: sampling & 15 };
      });
      if (height === 0 || components.some((c) => c.h < 1 || c.v < 1)) return null;
    } else if (type >= 0xc2 && type <= 0xcf && type !== 0xc4 && type !== 0xc8 && type !== 0xcc) {
      return null; // progressive (read whole by libjpeg), lossless, hierarchical or arithmetic
    } else if (type === 0xc4) {
      readTables(jpeg, body, next, tables);
    } else if (type === 0xdd) {
      restartInterval = jpeg.readUInt16BE(body);
    } else if (type === 0xda) {
      const count = jpeg[body]!;
      if (components.length === 0 || count !== components.length) return null;
      return {
        width,
        height,
        heightOffset,
        components,
        restartInterval,
        tables,
        scan: {
          markerStart: at,
          dataStart: next,
          components: Array.from({ length: count }, (_, i) => ({
            id: jpeg[body + 1 + i * 2]!,
            dcTable: jpeg[body + 2 + i * 2]! >> 4,
            acTable: jpeg[body + 2 + i * 2]! & 15,
          })),
        },
      };
    }
    at = next;
  }
  return null;
}

function readTables(jpeg: Buffer, from: number, to: number, tables: ParsedFrame['tables']): void {
  let at = from;
  while (at + 17 <= to) {
    const counts = jpeg.subarray(at + 1, at + 17);
    const total = counts.reduce((sum, n) => sum + n, 0);
    tables.set(`${jpeg[at]! >> 4}:${jpeg[at]! & 15}`, {
      counts,
      symbols: jpeg.subarray(at + 17, at + 17 + total),
    });
    at += 17 + total;
  }
}

/** Where the scan's entropy-coded data ends: the first marker that is neither a stuffed byte nor a restart. */
function endOfScan(jpeg: Buffer, from: number): number | null {
  let at = from;
  for (;;) {
    at = jpeg.indexOf(0xff, at);
    if (at < 0 || at + 1 >= jpeg.length) return null;
    const next = jpeg[at + 1]!;
    if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) at += 1;
    else return at;
  }
}

/**
 * The codes of the standard tables (JPEG Annex K.3) a decoder installs when a
 * file has none, as motion-JPEG frames from cameras often do: DC difference 0
 * is "00" in both; end of block is "1010" for luminance and "00" for chrominance.
 */
const STANDARD_DC: HuffmanCode = { code: 0b00, length: 2 };
const STANDARD_EOB: HuffmanCode[] = [
  { code: 0b1010, length: 4 },
  { code: 0b00, length: 2 },
];

/** The code of a DC difference whose extra bits are all zero: category 0 if the table has it. */
function blankDcCode(
  table: HuffmanTable | undefined,
  id: number,
): (HuffmanCode & { category: number }) | null {
  if (!table) return id < 2 ? { ...STANDARD_DC, category: 0 } : null;
  const codes = canonicalCodes(table.counts, table.symbols);
  const category = [...codes.keys()].filter((s) => s <= 11).sort((a, b) => a - b)[0];
  return category === undefined ? null : { ...codes.get(category)!, category };
}

function endOfBlockCode(table: HuffmanTable | undefined, id: number): HuffmanCode | null {
  if (!table) return STANDARD_EOB[id] ?? null;
  return canonicalCodes(table.counts, table.symbols).get(0x00) ?? null;
}

/** Huffman codes from a DHT's code-length counts, as JPEG assigns them (Annex C). */
function canonicalCodes(counts: Uint8Array, symbols: Uint8Array): Map<number, HuffmanCode> {
  const codes = new Map<number, HuffmanCode>();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < counts[length - 1]!; i++)
      codes.set(symbols[k++]!, { code: code++, length });
    code <<= 1;
  }
  return codes;
}

/** Entropy-coded bytes: bits MSB first, 0xFF stuffed, markers byte-aligned after 1-bit padding. */
class BitWriter {
  private out: Buffer;
  private length = 0;
  /** Pending bits, fewer than 8 between writes. */
  private pending = 0;
  private count = 0;

  constructor(expectedBytes: number) {
    this.out = Buffer.allocUnsafe(Math.max(64, expectedBytes));
  }

  /** Up to 16 bits at once (Huffman codes and DC extra bits never need more). */
  bits(value: number, count: number): void {
    this.pending = (this.pending << count) | (value & ((1 << count) - 1));
    this.count += count;
    while (this.count >= 8) {
      this.count -= 8;
      this.byte((this.pending >> this.count) & 0xff);
      if (this.out[this.length - 1] === 0xff) this.byte(0x00);
    }
    this.pending &= (1 << this.count) - 1;
  }

  marker(type: number): void {
    if (this.count > 0) this.bits(0xff, 8 - this.count);
    this.byte(0xff);
    this.byte(type);
  }

  bytes(): Buffer {
    return this.out.subarray(0, this.length);
  }

  private byte(value: number): void {
    if (this.length === this.out.length) {
      const grown = Buffer.allocUnsafe(this.out.length * 2);
      this.out.copy(grown);
      this.out = grown;
    }
    this.out[this.length++] = value;
  }
}
