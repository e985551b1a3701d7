import type { FrameKey } from '../files/names';

/**
 * A folder's listing as numbers: each file name's (day, time, sequence) packed
 * into one integer, kept in a sorted Float64Array with one "claimed" bit per
 * entry. 8 bytes per file instead of a name string, and rows are then matched
 * by binary search, never by a random database lookup per file.
 */

const SECONDS_BITS = 2 ** 17; // 86,400 seconds in a day
const SEQ_BITS = 2 ** 16;
/** Keys stay below 2^53 (exact in a double): days up to 2^20 − 1, sequences up to 2^16 − 1. */
const MAX_DAY = 2 ** 20 - 1;
const MAX_SEQ = SEQ_BITS - 1;

export type PackedKey = number;

/** The packed key of a name, or null beyond the range our naming reaches (day 1,048,575; seq 65,535). */
export function packKey(day: number, clock: string, seq: number): PackedKey | null {
  if (day < 1 || day > MAX_DAY || seq < 0 || seq > MAX_SEQ || clock.length !== 6) return null;
  const seconds = Number(clock.slice(0, 2)) * 3600 + Number(clock.slice(2, 4)) * 60 + Number(clock.slice(4, 6));
  if (!Number.isInteger(seconds) || seconds >= 86_400) return null;
  return (day * SECONDS_BITS + seconds) * SEQ_BITS + seq;
}

export function unpackKey(timelapseId: number, key: PackedKey): FrameKey {
  const seq = key % SEQ_BITS;
  const rest = (key - seq) / SEQ_BITS;
  const seconds = rest % SECONDS_BITS;
  const day = (rest - seconds) / SECONDS_BITS;
  const clock = [seconds / 3600, (seconds / 60) % 60, seconds % 60].map((n) => String(Math.floor(n)).padStart(2, '0')).join('');
  return { timelapseId, day, clock, seq };
}

export class KeyIndex {
  private keys = new Float64Array(1024);
  private claimed = new Uint8Array(0);
  private count = 0;
  private sealed = false;

  get size(): number {
    return this.count;
  }

  add(key: PackedKey): void {
    if (this.sealed) throw new Error('KeyIndex is sealed');
    if (this.count === this.keys.length) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[this.count++] = key;
  }

  /** Sorts the keys; after this the index answers find() and takes no more keys. */
  seal(): void {
    this.keys = this.keys.slice(0, this.count).sort();
    this.claimed = new Uint8Array((this.count >> 3) + 1);
    this.sealed = true;
  }

  /** Position of a key, or −1. */
  find(key: PackedKey): number {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.keys[mid]!;
      if (value === key) return mid;
      if (value < key) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  claim(position: number): void {
    this.claimed[position >> 3]! |= 1 << (position & 7);
  }

  /** The keys no row claimed, in order. */
  *unclaimed(): Generator<PackedKey> {
    for (let i = 0; i < this.count; i++) {
      if ((this.claimed[i >> 3]! & (1 << (i & 7))) === 0) yield this.keys[i]!;
    }
  }
}
