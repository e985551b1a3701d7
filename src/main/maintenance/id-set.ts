/**
 * A set of image ids up to a bound, one bit each: 125 KB per million ids, so a
 * verification can remember which rows the directory listing confirmed
 * without holding file names. Ids above the bound (rows inserted during the
 * run) are simply never members.
 */
export class IdSet {
  private readonly bits: Uint8Array;

  constructor(private readonly maxId: number) {
    this.bits = new Uint8Array((maxId >> 3) + 1);
  }

  add(id: number): void {
    if (id >= 0 && id <= this.maxId) this.bits[id >> 3]! |= 1 << (id & 7);
  }

  has(id: number): boolean {
    return id >= 0 && id <= this.maxId && (this.bits[id >> 3]! & (1 << (id & 7))) !== 0;
  }
}
